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

/** ioredis's refusal to send while the connection is down (enableOfflineQueue: false): nothing reached Redis. */
const NOT_SENT = "Stream isn't writeable and enableOfflineQueue options is false";

/**
 * Enqueues and says what is known: the job id when Redis confirmed the add; `EnqueueRefusedError` when the
 * command was never sent (the job will never run: "not started" is true); `EnqueueUnconfirmedError` otherwise
 * (sent, then the connection dropped or the answer came too late), with a `cancel()` for the adapter.
 */
export async function confirmedEnqueue({ add, jobId, gate, logger }: ConfirmedEnqueueOptions): Promise<string> {
  try {
    return await add();
  } catch (error) {
    if (error instanceof Error && error.message === NOT_SENT) throw new EnqueueRefusedError(error);
    const cancel = () => {
      gate.cancel(jobId).then(
        (cancelled) => logger.warn({ jobId, cancelled }, cancelled ? 'unconfirmed job cancelled: it will never start' : 'unconfirmed job had already started: it will be answered'),
        (cancelError: unknown) => logger.error({ err: cancelError, jobId }, 'could not cancel an unconfirmed job'),
      );
    };
    throw new EnqueueUnconfirmedError(jobId, cancel, error);
  }
}
