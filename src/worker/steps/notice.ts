import type { JobContext } from './job-context.ts';
import type { JobThread } from './thread.ts';

/** Answers with usage or a refusal, once across attempts, and marks the job done: no progress message, no model. */
export async function postNotice({ channel, ledger, deps, jobId, log, threadId }: JobContext & JobThread, text: string): Promise<void> {
  await ledger.once('notice', { threadId }, (key) => channel.postInThread(threadId, channel.format(text), key));
  await deps.replyState.write(jobId, { answeredChunks: '1', done: '1' });
  log.info({ outcome: 'notice' }, 'answered with usage or a refusal');
}
