import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { estimateTokens } from '../../src/kube/estimate-tokens.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { setPodLogs } from '../../dev/fakes/fake-kubelet.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { diagnosisVerdict } from '../../dev/support/diagnosis-verdict.ts';

const DECISIVE = 'FATAL: password authentication failed for user "reporter" (SQLSTATE 28P01)';
const POD = 'report-worker';

/** 200 long lines: request noise, the decisive error, then a stack dump and retries that end the log. */
function crashLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 70; i++)
    lines.push(
      `2026-01-15T09:00:${String(i % 60).padStart(2, '0')}Z INFO served GET /api/v1/reports/${i} in ${i % 90} ms ${'trace=0af7651916cd43dd8448eb211c80319c '.repeat(3)}`,
    );
  lines.push(`2026-01-15T09:01:10Z ERROR db: ${DECISIVE}`);
  for (let i = 0; i < 110; i++)
    lines.push(
      `    at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:${300 + i}) ${'~'.repeat(60)}`,
    );
  for (let i = 0; i < 19; i++)
    lines.push(`2026-01-15T09:01:${String(11 + i).padStart(2, '0')}Z INFO retrying in 5s (${i + 1}/19) ${'-'.repeat(80)}`);
  return `${lines.join('\n')}\n`;
}

/** The crash-loop answer lost its decisive lines to the budget; at any budget this one keeps them. */
describe('diagnose keeps the decisive log line within any output budget', () => {
  const namespace = uniqueName('diag-budget');
  const servers: TestMcpServer[] = [];
  let kubeconfigPath: string;

  before(async () => {
    kubeconfigPath = (await testCluster()).kubeconfigPath;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext('admin');
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const created = await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: POD },
        spec: { nodeName: 'node-1', containers: [{ name: 'worker', image: 'ghcr.io/acme/report-worker:3.3.0' }] },
      },
    });
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await core.replaceNamespacedPodStatus({
      namespace,
      name: POD,
      body: {
        ...created,
        status: {
          ...created.status,
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: at }],
          containerStatuses: [
            {
              name: 'worker',
              image: 'ghcr.io/acme/report-worker:3.3.0',
              imageID: '',
              ready: false,
              restartCount: 23,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } },
            },
          ],
        },
      },
    });
    setPodLogs({ kubeconfigPath, namespace, pod: POD, container: 'worker', previous: crashLog() });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  for (const budget of [2000, 700]) {
    it(`at ${budget} tokens: the verdict and the log excerpt keep the decisive line, and the answer fits`, async () => {
      const mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_OUTPUT_TOKENS: budget } });
      servers.push(mcp);
      const client = await mcp.connect();
      const r = await recordingCall(() => client, [])('diagnose', { kind: 'Pod', namespace, name: POD });
      assert.equal(r.isError, undefined, r.text);
      assert.ok(diagnosisVerdict(r.text).includes(DECISIVE), diagnosisVerdict(r.text));
      const logs = readUntrustedFences(r.text).filter((f) => f.includes('lines left out'));
      assert.ok(
        logs.some((f) => f.includes(`» 2026-01-15T09:01:10Z ERROR db: ${DECISIVE}`)),
        `the decisive line is not in the log excerpt:\n${r.text}`,
      );
      assert.ok(
        logs.some((f) => /lines left out/.test(f)),
        'the excerpt is cut from both ends',
      );
      assert.ok(estimateTokens(r.text) <= budget, `${estimateTokens(r.text)} tokens over ${budget}`);
      assert.doesNotMatch(r.text, /Output cut to fit/);
    });
  }
});
