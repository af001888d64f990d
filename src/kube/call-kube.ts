import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from './create-kube-client.ts';
import { KubeServerError, toKubeError } from './errors.ts';

export interface CallKubeOptions {
  /** Retries of a 429/5xx answer; reads are idempotent, so a short retry saves the model a round trip. */
  retries?: number;
  /** Longest Retry-After honoured before giving up and reporting the error. */
  maxRetryAfterMs?: number;
}

/**
 * Runs one API call and translates what it throws into a KubeError (bugs pass through unchanged).
 * A 429/5xx is retried after its Retry-After (or a short back-off); 4xx and unreachable are not.
 */
export async function callKube<T>(
  kube: Pick<KubeClient, 'server'>,
  call: () => Promise<T>,
  { retries = 2, maxRetryAfterMs = 5_000 }: CallKubeOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const mapped = toKubeError(error, { server: kube.server });
      if (mapped === undefined) throw error;
      const delay = mapped.retryAfterMs ?? 200 * 2 ** attempt;
      if (!(mapped instanceof KubeServerError) || attempt >= retries || delay > maxRetryAfterMs) throw mapped;
      await sleep(delay);
    }
  }
}
