import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../../src/http/start-http-server.ts';

/** Thrown by readConsoleJson; the route answers with its status and code. */
export class ConsoleRequestError extends Error {
  override readonly name = 'ConsoleRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const BODY_LIMIT_BYTES = 32 * 1024;

/**
 * The body of a console POST, after the CSRF checks: only JSON (a cross-site form cannot send it without a CORS
 * preflight, which the gateway never grants), and when the browser says where the request came from, it must be
 * this same origin. The session cookie is SameSite=Strict besides.
 */
export async function readConsoleJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
    throw new ConsoleRequestError(415, 'json_required');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new ConsoleRequestError(403, 'cross_site_request');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    const host = req.headers.host ?? '';
    if (origin !== `http://${host}` && origin !== `https://${host}`) throw new ConsoleRequestError(403, 'cross_origin_request');
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, BODY_LIMIT_BYTES)).toString('utf8'));
  } catch {
    throw new ConsoleRequestError(400, 'invalid_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConsoleRequestError(400, 'invalid_json');
  return body as Record<string, unknown>;
}

/** Runs a handler, answering a ConsoleRequestError with its status instead of a 500. */
export function answeringErrors(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof ConsoleRequestError)) throw error;
      sendJson(res, error.status, { error: error.code });
    }
  };
}

/** The request's query parameters (routes match the path only). */
export const queryOf = (req: IncomingMessage): URLSearchParams => new URL(req.url ?? '/', 'http://console.invalid').searchParams;

/** Whether the browser reached us over HTTPS (directly or through a proxy saying so), for the cookie's Secure flag. */
export const isHttps = (req: IncomingMessage): boolean =>
  (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
