import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createKubeClient } from '../src/kube/create-kube-client.ts';
import { estimateTokens } from '../src/kube/estimate-tokens.ts';
import { CART_POD, CHECKOUT_POD, FRONTEND_DEPLOYMENT, LEDGER_POD, NOT_READY_NODE, PAYMENTS_API_POD } from '../dev/cluster/fixture-names.ts';
import { seedPodNamespace } from '../dev/cluster/seed-pod-namespace.ts';
import { testCluster } from '../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest } from '../dev/stack/start-mcp-server-for-test.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure } from './benchmark.ts';

const KUBECTL = '/usr/bin/kubectl';
/** Fixed and never deleted: namespaces cannot finish deleting in the test cluster. */
// Sorts after the fixture namespaces, so an all-namespaces first page in tests still shows shop and payments.
const BULK_NAMESPACE = 'zz-bench-output-size';
const BULK_PODS = 2000;
const BUDGET_TOKENS = 2000;

export const mcpOutputSize: Benchmark = {
  name: 'mcp-output-size',
  title: `MCP tool results vs kubectl -o json and kubectl's table: bytes and estimated tokens, ${BULK_PODS}-pod namespace and failure scenarios`,
  needsCluster: true,
  run: measureOutputSize,
};

interface Scenario {
  name: string;
  /** Our tool call, as a model would make it. */
  tool: string;
  args: Record<string, unknown>;
  /** The kubectl arguments a person would type for the same question (the table is the same minus -o json). */
  kubectl: string[];
}

const scenarios = (namespace: string): Scenario[] => [
  { name: `${BULK_PODS}-pod namespace (first answer)`, tool: 'pods_list', args: { namespace }, kubectl: ['get', 'pods', '-n', namespace] },
  {
    name: 'crashloop pod',
    tool: 'diagnose',
    args: { kind: 'Pod', namespace: 'shop', name: CHECKOUT_POD },
    kubectl: ['get', 'pod', CHECKOUT_POD, '-n', 'shop'],
  },
  {
    name: 'OOMKilled pod',
    tool: 'diagnose',
    args: { kind: 'Pod', namespace: 'shop', name: CART_POD },
    kubectl: ['get', 'pod', CART_POD, '-n', 'shop'],
  },
  {
    name: 'ImagePullBackOff pod',
    tool: 'diagnose',
    args: { kind: 'Pod', namespace: 'payments', name: PAYMENTS_API_POD },
    kubectl: ['get', 'pod', PAYMENTS_API_POD, '-n', 'payments'],
  },
  {
    name: 'Pending pod',
    tool: 'diagnose',
    args: { kind: 'Pod', namespace: 'payments', name: LEDGER_POD },
    kubectl: ['get', 'pod', LEDGER_POD, '-n', 'payments'],
  },
  { name: 'NotReady node', tool: 'nodes_list', args: {}, kubectl: ['get', 'node', NOT_READY_NODE] },
  {
    name: 'healthy deployment',
    tool: 'workload_get',
    args: { kind: 'Deployment', namespace: 'shop', name: FRONTEND_DEPLOYMENT },
    kubectl: ['get', 'deployment', FRONTEND_DEPLOYMENT, '-n', 'shop'],
  },
];

interface Size {
  bytes: number;
  tokens: number;
}

const sizeOf = (text: string): Size => ({ bytes: Buffer.byteLength(text), tokens: estimateTokens(text) });

