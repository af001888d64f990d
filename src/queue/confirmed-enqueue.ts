import type { Logger } from '../log/create-logger.ts';
import { EnqueueRefusedError, EnqueueUnconfirmedError } from './errors.ts';
import type { JobStartGate } from './job-start-gate.ts';

export interface ConfirmedEnqueueOptions {
  /** The add, on a fail-fast connection (createFailFastRedis) and bounded in time. */
  add: () => Promise<string>;
  jobId: string;
  /** Where an unconfirmed job is cancelled; its connection waits for Redis to come back. */
  gate: JobStartGate;
  logger: Logger;
}

/**
 * Failures that prove nothing was written: ioredis's refusal to send while the connection (or, on a Cluster, the
 * cluster) is down with enableOfflineQueue: false, and a former master's READONLY after a Sentinel failover.
 */
const NOT_SENT = new Set([
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
]);
const notWritten = (error: unknown) => error instanceof Error && (NOT_SENT.has(error.message) || error.message.startsWith('READONLY'));

/**
 * Enqueues and says what is known: the job id when Redis confirmed the add; `EnqueueRefusedError` when the
 * command was never sent (the job will never run: "not started" is true); `EnqueueUnconfirmedError` otherwise
 * (sent, then the connection dropped or the answer came too late), with a `cancel()` for the adapter.
 */
export async function confirmedEnqueue({ add, jobId, gate, logger }: ConfirmedEnqueueOptions): Promise<string> {
  try {
    return await add();
  } catch (error) {
    if (notWritten(error)) throw new EnqueueRefusedError(error);
    const cancel = () => {
      gate.cancel(jobId).then(
        (cancelled) =>
          logger.warn(
            { jobId, cancelled },
            cancelled ? 'unconfirmed job cancelled: it will never start' : 'unconfirmed job had already started: it will be answered',
          ),
        (cancelError: unknown) => logger.error({ err: cancelError, jobId }, 'could not cancel an unconfirmed job'),
      );
    };
    throw new EnqueueUnconfirmedError(jobId, cancel, error);
  }
}
