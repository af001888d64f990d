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
  /**
   * Counts younger than this are served from memory: /metrics is public, so scrapes (however many, however
   * concurrent) cost Redis at most one round of reads per interval. 0 reads at every scrape.
   */
  refreshMs?: number;
}

interface Snapshot {
  at: number;
  /** Per queue, in order; undefined when Redis did not answer in time. */
  jobs: (Record<string, number> | undefined)[];
  workers: (number | undefined)[];
  names: string[];
}

/**
 * Jobs per queue and state, and workers per queue, read from Redis (not kept in the process): every gateway replica
 * reports the same shared numbers, so dashboards take max() over instances, not sum(). One snapshot feeds both
 * gauges; it is re-read when older than `refreshMs`, and concurrent scrapes share the one read in flight.
 */
export function queueMetrics({ registry, queues, timeoutMs = 2_000, refreshMs = 10_000 }: QueueMetricsOptions): void {
  let snapshot: Snapshot | undefined;
  let reading: Promise<Snapshot> | undefined;
  const read = async (): Promise<Snapshot> => {
    const counted = [...queues];
    const [jobs, workers] = await Promise.all([
      Promise.all(counted.map((queue) => readCounts(queue, () => queue.getJobCounts(...JOB_STATES), timeoutMs))),
      Promise.all(counted.map((queue) => readCounts(queue, () => queue.getWorkersCount(), timeoutMs))),
    ]);
    return { at: Date.now(), jobs, workers, names: counted.map((queue) => queue.name) };
  };
  const current = (): Promise<Snapshot> => {
    const fresh = snapshot !== undefined && Date.now() - snapshot.at < refreshMs && snapshot.names.length === queues.length;
    if (fresh) return Promise.resolve(snapshot as Snapshot);
    reading ??= read()
      .then((taken) => (snapshot = taken))
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  new Gauge({
    name: 'ai4k8s_queue_jobs',
    help: 'Jobs in the queue by state (read from Redis, at most once per refresh interval).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const { jobs, names } = await current();
      this.reset();
      jobs.forEach((byState, index) => {
        if (byState === undefined) return;
        for (const state of JOB_STATES) this.set({ queue: names[index] ?? '', state }, byState[state] ?? 0);
      });
    },
  });
  new Gauge({
    name: 'ai4k8s_queue_workers',
    help: 'Workers connected to the queue (read from Redis, at most once per refresh interval).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const { workers, names } = await current();
      this.reset();
      workers.forEach((count, index) => {
        if (count !== undefined) this.set({ queue: names[index] ?? '' }, count);
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
