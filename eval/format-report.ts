import { formatTable } from '../bench/support/print-table.ts';
import type { EvalReport } from './run-eval.ts';

/** The report as the terminal shows it: one row per case, then the pass rate and the totals. */
export function formatReport(report: EvalReport): string {
  const rows = report.results.map((r) => [
    r.id,
    r.pass ? 'pass' : 'FAIL',
    r.graded === undefined ? '-' : r.graded.pass ? 'pass' : 'FAIL',
    r.toolCalls.join(' ') || '-',
    String(r.usage.inputTokens + r.usage.cacheReadTokens + r.usage.cacheWriteTokens),
    String(r.usage.outputTokens),
    r.cost === undefined ? '-' : `$${r.cost.toFixed(4)}`,
    `${(r.latencyMs / 1000).toFixed(1)}s`,
  ]);
  const table = formatTable({
    title: `eval with ${report.model}${report.fake ? ' (tokens as the fake API counts them, costed at Sonnet list prices)' : ''}`,
    header: ['case', 'rubric', 'graded', 'tool calls (! = refused)', 'input tok', 'output tok', 'cost', 'latency'],
    rows,
  });
  const failures = report.results.flatMap((r) => r.failures.map((f) => `  ${r.id}: ${f}`));
  const cost = report.results.reduce((sum, r) => sum + (r.cost ?? 0), 0);
  const tokens = report.results.reduce(
    (sum, r) => sum + r.usage.inputTokens + r.usage.outputTokens + r.usage.cacheReadTokens + r.usage.cacheWriteTokens,
    0,
  );
  return [
    table,
    '',
    `pass rate: ${report.passed}/${report.results.length} (${Math.round(report.passRate * 100)}%); ${tokens} tokens, $${cost.toFixed(4)}`,
    ...(failures.length > 0 ? ['failures:', ...failures] : []),
  ].join('\n');
}
