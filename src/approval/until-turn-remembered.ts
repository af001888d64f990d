import type { ConversationStore } from '../memory/conversation-store.ts';

export interface UntilTurnRememberedOptions {
  memory: Pick<ConversationStore, 'hasTurn'>;
  conversationKey: string;
  jobId: string;
  /** Give up after this long and continue with whatever history there is. */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Waits until the asking job's turn is in the thread's memory. A quick click can be resolved while the asking job
 * is still writing its answer ("waiting for approval"); the continuation must come after that turn, or the model
 * would not see the tool call it is told the outcome of. Bounded: a turn that never lands (the asking job failed)
 * only delays the continuation. Returns whether the turn was found.
 */
export async function untilTurnRemembered({
  memory,
  conversationKey,
  jobId,
  timeoutMs = 30_000,
  pollMs = 200,
}: UntilTurnRememberedOptions): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await memory.hasTurn(conversationKey, jobId)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
