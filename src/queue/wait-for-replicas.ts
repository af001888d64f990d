import type { RedisClient } from './create-redis.ts';
import { ReplicationLagError } from './errors.ts';

export interface ReplicatedEnqueueOptions {
  redis: RedisClient;
  /** REDIS_MIN_REPLICAS_ACK: 0 skips the wait. */
  replicas: number;
  timeoutMs: number;
}

/**
 * Waits (Redis WAIT, on the connection that wrote the job) until `replicas` replicas hold every write made so far,
 * so a failover right after the platform's acknowledgement cannot lose the job. Writes of one connection are
 * replicated in order, so one WAIT after the enqueue covers it.
 */
export function waitForReplicas({ redis, replicas, timeoutMs }: ReplicatedEnqueueOptions): () => Promise<void> {
  return async () => {
    if (replicas === 0 || redis.isCluster) return;
    const acknowledged = await redis.wait(replicas, timeoutMs);
    if (acknowledged < replicas)
      throw new ReplicationLagError(`only ${acknowledged} of ${replicas} Redis replicas confirmed the job within ${timeoutMs} ms`);
  };
}
