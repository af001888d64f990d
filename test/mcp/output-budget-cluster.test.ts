import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { estimateTokens } from '../../src/kube/estimate-tokens.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { READY_NODES } from '../../dev/cluster/fixture-names.ts';
import { seedPodNamespace } from '../../dev/cluster/seed-pod-namespace.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { setPodLogs } from '../../dev/fakes/fake-kubelet.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { assertEveryToolCovered, toolCallCases } from './tool-call-cases.ts';

/** Fixed and never deleted: namespaces cannot finish deleting in the test cluster (no controllers). */
// Sorts after the fixture namespaces, so an all-namespaces first page in other tests still shows shop and payments.
const NAMESPACE = 'zz-bulk-budget';
const PODS = 2000;
const BUDGET = 2000;

/** Seeds the namespace once; later runs against the same cluster find the pods there. */
async function ensureBulkNamespace(kubeconfigPath: string): Promise<string[]> {
  const kube = createKubeClient({ kubeconfigPath });
  const names = async () => (await kube.core.listNamespacedPod({ namespace: NAMESPACE })).items.map((p) => p.metadata?.name ?? '');
  const existing = await names().catch(() => []);
  if (existing.length >= PODS) return existing.sort();
  await seedPodNamespace({ kubeconfigPath, namespace: NAMESPACE, count: PODS });
  return (await names()).sort();
}

const textOf = (result: CallToolResult): string => (result.content[0] as { text: string }).text;

describe(`output budget and pagination across ${PODS} pods`, () => {
  let mcp: TestMcpServer;
  let client: Client;
  let seeded: string[];

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    seeded = await ensureBulkNamespace(kubeconfigPath);
    // A pod whose log is far over any budget: 5,000 lines, current and previous.
    const log = Array.from(
      { length: 5000 },
      (_, i) => `2026-01-01T00:00:00Z INFO request ${i} served in ${i % 97} ms path=/api/v1/items/${i}`,
    ).join('\n');
    setPodLogs({
      kubeconfigPath,
      namespace: NAMESPACE,
      pod: seeded[0] ?? '',
      container: 'app',
      current: `${log}\n`,
      previous: `${log}\nLAST LINE before the crash\n`,
    });
    mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_OUTPUT_TOKENS: BUDGET } });
    client = await mcp.connect();
  });
  after(() => mcp.stop());

  it('pods_list with limit and continue walks the whole namespace with no duplicates and no gaps', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const result = (await client.callTool({
        name: 'pods_list',
        arguments: { namespace: NAMESPACE, limit: 500, ...(token ? { continue: token } : {}) },
      })) as CallToolResult;
      assert.equal(result.isError, undefined, textOf(result));
      assert.ok(estimateTokens(textOf(result)) <= BUDGET);
      const structured = result.structuredContent ?? {};
      seen.push(...(structured.pods as { name: string }[]).map((p) => p.name));
      token = typeof structured.continue === 'string' ? structured.continue : undefined;
      if (token !== undefined) assert.ok(textOf(result).includes(`continue="${token}"`));
      pages++;
      assert.ok(pages < 200, 'the walk does not end');
    } while (token !== undefined);
    assert.equal(new Set(seen).size, seen.length, 'duplicates');
    assert.deepEqual([...seen].sort(), seeded, 'gaps');
    assert.ok(pages > 4, `pages were shortened to fit the budget (${pages} pages)`);
  });

  it('a page over the budget is fetched smaller, says so, and leads with the summary and the anomalies', async () => {
    const result = (await client.callTool({ name: 'pods_list', arguments: { namespace: NAMESPACE, limit: 500 } })) as CallToolResult;
    const lines = textOf(result).split('\n');
    assert.match(
      lines[0] ?? '',
      /^\d+ pods in namespace zz-bulk-budget \(this page; \d+ more after it\): .*Running.*need attention \(listed first\)\.$/,
    );
    assert.match(lines[1] ?? '', /^Page shortened from limit 500 to \d+ to fit the output budget; no pods are skipped\.$/);
    assert.match(
      lines[2] ?? '',
      /^More pods exist: call again with continue="[^"]+" \(same arguments\), or narrow with namespace, labelSelector/,
    );
    const rows = lines.slice(5);
    const firstHealthy = rows.findIndex((l) => / 1\/1 +Running /.test(l));
    const lastProblem = rows.findLastIndex((l) => /CrashLoopBackOff|ImagePullBackOff|OOMKilled|Pending/.test(l));
    assert.ok(firstHealthy > lastProblem, 'anomalies before healthy pods');
  });

  it('pod_logs keeps the newest lines within the budget and stays fenced', async () => {
    const result = (await client.callTool({
      name: 'pod_logs',
      arguments: { namespace: NAMESPACE, name: seeded[0], previous: true, tail: 5000, maxBytes: 65_536 },
    })) as CallToolResult;
    const text = textOf(result);
    assert.ok(estimateTokens(text) <= BUDGET, String(estimateTokens(text)));
    assert.match(text, /older lines left out to fit the 2000-token output budget/);
    assert.ok(readUntrustedFences(text)[0]?.endsWith('LAST LINE before the crash'));
  });

  it('no tool returns more than its budget, called with broad arguments', async () => {
    const { tools } = await client.listTools();
    const cases = toolCallCases({
      namespace: NAMESPACE,
      pod: seeded[0] ?? '',
      container: 'app',
      deployment: 'no-deployment-here',
      node: READY_NODES[0],
    });
    assertEveryToolCovered(
      tools.map((t) => t.name),
      cases,
    );
    const sizes: string[] = [];
    for (const tool of tools) {
      for (const args of cases[tool.name] ?? []) {
        const result = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        const tokens = estimateTokens(textOf(result));
        sizes.push(`${tool.name} ${JSON.stringify(args)}: ${tokens}`);
        assert.ok(tokens <= BUDGET, `${tool.name} ${JSON.stringify(args)} returned ${tokens} tokens:\n${textOf(result).slice(0, 500)}`);
      }
    }
    assert.ok(sizes.length >= tools.length);
  });
});
