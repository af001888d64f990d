import { createHash, randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import type { Config } from '../../src/config/schema.ts';
import { allowedHosts } from '../../src/http/host-allowed.ts';
import { isLoopbackHost } from '../../src/http/is-loopback-host.ts';
import type { Routes } from '../../src/http/start-http-server.ts';
import { trustedPeers } from '../../src/http/trusted-peers.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import type { ConsoleApprovals } from './console-admin-handlers.ts';
import { consoleIdentity } from './console-identity.ts';
import { consoleRoutes } from './console-routes.ts';
import { consoleSessions } from './console-session.ts';
import { loadConsoleUsers } from './console-users.ts';

export interface WebConsoleOptions {
  config: Config;
  redis: RedisClient;
  enqueue: (job: ChatJob) => Promise<string>;
  approvals: ConsoleApprovals;
  queues: Record<string, Queue>;
  logger: Logger;
}

/**
 * The web console's routes when it may be offered: with a way to sign in (CONSOLE_USERS_FILE accounts, the
 * authenticating proxy of CONSOLE_TRUSTED_PROXIES, the shared CONSOLE_TOKEN), or on a loopback HOST (then without a
 * login, said loudly in the log). Beyond loopback without any it is not mounted at all (CONSOLE_ENABLED=true makes
 * that a start-up error instead); CONSOLE_ENABLED=false turns it off. Reads CONSOLE_USERS_FILE once (a bad file fails
 * the start with ConfigError).
 */
export function webConsole({
  config,
  redis,
  enqueue,
  approvals,
  queues,
  logger,
}: WebConsoleOptions): { routes: Routes; close: () => void } | undefined {
  if (config.CONSOLE_ENABLED === false) return undefined;
  const token = config.CONSOLE_TOKEN;
  const proxies = config.CONSOLE_TRUSTED_PROXIES;
  const users = config.CONSOLE_USERS_FILE === undefined ? undefined : loadConsoleUsers(config.CONSOLE_USERS_FILE);
  const loginConfigured = token !== undefined || users !== undefined || proxies !== undefined;
  if (!loginConfigured && !isLoopbackHost(config.HOST)) {
    logger.warn(
      { host: config.HOST },
      'web console off: HOST is not loopback and no login is configured (CONSOLE_USERS_FILE, CONSOLE_TRUSTED_PROXIES or CONSOLE_TOKEN)',
    );
    return undefined;
  }
  if (!loginConfigured) {
    logger.warn(
      { host: config.HOST },
      'web console has NO LOGIN: no login is configured, so anyone on this machine can use /console (as an unverified user: asking and reading, no approvals)',
    );
  }
  if (users === undefined && proxies === undefined) {
    logger.warn(
      'web console: no verified identities (CONSOLE_USERS_FILE or CONSOLE_TRUSTED_PROXIES), so nobody can approve or deny from the console',
    );
  }
  if (users !== undefined && config.CONSOLE_SESSION_SECRET === undefined) {
    logger.warn(
      'web console: CONSOLE_SESSION_SECRET is not set, so sessions are signed with a key of this process only: they end on restart and do not carry across gateway replicas',
    );
  }
  const sessions = consoleSessions({ key: sessionKey(config, users !== undefined) });
  const proxy = proxies === undefined ? undefined : { header: config.CONSOLE_IDENTITY_HEADER, trusted: trustedPeers(proxies) };
  return consoleRoutes({
    identity: consoleIdentity({ sessions, users, token, proxy }),
    sessions,
    allowedHosts: allowedHosts({ bindHost: config.HOST, extra: config.CONSOLE_ALLOWED_HOSTS }),
    aiConfigured: config.ANTHROPIC_API_KEY !== undefined,
    redis,
    prefix: config.QUEUE_PREFIX,
    ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    enqueue,
    approvals,
    queues,
    logger,
  });
}

/**
 * The key session cookies are signed with: CONSOLE_SESSION_SECRET; else, when the shared token is the only
 * password-style login, derived from CONSOLE_TOKEN (rotating it signs everyone out; whoever holds it may start a
 * shared-token session anyway); never from the token when console accounts exist, or a token holder could forge an
 * account's session; else random per process.
 */
function sessionKey(config: Config, withAccounts: boolean): Buffer {
  const seed = config.CONSOLE_SESSION_SECRET ?? (withAccounts ? undefined : config.CONSOLE_TOKEN);
  return seed === undefined ? randomBytes(32) : createHash('sha256').update(`ai4k8s-console-session:${seed}`).digest();
}
