import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { own, untrusted } from '../../result-parts.ts';
import { defineTool, READ_ONLY, type ResultPart, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import type { HealthContent } from '../../../contract/health-content.ts';
import { summarizeHealth } from './health/summarize-health.ts';
import { namespaceName } from './list-arguments.ts';
import { z } from 'zod';
import { TOOL_NAMES } from '../../../contract/tool-names.ts';
import { healthContentSchema } from '../../../contract/health-content.ts';

const PAGE = 1000;

/** health_summary: what needs attention in a namespace or the cluster, compact enough for a digest or a first look. */
export async function healthSummary(
  kube: KubeClient,
  { namespace, top = 5 }: { namespace?: string | undefined; top?: number | undefined },
): Promise<ToolResult> {
  const query = { limit: PAGE };
  const notes: string[] = [];
  const more = (what: string, list: { metadata?: { _continue?: string } }) => {
    if (list.metadata?._continue) notes.push(`more than ${PAGE} ${what}: only the first ${PAGE} were checked; narrow with namespace.`);
  };
  const [pods, deployments, statefulSets, daemonSets, nodes] = await Promise.all([
    callKube(kube, () =>
      namespace === undefined ? kube.core.listPodForAllNamespaces(query) : kube.core.listNamespacedPod({ namespace, ...query }),
    ),
    callKube(kube, () =>
      namespace === undefined
        ? kube.apps.listDeploymentForAllNamespaces(query)
        : kube.apps.listNamespacedDeployment({ namespace, ...query }),
    ),
    callKube(kube, () =>
      namespace === undefined
        ? kube.apps.listStatefulSetForAllNamespaces(query)
        : kube.apps.listNamespacedStatefulSet({ namespace, ...query }),
    ),
    callKube(kube, () =>
      namespace === undefined ? kube.apps.listDaemonSetForAllNamespaces(query) : kube.apps.listNamespacedDaemonSet({ namespace, ...query }),
    ),
    namespace === undefined ? callKube(kube, () => kube.core.listNode(query)) : Promise.resolve(undefined),
  ]);
  more('pods', pods);
  more('deployments', deployments);
  const health = summarizeHealth({
    namespace,
    pods: pods.items,
    deployments: deployments.items,
    statefulSets: statefulSets.items,
    daemonSets: daemonSets.items,
    nodes: nodes?.items,
    notes,
    top,
  });
  return { text: healthText(health), structuredContent: { ...health, untrusted: true } };
}

/** The counts are the tool's own words; object names and reasons are cluster text, fenced by runTool. */
export function healthText(health: HealthContent): ResultPart[] {
  const scope = health.scope.namespace === undefined ? 'the cluster' : `namespace ${health.scope.namespace}`;
  const { failingWorkloads, pendingPods, notReadyNodes } = health.counts;
  const counts = [
    `${failingWorkloads} failing workload${failingWorkloads === 1 ? '' : 's'}`,
    `${pendingPods} pending pod${pendingPods === 1 ? '' : 's'}`,
    health.nodesChecked
      ? `${notReadyNodes} NotReady node${notReadyNodes === 1 ? '' : 's'}`
      : 'nodes not checked (cluster-wide: call without namespace)',
  ];
  const lines: string[] = [];
  if (health.failingWorkloads.length > 0)
    lines.push(
      'Failing workloads:',
      ...health.failingWorkloads.map(
        (w) => `- ${w.kind} ${w.namespace}/${w.name} ${w.ready} ready${w.reasons.length === 0 ? '' : ` (${w.reasons.join(', ')})`}`,
      ),
    );
  if (health.pendingPods.length > 0)
    lines.push('Pending pods:', ...health.pendingPods.map((p) => `- ${p.namespace}/${p.name} pending ${p.age}: ${p.reason}`));
  if (health.notReadyNodes.length > 0) lines.push('NotReady nodes:', ...health.notReadyNodes.map((n) => `- ${n.name} ${n.status}`));
  if (health.topRestarts.length > 0)
    lines.push(
      'Most restarts:',
      ...health.topRestarts.map(
        (p) =>
          `- ${p.namespace}/${p.name} ${p.restarts} restarts, now ${p.status}${p.lastTermination === undefined ? '' : `; last: ${p.lastTermination}`}`,
      ),
    );
  const head = `Health of ${scope}: ${counts.join(', ')}.${health.notes.map((note) => ` Note: ${note}`).join('')}`;
  return lines.length === 0
    ? [own(`${head} Nothing needs attention.`)]
    : [own(head), untrusted(`health of ${scope}: object names and reasons`, lines.join('\n'))];
}

export function healthTools(): ToolDefinition[] {
  return [
    defineTool({
      name: TOOL_NAMES.healthSummary,
      title: 'Health summary',
      description:
        'What needs attention in a namespace or the whole cluster, in one call: workloads with fewer ready replicas than wanted ' +
        "(with their pods' states, e.g. CrashLoopBackOff ×2), pending pods and why, NotReady nodes (cluster-wide only) and the pods " +
        'that restarted most. A good first call for "how is prod?"; the scheduled health digests use it.',
      inputSchema: {
        namespace: namespaceName.optional().describe('Namespace; the whole cluster (and its nodes) when omitted.'),
        top: z.number().int().min(1).max(20).default(5).describe('Pods listed under "most restarts" (default 5).'),
      },
      outputSchema: healthContentSchema,
      annotations: READ_ONLY,
      handler: (args, { kube }) => healthSummary(kube, args),
    }),
  ];
}
