import type { ToolOutcome } from '../agent/mcp-toolbox.ts';

export const notConfiguredText =
  'AI is not configured on this ai4k8s installation (set `ANTHROPIC_API_KEY`), so I cannot answer free-form questions yet. ' +
  'In the meantime you can run kubectl-style commands, e.g. `/k8s get pods -n <namespace>`, `/k8s logs <pod> --previous -n <namespace>`, ' +
  '`/k8s describe pod <name> -n <namespace>`, `/k8s events -n <namespace>`.';

/** Direct mode's answer: the kubectl tool's output as a code block, long output split by the reply channel. */
export function directAnswer(command: string, outcome: ToolOutcome): string {
  // Longer than any backtick run inside, so fenced log text in the output cannot close the block early.
  const longestRun = Math.max(0, ...[...outcome.text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const lead = outcome.isError ? `⚠️ \`kubectl ${command}\` did not run:` : `\`kubectl ${command}\``;
  return [lead, `${fence}\n${outcome.text}\n${fence}`, '_direct mode (AI is not configured)_'].join('\n\n');
}
