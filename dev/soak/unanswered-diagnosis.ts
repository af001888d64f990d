import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { LogLine } from '../../bench/support/spawn-logged-process.ts';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import type { FakeSlackMessage } from '../fakes/fake-slack-api.ts';

export interface UnansweredDiagnosisOptions {
  redisUrl: string;
  prefix: string;
  /** The question indexes acknowledged as queued and never answered. */
  indexes: readonly number[];
  messages: readonly FakeSlackMessage[];
  /** Every role log line that named a job, in order, with its process id. */
  jobLines: ReadonlyMap<string, readonly (LogLine & { pid: number | undefined })[]>;
}

/**
 * What happened to each acknowledged but unanswered question, for a failing soak's report: its job id (from the
 * root message's metadata), its state in BullMQ and in the reply state, and every role log line about it.
 */
export async function diagnoseUnanswered({ redisUrl, prefix, indexes, messages, jobLines }: UnansweredDiagnosisOptions): Promise<string[]> {
  if (indexes.length === 0) return [];
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(CHAT_QUEUE, { connection: redis, prefix: redisKeys(prefix).queuePrefix });
  try {
    return await Promise.all(
      indexes.map(async (index) => {
        const root = messages.find((m) => m.threadTs === undefined && m.text.startsWith(`soak #${index}:`));
        const jobId = jobIdOf(root?.metadata);
        if (jobId === undefined) return `#${index}: no root with a job id`;
        const job = await queue.getJob(jobId);
        const hash = await redis.hgetall(`${redisKeys(prefix).queuePrefix}:${CHAT_QUEUE}:${jobId}`);
        const { data: _data, returnvalue: _returnvalue, ...jobFields } = hash;
        const reply = await redis.hgetall(redisKeys(prefix).replyState(jobId));
        const lines = (jobLines.get(jobId) ?? []).map(
          (l) =>
            `    ${String(l.time)} pid ${String(l.pid)} ${String(l.level)}: ${String(l.msg)}${l.err === undefined ? '' : ` (${JSON.stringify(l.err).slice(0, 300)})`}`,
        );
        const replies = messages
          .filter((m) => root !== undefined && m.channel === root.channel && m.threadTs === root.ts && m.ts !== root.ts)
          .map((m) => `  reply ${m.ts} (${m.edits.length} edits): ${JSON.stringify(m.text.slice(0, 160))}`);
        return [
          `#${index} ${jobId}: state ${job === undefined ? 'gone' : await job.getState()}, job ${JSON.stringify(jobFields)}`,
          `  reply state ${JSON.stringify(reply)}`,
          ...replies,
          ...lines,
        ].join('\n');
      }),
    );
  } catch (error) {
    return [`could not diagnose: ${String(error)}`];
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

function jobIdOf(metadata: unknown): string | undefined {
  const payload = (metadata as { event_payload?: { job?: unknown } } | undefined)?.event_payload;
  return typeof payload?.job === 'string' ? payload.job : undefined;
}
