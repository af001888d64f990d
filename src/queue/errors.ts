/** Errors the queue layer raises across its boundary (the gateway's adapters choose the ack from them). */

/** The job never reached Redis (the connection was down and nothing was sent): it will never run. */
export class EnqueueRefusedError extends Error {
  override readonly name = 'EnqueueRefusedError';
  readonly code = 'enqueue_refused';
  constructor(cause: unknown) {
    super('the job was not queued: Redis is unreachable and nothing was sent', { cause });
  }
}

/**
 * Whether the job reached Redis is unknown (the connection dropped or timed out with the command in flight).
 * `cancel()` makes sure it never starts if no worker has started it yet (jobStartGate): for a question the
 * platform will not deliver again (a slash command, a console message), the adapter cancels and says so.
 */
export class EnqueueUnconfirmedError extends Error {
  override readonly name = 'EnqueueUnconfirmedError';
  readonly code = 'enqueue_unconfirmed';
  constructor(
    readonly jobId: string,
    /** Runs the cancellation in the background (it waits for Redis to come back); never rejects. */
    readonly cancel: () => void,
    cause: unknown,
  ) {
    super(`the job ${jobId} may or may not be queued: Redis did not confirm it`, { cause });
  }
}

/** Fewer Redis replicas than REDIS_MIN_REPLICAS_ACK confirmed an enqueued job in time: the enqueue is unconfirmed (the platform delivers again, or the adapter cancels). */
export class ReplicationLagError extends Error {
  override readonly name = 'ReplicationLagError';
  readonly code = 'redis_replication_lag';
}
