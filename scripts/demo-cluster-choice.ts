import { KubeConfig } from '@kubernetes/client-node';

export interface DemoArgs {
  /** `--cluster=local` (the seeded test cluster) or `--cluster=current` (KUBECONFIG's current context). */
  cluster: 'local' | 'current' | undefined;
}

/** The demo's flags, or a one-line usage error. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | string {
  let cluster: DemoArgs['cluster'];
  for (const arg of argv) {
    const match = /^--cluster=(local|current)$/.exec(arg);
    if (match === null) return `unknown argument ${JSON.stringify(arg)}; usage: npm run demo [-- --cluster=local|current]`;
    cluster = match[1] as 'local' | 'current';
  }
  return { cluster };
}

export type ClusterChoice = { kind: 'local' } | { kind: 'current'; description: string } | { kind: 'refused'; message: string };

export interface ChooseClusterOptions {
  env: NodeJS.ProcessEnv;
  flag: DemoArgs['cluster'];
  /** Asks the person at the terminal; absent when there is none (then the flag is required). */
  ask: ((question: string) => Promise<boolean>) | undefined;
}

/**
 * Which cluster the demo reads. An exported KUBECONFIG is often a production cluster, so it is only used when
 * asked for: `--cluster=current`, or a "yes" at the terminal after being told which context it is.
 */
export async function chooseCluster({ env, flag, ask }: ChooseClusterOptions): Promise<ClusterChoice> {
  const kubeconfig = env.KUBECONFIG ?? '';
  if (flag === 'local' || (kubeconfig === '' && flag === undefined)) return { kind: 'local' };
  if (kubeconfig === '') return { kind: 'refused', message: '--cluster=current needs KUBECONFIG to point at a kubeconfig file' };
  const description = describeCurrentContext(kubeconfig);
  if (flag === 'current') return { kind: 'current', description };
  const question = `KUBECONFIG is set: the demo would read ${description}. Use it? (no: the local test cluster)`;
  if (ask === undefined) {
    return {
      kind: 'refused',
      message: `KUBECONFIG is set (${description}). Run \`npm run demo -- --cluster=current\` to use that cluster, or \`npm run demo -- --cluster=local\` for the local test cluster.`,
    };
  }
  return (await ask(question)) ? { kind: 'current', description } : { kind: 'local' };
}

/** "context prod (cluster prod-eu, https://…) from <path>", or what went wrong reading it. */
export function describeCurrentContext(kubeconfig: string): string {
  try {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig.split(':')[0] ?? kubeconfig);
    const context = config.getContextObject(config.getCurrentContext());
    const cluster = context === null ? null : config.getCluster(context.cluster);
    if (context === null) return `${kubeconfig} (no current context)`;
    return `context "${context.name}" (cluster ${context.cluster}${cluster === null ? '' : `, ${cluster.server}`}) from ${kubeconfig}`;
  } catch (error) {
    return `${kubeconfig} (unreadable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}
