/**
 * Whether a Slack request body parses, the way bolt parses it, into an object: form fields (a slash command),
 * a form `payload` holding a JSON object (an interaction), or a JSON object (the Events API).
 */
export function isSlackPayloadObject(body: string, contentType: string | undefined): boolean {
  if (contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(body).get('payload');
    return payload === null || isJsonObject(payload);
  }
  return isJsonObject(body);
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
