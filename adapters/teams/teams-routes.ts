import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideApproval, type DecideApprovalOptions } from '../../src/approval/decide-approval.ts';
import { conversationRef } from './reply/teams-reply-channel.ts';
import { BodyTooLargeError, readBody, sendJson, type Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { TeamsAuthError } from './errors.ts';
import type { TeamsConnector } from './teams-connector.ts';
import { teamsActivityJob, type TeamsActivity, type TeamsActivityDecision } from './teams-activity-job.ts';
import { teamsActivityRefusal } from './teams-activity-refusal.ts';

/** Activities are small; a card submit or a long question stays far below this. */
const ACTIVITY_BODY_LIMIT = 256 * 1024;

export interface TeamsRoutesOptions {
  connector: TeamsConnector;
  enqueue: (job: ChatJob) => Promise<string>;
  /** Whether the bot takes part in a thread (thread memory in Redis): an unmentioned message elsewhere is ignored. */
  isKnownThread: (threadKey: string) => Promise<boolean>;
  /** The tenants served (teamsAllowedTenants); undefined: any. */
  allowedTenants?: readonly string[] | undefined;
  /** What decideApproval needs besides the click. */
  approvals: Pick<DecideApprovalOptions, 'store' | 'settings' | 'enqueue' | 'audit' | 'signer'>;
  logger: Logger;
}

/**
 * `POST /api/messages`, the Bot Framework messaging endpoint: verify the bearer token (401 otherwise), check the
 * activity (400 when malformed), refuse channels other than Teams and tenants not allowed (403), then normalise,
 * dedupe and enqueue inside the bot's turn and answer at once (202 queued, 200 nothing to do). No model or cluster
 * call happens here.
 *
 * A refused activity is answered 403, not ignored with 200: it is authentic but not permitted, a 4xx is final for
 * the Bot Connector (it retries only failures it deems transient), and the refusal shows in the bot's channel error
 * log, where an admin sees that someone outside the allowed tenants installed or reached the bot.
 */
export function teamsRoutes({ connector, enqueue, isKnownThread, allowedTenants, approvals, logger }: TeamsRoutesOptions): Routes {
  const log = logger.child({ adapter: 'teams' });
  if (connector.mode === 'emulator') {
    log.warn(
      'TEAMS EMULATOR MODE: TEAMS_APP_ID is not set, so POST /api/messages accepts UNAUTHENTICATED requests. Use only with the Bot Framework Emulator on a trusted network.',
    );
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, ACTIVITY_BODY_LIMIT)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'payload_too_large' });
      return sendJson(res, 400, { error: 'bad_request', message: 'expected a JSON activity' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return sendJson(res, 400, { error: 'bad_request', message: 'expected a JSON activity' });
    let verified;
    try {
      verified = await connector.authenticate(req.headers.authorization ?? '', body as Record<string, unknown>);
    } catch (error) {
      if (error instanceof TeamsAuthError) return sendJson(res, 401, { error: 'unauthorized' });
      throw error;
    }
    const decision = teamsActivityJob(body);
    if (decision.kind === 'malformed') {
      log.info({ reason: decision.reason }, 'malformed teams activity');
      return sendJson(res, 400, { error: 'bad_request', message: decision.reason });
    }
    const activity = body as TeamsActivity;
    const refusal = teamsActivityRefusal({ activity, mode: connector.mode, allowedTenants });
    if (refusal !== undefined) {
      log.warn(
        { reason: refusal, channelId: activity.channelId, from: activity.from.aadObjectId ?? activity.from.id },
        'teams activity refused',
      );
      return sendJson(res, 403, { error: 'forbidden', message: refusal });
    }
    const status = await connector.runTurn(verified, activity, () => act(decision));
    res.writeHead(status).end();
  };

  /** Does what the activity asks; returns the HTTP status to answer with. */
  const act = async (decision: Exclude<TeamsActivityDecision, { kind: 'malformed' }>): Promise<number> => {
    if (decision.kind === 'ignore') {
      log.debug({ reason: decision.reason }, 'teams activity ignored');
      return 200;
    }
    if (decision.kind === 'approval') {
      const { token, digest, clicker, replyTarget } = decision;
      const outcome = await decideApproval({ ...approvals, token, digest, decision: decision.decision, clicker });
      log.info(
        { clicker: clicker.id, decision: decision.decision, approval: token.slice(0, 8), done: outcome.done, message: outcome.message },
        outcome.done ? 'approval decided' : 'approval click refused',
      );
      // Teams has no ephemeral messages for bots: a refusal is said in the conversation, best effort and
      // after the response (the click is already decided; Teams should not wait on our outgoing call).
      if (!outcome.done) {
        void connector
          .send(conversationRef(replyTarget, replyTarget.threadTs), {
            text: `⛔ Not done: ${outcome.message}. Nothing was changed.`,
            textFormat: 'markdown',
          })
          .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker why the click was refused'));
      }
      return 200;
    }
    if (decision.kind === 'followUp' && !(await isKnownThread(decision.threadKey))) {
      log.debug({ threadKey: decision.threadKey }, 'teams message ignored: not mentioned, in a thread the bot is not in');
      return 200;
    }
    const { job } = decision;
    const jobId = await enqueue(job);
    log.info({ jobId, conversation: job.replyTarget.channel, user: job.user.id, kind: decision.kind }, 'teams message queued');
    return 202;
  };

  return { 'POST /api/messages': handle };
}
