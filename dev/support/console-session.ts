import assert from 'node:assert/strict';

/** What the web console's browser script sends, for tests that play it against a gateway at `gatewayUrl`. */

/** POST /console/login with a name and, where the console has one, the password (CONSOLE_TOKEN or the user's). */
export function consoleLogin({ gatewayUrl, name, password }: { gatewayUrl: string; name: string; password?: string }): Promise<Response> {
  return consolePost({ gatewayUrl, path: '/console/login', body: { name, ...(password === undefined ? {} : { password }) } });
}

/** Signs in, which must succeed, and returns the session cookie (`name=value`) the login set. */
export async function consoleSignIn(options: { gatewayUrl: string; name: string; password?: string }): Promise<string> {
  const response = await consoleLogin(options);
  assert.equal(response.status, 200, await response.text());
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, /=/, 'the login set no session cookie');
  return cookie;
}

/** A JSON POST to the console's API, as the signed-in session `cookie` when given. */
export function consolePost({
  gatewayUrl,
  path,
  cookie,
  body,
}: {
  gatewayUrl: string;
  path: string;
  cookie?: string;
  body: unknown;
}): Promise<Response> {
  return fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { ...(cookie === undefined ? {} : { cookie }), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A conversation's event stream (/console/api/events) as text, read until `until` shows up or `timeoutMs` pass. */
export async function readConsoleEvents({
  gatewayUrl,
  cookie,
  conversationId,
  until,
  timeoutMs = 20_000,
}: {
  gatewayUrl: string;
  cookie: string;
  conversationId: string;
  until: RegExp;
  timeoutMs?: number;
}): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(`${gatewayUrl}/console/api/events?conversation=${conversationId}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  let seen = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until.test(seen) && Date.now() < deadline) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      seen += Buffer.from(chunk.value).toString('utf8');
    }
  } finally {
    controller.abort();
  }
  return seen;
}
