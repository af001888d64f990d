import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { decideApproval, type DecideApprovalOptions } from '../../src/approval/decide-approval.ts';
import { CONVERSATION_ID, type ConsoleConversations } from './reply/console-conversations.ts';
import { sendJson } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { consoleAudit } from './console-audit.ts';
import { CONSOLE_TEAM } from './console-chat-routes.ts';
import { ConsoleRequestError, queryOf, readConsoleJson } from './console-http.ts';
import type { ConsoleUser } from './console-identity.ts';

/** What decideApproval needs besides the click itself: the gateway's approval store, settings, queue and audit. */
export type ConsoleApprovals = Omit<DecideApprovalOptions, 'token' | 'digest' | 'decision' | 'clicker'>;

export interface ConsoleAdminOptions {
  redis: RedisClient;
  prefix: string;
  conversations: ConsoleConversations;
  approvals: ConsoleApprovals;
  /** The chat and approval queues, for their job counts and workers. */
  queues: Record<string, Queue>;
  logger: Logger;
}

type UserHandler = (req: IncomingMessage, res: ServerResponse, user: ConsoleUser) => Promise<void>;

/** Why a shared-token or loopback session may not decide an approval. */
export const VERIFIED_IDENTITY_REQUIRED =
  'approving or denying needs a verified identity: sign in with your own console account (CONSOLE_USERS_FILE) or through the single sign-on proxy. The shared console token lets you ask and read, not decide.';

const MAX_AUDIT = 500;

/** Approve / Deny from the console (the same decision as a Slack click), the audit log, and queue health. */
export function consoleAdminHandlers({ redis, prefix, conversations, approvals, queues, logger }: ConsoleAdminOptions) {
  const auditLog = consoleAudit({ redis, prefix, conversations, chatQueue: queues.chat });
  const decide: UserHandler = async (req, res, user) => {
    const body = await readConsoleJson(req);
    // Before decideApproval: an unverified click is not a decision, so it is neither taken nor audited as one.
    if (!user.verified) {
      logger.warn({ user: user.id, via: user.via }, 'console approval refused: no verified identity');
      sendJson(res, 403, { error: 'verified_identity_required', message: VERIFIED_IDENTITY_REQUIRED });
      return;
    }
    const decision = body.decision;
    if (decision !== 'approved' && decision !== 'denied') throw new ConsoleRequestError(400, 'decision_must_be_approved_or_denied');
    const token = typeof body.token === 'string' ? body.token : '';
    // The digest of the action the card showed, as the page got it with the card; decideApproval compares it.
    const digest = typeof body.digest === 'string' ? body.digest.slice(0, 64) : undefined;
    const channel = typeof body.conversationId === 'string' ? body.conversationId.slice(0, 64) : undefined;
    const outcome = await decideApproval({
      ...approvals,
      token,
      digest,
      decision,
      clicker: { platform: 'console', teamId: CONSOLE_TEAM, id: user.id, channel },
    });
    logger.info({ user: user.id, via: user.via, decision, approval: token.slice(0, 8), done: outcome.done }, 'console approval click');
    sendJson(res, 200, outcome);
  };

  /** The newest events, or (`conversation=<id>`) those of one console conversation; each with its question's first words. */
  const audit: UserHandler = async (req, res) => {
    const query = queryOf(req);
    const limit = Math.min(MAX_AUDIT, Math.max(1, Number(query.get('limit') ?? 100) || 100));
    const conversation = query.get('conversation') ?? undefined;
    if (conversation !== undefined && !CONVERSATION_ID.test(conversation)) throw new ConsoleRequestError(400, 'invalid_conversation');
    sendJson(res, 200, { events: await auditLog.read({ limit, conversation }) });
  };

  const health: UserHandler = async (_req, res) => {
    const report = await Promise.all(
      Object.entries(queues).map(async ([name, queue]) => {
        const [counts, workers] = await Promise.all([
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
          queue.getWorkers().catch(() => []),
        ]);
        return { name, counts, workers: workers.length };
      }),
    );
    sendJson(res, 200, { queues: report, at: new Date().toISOString() });
  };

  return { decide, audit, health };
}
