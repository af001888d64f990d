import { Registry } from 'prom-client';
import type { RequestObserver, Routes } from '../http/start-http-server.ts';
import { httpMetrics } from './http-metrics.ts';
import { processMetrics } from './process-metrics.ts';
import { queueMetrics, type CountedQueue } from './queue-metrics.ts';

export interface RoleMetrics {
  /** GET /metrics: this role's metrics plus the process's, in the Prometheus text format. */
  routes: Routes;
  /** Pass to startHttpServer's `observe` to count the role's HTTP requests. */
  observeRequest: RequestObserver;
  registry: Registry;
  /** Adds a queue to the job gauges (one created after the metrics, e.g. the optional alert queue). */
  countQueue(queue: CountedQueue): void;
}

export interface RoleMetricsOptions {
  /** Queues whose job counts this role reports (the gateway's); without it the role has no queue gauges. */
  queues?: readonly CountedQueue[];
  /** Queue counts are re-read from Redis at most this often (METRICS_QUEUE_REFRESH_SECONDS). */
  queueRefreshMs?: number;
}

/**
 * The metrics one role serves. Each role has its own registry (so `all` in one process serves three
 * endpoints without clashing names), merged at scrape time with the process registry.
 */
export function roleMetrics({ queues, queueRefreshMs }: RoleMetricsOptions = {}): RoleMetrics {
  const registry = new Registry();
  const observeRequest = httpMetrics(registry);
  // Read at every refresh, so a queue added later is counted from then on.
  const counted = [...(queues ?? [])];
  if (queues !== undefined)
    queueMetrics({ registry, queues: counted, ...(queueRefreshMs === undefined ? {} : { refreshMs: queueRefreshMs }) });
  return {
    registry,
    observeRequest,
    countQueue(queue) {
      if (queues === undefined) throw new Error('countQueue: this role was not given queues to count');
      counted.push(queue);
    },
    routes: {
      'GET /metrics': async (_req, res) => {
        const merged = Registry.merge([processMetrics().registry, registry]);
        const text = await merged.metrics();
        res.writeHead(200, { 'content-type': merged.contentType, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      },
    },
  };
}
