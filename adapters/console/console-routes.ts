import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import { chatUserIdOf } from '../../src/approval/approval-clicker.ts';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { consoleConversations } from './reply/console-conversations.ts';
import { hostAllowed } from '../../src/http/host-allowed.ts';
import { sendJson, type RouteHandler, type Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { consoleAdminHandlers, type ConsoleApprovals } from './console-admin-handlers.ts';
import { CONSOLE_TEAM, consoleChatHandlers } from './console-chat-routes.ts';
import { answeringErrors, ConsoleRequestError, isHttps, readConsoleJson } from './console-http.ts';
import type { ConsoleIdentity, ConsoleUser } from './console-identity.ts';
import type { ConsoleSessions } from './console-session.ts';
import { VERIFIED_NAME } from './console-users.ts';
import { consoleHtml } from './page/console-html.ts';
import { consoleScript } from './page/console-script.ts';
import { consoleStyle } from './page/console-style.ts';

export interface ConsoleRoutesOptions {
  /** Who a request comes from (proxy header, session, or open loopback) and how a sign-in becomes a session. */
  identity: ConsoleIdentity;
  sessions: ConsoleSessions;
  /** Host header names the console answers (loopback, HOST, CONSOLE_ALLOWED_HOSTS); any other gets 403 first. */
  allowedHosts: ReadonlySet<string>;
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

/** A wrong password or token costs this long, so guessing over HTTP is slow. */
const WRONG_SECRET_DELAY_MS = 500;

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
  const { identity, sessions, allowedHosts, aiConfigured, redis, prefix, ttlSeconds, enqueue, approvals, queues, logger } = options;
  const conversations = consoleConversations({ redis, prefix, ttlSeconds });
  const chat = consoleChatHandlers({ conversations, enqueue, logger });
  const admin = consoleAdminHandlers({ redis, prefix, conversations, approvals, queues, logger });

  const signedIn =
    (handler: (req: IncomingMessage, res: ServerResponse, user: ConsoleUser) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const who = identity.identify(req);
      if (who.kind === 'refused') return refuse(req, res, who);
      if (who.kind === 'anonymous') return sendJson(res, 401, { error: 'login_required' });
      return answeringErrors((rq, rs) => handler(rq, rs, who.user))(req, res);
    };
  const refuse = (req: IncomingMessage, res: ServerResponse, { code, message }: { code: string; message: string }) => {
    logger.warn({ code, peer: req.socket.remoteAddress }, 'console request refused');
    sendJson(res, 403, { error: code, message });
  };
  const asset = (type: string, body: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    res.end(body);
  };
  // Bundled (or read) on the first request, once per process.
  let script: Promise<string> | undefined;
  const scriptAsset = async (req: IncomingMessage, res: ServerResponse) => {
    script ??= consoleScript();
    try {
      asset('text/javascript', await script)(req, res);
    } catch (error) {
      script = undefined;
      logger.error({ err: error }, 'console script not available');
      sendJson(res, 500, { error: 'console_script_unavailable' });
    }
  };

  const login = answeringErrors(async (req, res) => {
    const body = await readConsoleJson(req);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!VERIFIED_NAME.test(name)) throw new ConsoleRequestError(400, 'name_must_be_letters_digits_and_dot_dash_underscore_at_plus');
    const session = await identity.login(name, typeof body.password === 'string' ? body.password : '');
    if (session === undefined) {
      logger.warn({ name }, 'console login refused: wrong name, password or token');
      await new Promise((resolve) => setTimeout(resolve, WRONG_SECRET_DELAY_MS));
      throw new ConsoleRequestError(401, 'wrong_credentials');
    }
    logger.info({ user: `console:${name}`, via: session.kind }, 'console login');
    res.setHeader('set-cookie', sessions.cookieFor(session, isHttps(req)));
    sendJson(res, 200, { name, verified: session.kind === 'password' });
  });

  const routes: Routes = {
    'GET /console': asset('text/html', consoleHtml),
    'GET /console/': asset('text/html', consoleHtml),
    'GET /console/app.js': scriptAsset,
    'GET /console/console.css': asset('text/css', consoleStyle),
    'POST /console/login': login,
    'POST /console/logout': answeringErrors(async (req, res) => {
      await readConsoleJson(req);
      res.setHeader('set-cookie', sessions.clearCookie());
      sendJson(res, 200, { ok: true });
    }),
    'GET /console/api/me': (req, res) => {
      const who = identity.identify(req);
      if (who.kind === 'refused') return refuse(req, res, who);
      if (who.kind === 'anonymous') return sendJson(res, 401, { error: 'login_required', loginRequired: true });
      const { user } = who;
      return sendJson(res, 200, {
        name: user.name,
        identity: `console:${user.id}`,
        verified: user.verified,
        via: user.via,
        // Deciding an approval, and any policy mapping, needs a verified identity.
        canApprove: user.verified,
        policyId: user.verified ? chatUserIdOf({ platform: 'console', teamId: CONSOLE_TEAM, id: user.id }) : null,
        aiConfigured,
        loginRequired: !identity.open,
      });
    },
    'POST /console/api/ask': signedIn(chat.ask),
    'GET /console/api/events': signedIn(chat.events),
    'GET /console/api/conversations': signedIn(chat.recent),
    'POST /console/api/approval': signedIn(admin.decide),
    'GET /console/api/audit': signedIn(admin.audit),
    'GET /console/api/health': signedIn(admin.health),
  };
  // DNS rebinding: a page on another origin whose name resolves to us sends its own Host. Refused before anything
  // else (page, login, API, event stream), like /mcp does.
  const hostChecked =
    (handler: RouteHandler): RouteHandler =>
    (req, res) => {
      if (hostAllowed(req.headers.host, allowedHosts)) return handler(req, res);
      logger.warn({ host: req.headers.host }, 'console request refused: Host not allowed');
      return sendJson(res, 403, {
        error: 'host_not_allowed',
        message: 'this Host is not served; add it to CONSOLE_ALLOWED_HOSTS if it is yours',
      });
    };
  return { routes: Object.fromEntries(Object.entries(routes).map(([route, handler]) => [route, hostChecked(handler)])), close: chat.close };
}
