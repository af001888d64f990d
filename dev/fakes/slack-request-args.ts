/**
 * Turns a Slack Web API request into method arguments the way Slack reads them: form bodies (WebClient's
 * default) carry every value as a string and nested fields such as `blocks` as JSON text; JSON bodies
 * carry real values but must not carry the token (Slack only reads it from the Authorization header).
 */
export type SlackArgs = Record<string, unknown>;

export type ParsedSlackRequest = { ok: true; args: SlackArgs; bodyToken: string | undefined } | { ok: false; error: string };

const jsonFields: Record<string, string> = {
  blocks: 'invalid_blocks_format',
  attachments: 'invalid_attachments',
  metadata: 'invalid_metadata_format',
};
const booleanFields = ['reply_broadcast', 'mrkdwn', 'unfurl_links', 'unfurl_media', 'as_user', 'link_names'];

export function parseSlackRequest(contentType: string | undefined, raw: string, query: URLSearchParams): ParsedSlackRequest {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const args: SlackArgs = Object.fromEntries(query.entries());
  let bodyToken = query.get('token') ?? undefined;
  if (type === 'multipart/form-data') return { ok: false, error: 'invalid_form_data' };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'invalid_json' };
    const { token: _ignored, ...rest } = parsed as SlackArgs;
    Object.assign(args, rest);
  } else if (raw !== '') {
    const form = new URLSearchParams(raw);
    for (const [key, value] of form) args[key] = value;
    bodyToken = form.get('token') ?? bodyToken;
    for (const [field, error] of Object.entries(jsonFields)) {
      const value = args[field];
      if (typeof value !== 'string') continue;
      try {
        args[field] = JSON.parse(value);
      } catch {
        return { ok: false, error };
      }
    }
  }
  delete args.token;
  for (const field of booleanFields) {
    const value = args[field];
    if (value === 'true' || value === '1') args[field] = true;
    else if (value === 'false' || value === '0') args[field] = false;
  }
  return { ok: true, args, bodyToken };
}

/** The string value of an argument, or undefined when absent or empty. */
export function stringArg(args: SlackArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
