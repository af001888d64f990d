import type { ToolOutcome } from '../contract/toolbox.ts';
import { untrustedForPeople } from '../chat/untrusted-for-people.ts';
import type { Platform } from '../queue/chat-job.ts';

/** How a kubectl-style command is written on each platform (the worker runs it without a model). */
const commandExamples: Record<Platform, { how: string; examples: readonly string[] }> = {
  slack: {
    how: 'use `/k8s` or mention me with a kubectl-style command',
    examples: ['/k8s pods -n payments', '/k8s logs <pod> --previous -n <namespace>', '@ai4k8s events -n <namespace>'],
  },
  teams: {
    how: 'mention me with a kubectl-style command',
    examples: [
      '@ai4k8s get pods -n payments',
      '@ai4k8s logs <pod> --previous -n <namespace>',
      '@ai4k8s describe pod <name> -n <namespace>',
    ],
  },
  console: {
    how: 'type a kubectl-style command',
    examples: ['get pods -n payments', 'logs <pod> --previous -n <namespace>', 'describe pod <name> -n <namespace>'],
  },
};

/** The answer to a free-form question without a model: how to enable AI, and what works meanwhile on this platform. */
export function notConfiguredText(platform: Platform): string {
  const { how, examples } = commandExamples[platform];
  return (
    'AI is not configured on this ai4k8s installation (set `ANTHROPIC_API_KEY`), so I cannot answer free-form questions yet. ' +
    `In the meantime ${how}, e.g. ${examples.map((example) => `\`${example}\``).join(', ')}.`
  );
}

/** Direct mode's answer: the kubectl tool's output in code blocks, cluster data captioned with its source, long output split by the reply channel. */
export function directAnswer(command: string, outcome: ToolOutcome, cluster?: string): string {
  const lead = outcome.isError ? `⚠️ \`kubectl ${command}\` did not run:` : `\`kubectl ${command}\``;
  return [
    lead,
    untrustedForPeople(outcome.text),
    `_direct mode (AI is not configured)${cluster === undefined || cluster === '' ? '' : ` · cluster: ${cluster}`}_`,
  ].join('\n\n');
}