async function measureOutputSize(): Promise<BenchmarkResult> {
  const { kubeconfigPath } = await testCluster();
  await ensureBulkNamespace(kubeconfigPath);
  const mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_OUTPUT_TOKENS: BUDGET_TOKENS } });
  const problems: string[] = [];
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  try {
    const client = await mcp.connect();
    const { tools } = await client.listTools();
    const kubectl = async (args: string[]): Promise<string> =>
      (await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfigPath, ...args], { maxBuffer: 256 * 1024 * 1024 })).stdout;
    const callText = async (tool: string, args: Record<string, unknown>): Promise<{ text: string; result: CallToolResult }> => {
      const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
      return { text: (result.content[0] as { text: string }).text, result };
    };
    for (const scenario of scenarios(BULK_NAMESPACE)) {
      const tool = tools.some((t) => t.name === scenario.tool) ? scenario.tool : 'kubectl';
      const args = tool === scenario.tool ? scenario.args : { command: `kubectl ${scenario.kubectl.join(' ')}` };
      const [ours, json, table] = await Promise.all([
        callText(tool, args),
        kubectl([...scenario.kubectl, '-o', 'json']),
        kubectl(scenario.kubectl),
      ]);
      if (ours.result.isError === true) problems.push(`${scenario.name}: ${tool} answered isError: ${ours.text.slice(0, 200)}`);
      const [o, j, t] = [sizeOf(ours.text), sizeOf(json), sizeOf(table)];
      if (o.tokens > BUDGET_TOKENS) problems.push(`${scenario.name}: ${o.tokens} tokens, over the ${BUDGET_TOKENS}-token budget`);
      rows.push([scenario.name, tool, o.bytes, o.tokens, j.bytes, j.tokens, t.bytes, t.tokens]);
      const details = { tool, args, kubectl: scenario.kubectl.join(' '), ours: o, kubectlJson: j, kubectlTable: t };
      figures.push(
        figureOf({
          name: `${scenario.name}: tokens vs -o json`,
          figure: o.tokens,
          unit: 'tokens',
          floor: j.tokens,
          floorName: 'kubectl get -o json',
          details,
        }),
      );
      figures.push(
        figureOf({
          name: `${scenario.name}: tokens vs table`,
          figure: o.tokens,
          unit: 'tokens',
          floor: t.tokens,
          floorName: 'kubectl get (table)',
          details,
        }),
      );
    }
    // Reading the whole namespace page by page, as a model would with continue, against one kubectl call.
    let walk = { bytes: 0, tokens: 0, calls: 0 };
    let token: string | undefined;
    do {
      const { text, result } = await callText('pods_list', {
        namespace: BULK_NAMESPACE,
        limit: 500,
        ...(token ? { continue: token } : {}),
      });
      const size = sizeOf(text);
      walk = { bytes: walk.bytes + size.bytes, tokens: walk.tokens + size.tokens, calls: walk.calls + 1 };
      token = typeof result.structuredContent?.continue === 'string' ? result.structuredContent.continue : undefined;
    } while (token !== undefined && walk.calls < 500);
    const [json, table] = await Promise.all([
      kubectl(['get', 'pods', '-n', BULK_NAMESPACE, '-o', 'json']),
      kubectl(['get', 'pods', '-n', BULK_NAMESPACE]),
    ]);
    const [j, t] = [sizeOf(json), sizeOf(table)];
    rows.push([
      `${BULK_PODS}-pod namespace (whole walk, ${walk.calls} calls)`,
      'pods_list',
      walk.bytes,
      walk.tokens,
      j.bytes,
      j.tokens,
      t.bytes,
      t.tokens,
    ]);
    const details = { calls: walk.calls, ours: walk, kubectlJson: j, kubectlTable: t };
    figures.push(
      figureOf({
        name: `${BULK_PODS}-pod namespace, whole walk: tokens vs -o json`,
        figure: walk.tokens,
        unit: 'tokens',
        floor: j.tokens,
        floorName: 'kubectl get -o json',
        details,
      }),
    );
    figures.push(
      figureOf({
        name: `${BULK_PODS}-pod namespace, whole walk: tokens vs table`,
        figure: walk.tokens,
        unit: 'tokens',
        floor: t.tokens,
        floorName: 'kubectl get (table)',
        details,
      }),
    );
  } finally {
    await mcp.stop();
  }
  return {
    figures,
    tables: [
      {
        title: `sizes (tokens estimated by estimateTokens; budget ${BUDGET_TOKENS})`,
        header: ['scenario', 'our tool', 'ours B', 'ours tok', '-o json B', '-o json tok', 'table B', 'table tok'],
        rows,
      },
    ],
    problems,
  };
}

async function ensureBulkNamespace(kubeconfigPath: string): Promise<void> {
  const kube = createKubeClient({ kubeconfigPath });
  const existing = await kube.core.listNamespacedPod({ namespace: BULK_NAMESPACE, limit: 1 }).catch(() => undefined);
  const count = existing === undefined ? 0 : existing.items.length + (existing.metadata?.remainingItemCount ?? 0);
  if (count < BULK_PODS) await seedPodNamespace({ kubeconfigPath, namespace: BULK_NAMESPACE, count: BULK_PODS });
}
