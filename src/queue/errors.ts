/** Fewer Redis replicas than REDIS_MIN_REPLICAS_ACK confirmed an enqueued job in time: the platform is not acknowledged, so it delivers again. */
export class ReplicationLagError extends Error {
  override readonly name = 'ReplicationLagError';
  readonly code = 'redis_replication_lag';
}
