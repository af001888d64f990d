import type { AgentProgress } from '../agent/run-agent.ts';

export const workingText = '_Working on it…_';

/** "Working…" plus the tools that ran and are running, so a long investigation shows its progress. */
export function progressText(progress: AgentProgress): string {
  const lines = [workingText];
  for (const call of progress.done) lines.push(`• ${call.isError ? '✗' : '✓'} ${describeCall(call.name, call.input)}`);
  for (const call of progress.running) lines.push(`• … ${describeCall(call.name, call.input)}`);
  return lines.join('\n');
}

function describeCall(name: string, input: unknown): string {
  const args = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const detail = ['command', 'name', 'namespace', 'labelSelector']
    .map((key) => args[key])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join(' ');
  return detail === '' ? `\`${name}\`` : `\`${name}\` ${truncate(detail, 80)}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
