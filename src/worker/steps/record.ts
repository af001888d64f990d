import { noUsage } from '../../agent/run-agent.ts';
import { investigationFindingsTurn } from '../../alerts/investigation-job.ts';
import { settleTurn } from '../../memory/settle-turn.ts';
import { chatUserOf } from '../chat-user-of.ts';
import type { AnsweringContext } from './answering-context.ts';
import type { JobReply } from './job-reply.ts';

/**
 * Records a delivered reply: the turn in thread memory (once per job id), an investigation's findings pinned,
 * the job marked done, incident memory told, the answer audited and logged. Memory comes before `done`, so a
 * retry after a crash here still remembers; the job id makes a second write a no-op.
 */
export async function record(ctx: AnsweringContext, reply: JobReply): Promise<void> {
  const { deps, data, jobId, conversationKey, threadId, job, log } = ctx;
  if (reply.turn !== undefined) await deps.memory.append(conversationKey, jobId, settleTurn(reply.turn), { fetchedAs: chatUserOf(data) });
  if (reply.findings !== undefined && reply.findings.trim() !== '') {
    await deps.memory.pin(conversationKey, `investigation:${jobId}`, investigationFindingsTurn(reply.findings), 'investigation');
  }
  await deps.replyState.write(jobId, { done: '1' });
  if (reply.answeredText !== undefined) await deps.incidents?.answered({ job: data, conversationKey, threadId, text: reply.answeredText });
  if (reply.audit !== undefined) await auditAnswer(ctx, reply.audit);
  if (reply.logged === undefined) return;
  const { fields, message, timings } = reply.logged;
  if (timings === undefined) return log.info(fields, message);
  const total = {
    queueWaitMs: Math.max(0, (job.processedOn ?? job.timestamp) - job.timestamp),
    ...timings,
    chatMs: Math.round(ctx.chatTime.ms),
    totalMs: Math.round(performance.now() - ctx.started),
  };
  log.info({ ...fields, timings: total }, message);
}

/** The job's `answer` (with usage) or `answer_failed` (with the error code) audit event. */
export async function auditAnswer({ deps, auditContext, started }: AnsweringContext, audit: NonNullable<JobReply['audit']>): Promise<void> {
  await deps.audit.record({
    ...auditContext,
    at: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    ...('error' in audit
      ? {
          kind: 'answer_failed' as const,
          result: 'error' as const,
          error: audit.error,
          ...(audit.usage === undefined ? {} : { usage: audit.usage }),
        }
      : { kind: 'answer' as const, result: 'ok' as const, usage: audit.usage ?? noUsage() }),
  });
}
