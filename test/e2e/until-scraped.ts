import type { MonitoringServer } from '../../dev/services/monitoring-stack.ts';

/** Waits until Prometheus has a few samples of `query`, so a range ending now has data. */
export async function untilScraped(prometheus: MonitoringServer, query: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(`count_over_time(${query}[1m]) >= 3`)}`);
    const body = (await response.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result ?? []).length > 0) return;
    if (Date.now() > deadline) throw new Error(`Prometheus scraped nothing in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
