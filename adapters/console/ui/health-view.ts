import type { ConsoleApi, QueueHealth } from './console-api.ts';
import { el } from './dom.ts';

/** Fills the queue health table: job counts and workers per queue. */
export async function loadHealth({ api, table }: { api: ConsoleApi; table: HTMLTableElement }): Promise<void> {
  const result = await api<{ queues: QueueHealth[] }>('/console/api/health');
  if (!result.ok) return;
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren();
  for (const q of result.data.queues) {
    const tr = el('tr');
    tr.dataset.queue = q.name;
    const { waiting, active, delayed, failed, completed } = q.counts;
    tr.append(
      el('td', q.name),
      ...[waiting, active, delayed, failed, completed].map((n) => el('td', String(n))),
      el('td', String(q.workers), 'workers'),
    );
    body.append(tr);
  }
}
