import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { consoleConversations } from '../../src/chat/console/console-conversations.ts';
import { sendJson, type Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { consoleAdminHandlers, type ConsoleApprovals } from './console-admin-handlers.ts';
import { consoleChatHandlers } from './console-chat-routes.ts';
import { answeringErrors, ConsoleRequestError, isHttps, readConsoleJson } from './console-http.ts';
import { CONSOLE_NAME, consoleSessions } from './console-session.ts';
import { consoleHtml } from './page/console-html.ts';
import { consoleScript } from './page/console-script.ts';
import { consoleStyle } from './page/console-style.ts';

export interface ConsoleRoutesOptions {
  /** CONSOLE_TOKEN; undefined only on a loopback HOST, where everyone on this machine is let in. */
  token: string | undefined;
  /** Whether ANTHROPIC_API_KEY is set: without it the page says how to enable AI. */
  aiConfigured: boolean;
  redis: RedisClient;
  prefix: string;
  /** How long a console conversation is kept after its last event. */
  ttlSeconds: number;
  enqueue: (job: ChatJob) => Promise<string>;
  approvals: ConsoleApprovals;
  queues: Record<string, Queue>;
  logger: Logger;
}

/** A wrong token costs this long, so guessing it over HTTP is slow. */
const WRONG_TOKEN_DELAY_MS = 500;
/** Who is signed in when no token is configured (loopback) and nobody gave a name. */
const LOCAL_USER = 'local';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The web console under /console: a static page and its script, login, and a JSON + Server-Sent Events API.
 * Every /console/api route needs a signed-in user; chats go through the same queue and worker as Slack.
 */
export function consoleRoutes(options: ConsoleRoutesOptions): { routes: Routes; close: () => void } {
  const { token, aiConfigured, redis, prefix, ttlSeconds, enqueue, approvals, queues, logger } = options;
  const sessions = consoleSessions({ token });
  const conversations = consoleConversations({ redis, prefix, ttlSeconds });
  const chat = consoleChatHandlers({ conversations, enqueue, logger });
  const admin = consoleAdminHandlers({ redis, prefix, approvals, queues, logger });

  const userOf = (req: IncomingMessage) => sessions.nameOf(req) ?? (sessions.tokenRequired ? undefined : LOCAL_USER);
  const signedIn =
    (handler: (req: IncomingMessage, res: ServerResponse, user: string) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const user = userOf(req);
      if (user === undefined) return sendJson(res, 401, { error: 'login_required' });
      return answeringErrors((rq, rs) => handler(rq, rs, user))(req, res);
    };
  const asset = (type: string, body: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    res.end(body);
  };

  const login = answeringErrors(async (req, res) => {
    const body = await readConsoleJson(req);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!CONSOLE_NAME.test(name)) throw new ConsoleRequestError(400, 'name_must_be_letters_digits_dash_underscore');
    if (sessions.tokenRequired && !sessions.tokenMatches(typeof body.token === 'string' ? body.token : '')) {
      logger.warn({ name }, 'console login refused: wrong token');
      await new Promise((resolve) => setTimeout(resolve, WRONG_TOKEN_DELAY_MS));
      throw new ConsoleRequestError(401, 'wrong_token');
    }
    logger.info({ user: `console:${name}` }, 'console login');
    res.setHeader('set-cookie', sessions.cookieFor(name, isHttps(req)));
    sendJson(res, 200, { name });
  });

  const routes: Routes = {
    'GET /console': asset('text/html', consoleHtml),
    'GET /console/': asset('text/html', consoleHtml),
    'GET /console/app.js': asset('text/javascript', consoleScript),
    'GET /console/console.css': asset('text/css', consoleStyle),
    'POST /console/login': login,
    'POST /console/logout': answeringErrors(async (req, res) => {
      await readConsoleJson(req);
      res.setHeader('set-cookie', sessions.clearCookie());
      sendJson(res, 200, { ok: true });
    }),
    'GET /console/api/me': (req, res) => {
      const user = userOf(req);
      if (user === undefined) return sendJson(res, 401, { error: 'login_required', tokenRequired: true });
      return sendJson(res, 200, { name: user, identity: `console:${user}`, aiConfigured, tokenRequired: sessions.tokenRequired });
    },
    'POST /console/api/ask': signedIn(chat.ask),
    'GET /console/api/events': signedIn(chat.events),
    'GET /console/api/conversations': signedIn(chat.recent),
    'POST /console/api/approval': signedIn(admin.decide),
    'GET /console/api/audit': signedIn(admin.audit),
    'GET /console/api/health': signedIn(admin.health),
  };
  return { routes, close: chat.close };
}
