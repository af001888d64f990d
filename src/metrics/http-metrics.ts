import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestObserver } from '../http/start-http-server.ts';

/** HTTP requests served by one role's server, by route (the matched route, never the raw URL) and status. */
export function httpMetrics(registry: Registry): RequestObserver {
  const requests = new Counter({
    name: 'ai4k8s_http_requests_total',
    help: 'HTTP requests served, by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ai4k8s_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return ({ method, route, status, seconds }) => {
    requests.inc({ method, route, status: String(status) });
    duration.observe({ method, route }, seconds);
  };
}
