import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from './create-kube-client.ts';
import { ClusterUnreachableError, KubeServerError, toKubeError, type KubeError } from './errors.ts';

export interface CallKubeOptions {
  /**
   * Retries of a 429/5xx answer or of a connection that broke (reset, refused, cut mid-answer). Reads are
   * idempotent, so a retry saves the model a round trip; writes pass 0.
   */
  retries?: number;
  /** Longest Retry-After honoured before giving up and reporting the error. */
  maxRetryAfterMs?: number;
  /** First back-off without a Retry-After; each retry waits a random time up to twice the previous cap. */
  backoffMs?: number;
}

/**
 * Runs one API call and translates what it throws into a KubeError (bugs pass through unchanged).
 * A 429/5xx is retried after its Retry-After, a broken connection after a jittered back-off; a 4xx, a timeout,
 * DNS and TLS failures are not. A connection failure that outlives its retries says how often it was tried.
 */
export async function callKube<T>(
  kube: Pick<KubeClient, 'server'>,
  call: () => Promise<T>,
  { retries = 3, maxRetryAfterMs = 5_000, backoffMs = 100 }: CallKubeOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const mapped = toKubeError(error, { server: kube.server });
      if (mapped === undefined) throw error;
      // Full jitter: concurrent calls that failed together do not come back together.
      const delay = mapped.retryAfterMs ?? Math.random() * backoffMs * 2 ** attempt;
      if (!retriable(mapped) || attempt >= retries || delay > maxRetryAfterMs) {
        throw mapped instanceof ClusterUnreachableError && attempt > 0 ? mapped.afterAttempts(attempt + 1) : mapped;
      }
      await sleep(delay);
    }
  }
}

function retriable(error: KubeError): boolean {
  return error instanceof KubeServerError || (error instanceof ClusterUnreachableError && error.transient);
}
