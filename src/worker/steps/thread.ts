import { threadKey } from '../../memory/thread-key.ts';
import { questionRootText } from '../question-root-text.ts';
import type { JobContext } from './job-context.ts';

/** Where the job answers: the thread, and the key of its memory. */
export interface JobThread {
  threadId: string;
  conversationKey: string;
}

/**
 * The thread the answer goes into: the one the question was asked in, else a root message posted once (`/k8s`).
 * From here on the bot takes part in the thread: a follow-up there (no mention needed) continues it.
 */
export async function openThread({ data, channel, ledger, deps }: JobContext): Promise<JobThread> {
  const threadId =
    data.replyTarget.threadTs ?? (await ledger.once('root', {}, (key) => channel.postRoot(questionRootText(channel, data), key)));
  const conversationKey = threadKey(data.replyTarget, threadId);
  await deps.memory.markThread(conversationKey);
  return { threadId, conversationKey };
}
