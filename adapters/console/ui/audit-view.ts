import type { AuditRow, ConsoleApi } from './console-api.ts';
import { auditWhere } from './audit-where.ts';
import { byId, el } from './dom.ts';

/** The Detail column: the tool and its (redacted) arguments, why, the error, tokens. */
export function auditDetail(e: AuditRow): string {
  const parts: string[] = [];
  if (e.tool) parts.push(e.tool);
  if (e.arguments !== undefined) parts.push(JSON.stringify(e.arguments).slice(0, 300));
  if (e.reason) parts.push(e.reason);
  if (e.error) parts.push(e.error);
  if (e.usage) parts.push(`${e.usage.inputTokens + e.usage.outputTokens} tokens`);
  return parts.join(' · ');
}

/** Fills the audit table with the newest events, or (`conversation`) those of one console conversation. */
export async function loadAudit({
  api,
  table,
  conversation,
}: {
  api: ConsoleApi;
  table: HTMLTableElement;
  conversation?: string | undefined;
}): Promise<void> {
  const filter = conversation === undefined ? '' : `&conversation=${encodeURIComponent(conversation)}`;
  const result = await api<{ events: AuditRow[] }>(`/console/api/audit?limit=200${filter}`);
  if (!result.ok) return;
  byId('audit-filter').hidden = conversation === undefined;
  const named = result.data.events.find((e) => e.question !== undefined);
  byId('audit-filter-name').textContent = conversation === undefined ? '' : named === undefined ? conversation : auditWhere(named);
  table.dataset.conversation = conversation ?? '';
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren();
  for (const e of result.data.events) {
    const tr = el('tr');
    tr.dataset.kind = e.kind;
    tr.append(
      el('td', new Date(e.at).toLocaleString()),
      el('td', e.kind),
      el('td', `${e.platform}:${e.user}`),
      el('td', e.by ? (e.by.includes(':') ? e.by : `${e.platform}:${e.by}`) : ''),
      el('td', auditWhere(e), 'where'),
      el('td', auditDetail(e), 'detail'),
      el('td', e.result),
    );
    body.append(tr);
  }
}
