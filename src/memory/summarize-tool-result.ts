import { fenceUntrusted, untrustedFenceClosing } from '../contract/fence-untrusted.ts';

export interface SummarizeToolResultOptions {
  tool: string;
  input: unknown;
  /** The result's text (text blocks joined). */
  text: string;
  isError: boolean;
}

/** How a summary starts: compaction knows a result it already summarised (or noted) by it. */
export const SUMMARY_PREFIX = '[summary of an earlier tool result:';

const HEAD_LINES = 6;
const FINDINGS = 6;
const LINE_CHARS = 200;
const ARGS_CHARS = 200;
/** Lines worth keeping from the rest of a result: what an on-call engineer would look for first. */
const NOTEWORTHY =
  /error|fail|fatal|panic|exception|crash|backoff|oom|killed|evicted|unhealthy|not ?ready|pending|forbidden|denied|refused|timeout|timed out|unavailable|warning|restart|insufficient|unschedulable|exceeded/i;

/**
 * A short extractive summary of an older tool result, so a follow-up keeps the gist once compaction has to make
 * room: which call it was, its status and size, its first lines and the noteworthy ones after them (errors,
 * restarts, not ready, ...). Deterministic, no model call. Cluster data stays inside an untrusted-data fence
 * (a fresh one), so summarising never lets text from the cluster out of its fence.
 */
export function summarizeToolResult({ tool, input, text, isError }: SummarizeToolResultOptions): string {
  const { frame, data } = splitFenced(text.split('\n'));
  const args = JSON.stringify(input ?? {});
  const totalLines = text.split('\n').length;
  const header = `${SUMMARY_PREFIX} ${tool} ${args.length > ARGS_CHARS ? `${args.slice(0, ARGS_CHARS)}…` : args}; ${isError ? 'ERROR; ' : ''}${totalLines} line${totalLines === 1 ? '' : 's'}, shortened]`;
  const parts = [header, ...excerpt(frame)];
  if (data.length > 0) {
    const dataExcerpt = excerpt(data);
    if (dataExcerpt.length > 0)
      parts.push(fenceUntrusted({ source: `excerpt of earlier cluster data from ${tool}`, text: dataExcerpt.join('\n') }));
  }
  return parts.join('\n');
}

/** The first lines, then the noteworthy lines after them, each cut short; a count of what was left out. */
function excerpt(lines: readonly string[]): string[] {
  const nonEmpty = lines.map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const cut = (l: string) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}…` : l);
  const head = nonEmpty.slice(0, HEAD_LINES);
  const rest = nonEmpty.slice(HEAD_LINES);
  const findings = rest.filter((l) => NOTEWORTHY.test(l));
  const kept = findings.slice(0, FINDINGS);
  const left = rest.length - kept.length;
  return [
    ...head.map(cut),
    ...(kept.length > 0 ? ['…', ...kept.map(cut)] : []),
    ...(left > 0
      ? [
          `(${left} more line${left === 1 ? '' : 's'} left out${findings.length > kept.length ? `, ${findings.length - kept.length} of them noteworthy` : ''})`,
        ]
      : []),
  ];
}

/** Lines outside untrusted-data fences (the tool's own text) and inside them (cluster data). */
function splitFenced(lines: readonly string[]): { frame: string[]; data: string[] } {
  const frame: string[] = [];
  const data: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const closing = untrustedFenceClosing(line);
    if (closing === undefined) {
      // The label line announcing a fence says where the data came from; keep it short in the frame.
      if (!line.startsWith('UNTRUSTED DATA from the cluster')) frame.push(line);
      continue;
    }
    const end = lines.indexOf(closing, i + 1);
    data.push(...lines.slice(i + 1, end === -1 ? undefined : end));
    i = end === -1 ? lines.length : end;
  }
  return { frame, data };
}
