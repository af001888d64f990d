import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONVERSATION_ID, newConsoleId, type ConsoleConversations } from './reply/console-conversations.ts';
import { CONSOLE_MAX_QUESTION_CHARS } from '../../src/chat/question-notice.ts';
import { sendJson } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { threadKey } from '../../src/memory/thread-key.ts';
import type { ChatJob, ConsoleReplyTarget } from '../../src/queue/chat-job.ts';
import { EnqueueUnconfirmedError } from '../../src/queue/errors.ts';
import { ConsoleRequestError, queryOf, readConsoleJson } from './console-http.ts';
import type { ConsoleUser } from './console-identity.ts';

/** The console's realm: every console conversation's `teamId`, so memory, audit and policy ids read `console:console:<name>`. */
export const CONSOLE_TEAM = 'console';
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
/** How often an open event stream looks for new events: cheap XRANGEs on the shared connection, no blocking reads. */
const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

export interface ConsoleChatOptions {
  conversations: ConsoleConversations;
  enqueue: (job: ChatJob) => Promise<string>;
  logger: Logger;
}

type UserHandler = (req: IncomingMessage, res: ServerResponse, user: ConsoleUser) => Promise<void>;

/**
 * Asking (the question goes into the conversation, then onto the same queue as Slack's) and watching a
 * conversation as Server-Sent Events. `close()` ends open event streams so the server can stop.
 */
export function consoleChatHandlers({ conversations, enqueue, logger }: ConsoleChatOptions) {
  const streams = new Set<ServerResponse>();

  const ask: UserHandler = async (req, res, user) => {
    const body = await readConsoleJson(req);
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (text === '' || text.length > CONSOLE_MAX_QUESTION_CHARS) throw new ConsoleRequestError(400, 'question_empty_or_too_long');
    const conversationId = idOrNew(body.conversationId);
    // The page's own id for this question: a double submit is one job (BullMQ ignores a repeated job id).
    const requestId = idOrNew(body.requestId);
    const replyTarget: ConsoleReplyTarget = {
      platform: 'console',
      teamId: CONSOLE_TEAM,
      channel: conversationId,
      threadTs: conversationId,
    };
    await conversations.describe(conversationId, { title: text, user: user.id });
    await conversations.append(conversationId, {
      type: 'message',
      id: requestId,
      role: 'user',
      text,
      by: user.id,
      at: new Date().toISOString(),
    });
    const job: ChatJob = {
      platform: 'console',
      deliveryId: `console:${conversationId}:${requestId}`,
      conversationKey: threadKey(replyTarget, conversationId),
      replyTarget,
      // An unverified user's id ("<name> (unverified)") forms no chat user id: the worker sends no X-Ai4k8s-User for it.
      user: { id: user.id, name: user.name },
      text,
      receivedAt: new Date().toISOString(),
    };
    try {
      const jobId = await enqueue(job);
      logger.info({ jobId, conversationId, user: user.id }, 'console question enqueued');
      sendJson(res, 202, { conversationId, jobId });
    } catch (error) {
      logger.error({ err: error, conversationId }, 'console question not enqueued');
      // The page never sends the same request again: an unconfirmed question is cancelled unless a worker took it.
      if (error instanceof EnqueueUnconfirmedError) error.cancel();
      sendJson(res, 503, { error: error instanceof EnqueueUnconfirmedError ? 'queue_unconfirmed' : 'queue_unavailable', conversationId });
    }
  };

  const events: UserHandler = async (req, res) => {
    const query = queryOf(req);
    const conversationId = query.get('conversation') ?? '';
    if (!CONVERSATION_ID.test(conversationId)) throw new ConsoleRequestError(400, 'conversation_required');
    const resumeFrom = String(req.headers['last-event-id'] ?? query.get('after') ?? '');
    let last = STREAM_ID.test(resumeFrom) ? resumeFrom : undefined;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    let open = true;
    let wake: (() => void) | undefined;
    const stop = () => {
      open = false;
      streams.delete(res);
      wake?.();
    };
    res.once('close', stop);
    let lastWrite = Date.now();
    while (open) {
      for (const { streamId, event } of await conversations.read(conversationId, last)) {
        res.write(`id: ${streamId}\ndata: ${JSON.stringify(event)}\n\n`);
        last = streamId;
        lastWrite = Date.now();
      }
      if (Date.now() - lastWrite > HEARTBEAT_MS) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS).unref();
      });
    }
  };

  const recent: UserHandler = async (_req, res) => {
    sendJson(res, 200, { conversations: await conversations.recent(50) });
  };

  return {
    ask,
    events,
    recent,
    close: () => {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

function idOrNew(value: unknown): string {
  if (value === undefined || value === null || value === '') return newConsoleId();
  if (typeof value !== 'string' || !CONVERSATION_ID.test(value)) throw new ConsoleRequestError(400, 'invalid_id');
  return value;
}
