import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../queue/with-timeout.ts';

export const JOB_STATES = ['waiting', 'active', 'failed', 'delayed', 'completed'] as const;

/** What the queue gauges need of a BullMQ queue (a test can pass a stand-in). */
export type CountedQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getWorkersCount'>;

export interface QueueMetricsOptions {
  registry: Registry;
  queues: readonly CountedQueue[];
  /** A scrape must not hang on an unreachable Redis; past this the queue gauges are left out of the scrape. */
  timeoutMs?: number;
}

/**
 * Jobs per queue and state, and workers per queue, read from Redis at scrape time (not kept in the process):
 * every gateway replica reports the same shared numbers, so dashboards take max() over instances, not sum().
 */
export function queueMetrics({ registry, queues, timeoutMs = 2_000 }: QueueMetricsOptions): void {
  new Gauge({
    name: 'ai4k8s_queue_jobs',
    help: 'Jobs in the queue by state (read from Redis at scrape time).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((queue) => readCounts(queue, () => queue.getJobCounts(...JOB_STATES), timeoutMs)));
      counts.forEach((byState, index) => {
        const queue = queues[index]?.name ?? '';
        if (byState === undefined) return;
        for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
      });
    },
  });
  new Gauge({
    name: 'ai4k8s_queue_workers',
    help: 'Workers connected to the queue (read from Redis at scrape time).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((queue) => readCounts(queue, () => queue.getWorkersCount(), timeoutMs)));
      counts.forEach((workers, index) => {
        if (workers !== undefined) this.set({ queue: queues[index]?.name ?? '' }, workers);
      });
    },
  });
}

/** undefined when Redis does not answer in time: a missing series says "unknown", a 0 would lie. */
async function readCounts<T>(queue: CountedQueue, read: () => Promise<T>, timeoutMs: number): Promise<T | undefined> {
  try {
    return await withTimeout(read(), timeoutMs, `counting jobs of queue ${queue.name} timed out`);
  } catch {
    return undefined;
  }
}
