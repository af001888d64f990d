import type { Platform } from '../queue/chat-job.ts';

/** How to ask, and how a kubectl command is written, on each surface. */
const SURFACES: Record<Platform, { ask: string[]; command: (line: string) => string }> = {
  slack: {
    ask: [
      'Mention me with a question in a channel or a direct message, or use `/k8s <question>`.',
      'I answer in a thread; follow-ups in that thread need no mention.',
    ],
    command: (line) => `/k8s ${line}`,
  },
  teams: {
    ask: ['Mention me with a question in a channel or a chat; I answer as a reply.'],
    command: (line) => `@ai4k8s ${line}`,
  },
  console: {
    ask: ['Type a question below and press Enter; follow-ups in this conversation keep its context.'],
    command: (line) => line,
  },
};

const QUESTIONS = [
  'why is checkout crashlooping in shop?',
  'which pods are not ready in payments?',
  'what changed in shop in the last hour?',
];

const COMMANDS = [
  'get pods -n shop',
  'get deploy,svc -n shop -o wide',
  'get ns',
  'get crd',
  'describe node <name>',
  'logs deploy/checkout -n shop --since 15m',
  'events -n shop --for pod/<name>',
  'top pods -n shop',
  'rollout status deploy/checkout -n shop',
];

/**
 * Help for one surface, in Markdown (each reply channel's `format` renders it): what works there and how
 * to write it, including the kubectl-style commands of direct mode. Without a model only commands work, and
 * the help says so first.
 */
export function helpText(platform: Platform, { ai }: { ai: boolean }): string {
  const surface = SURFACES[platform];
  const lines = ai
    ? ['**Ask your cluster a question.**', ...surface.ask, '', 'Examples:', ...QUESTIONS.map((q) => `- \`${surface.command(q)}\``)]
    : ['**AI is not configured here** (set `ANTHROPIC_API_KEY`), so I run kubectl-style commands only.'];
  return [
    ...lines,
    '',
    `**kubectl-style commands**${ai ? ' (answered straight from the cluster, also without AI)' : ''}: \`kubectl\` or \`k\` optional, any type the cluster serves (short names and CRDs too).`,
    ...COMMANDS.map((c) => `- \`${surface.command(c)}\``),
    '',
    'Read-only: anything that would change the cluster is refused; Secrets show key names, never values.',
  ].join('\n');
}
