import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { V1Container } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient } from '../../src/kube/create-kube-client.ts';
import { READY_NODES } from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startFakeGrafanaApi, type FakeGrafanaApi } from '../../dev/fakes/fake-grafana-api.ts';
import { setPodLogs } from '../../dev/fakes/fake-kubelet.ts';
import { startAlertmanager, startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import {
  MONITORING_CANARIES,
  postCanaryAlert,
  startLeakyExporter,
  waitForLeakyMetric,
  type LeakyExporter,
  startMonitoringMcp,
} from './monitoring-canaries.ts';
import type { TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { assertEveryToolCovered, assertWriteCasesArePreviews, toolCallCases } from './tool-call-cases.ts';

/** Fixed and never deleted: namespaces cannot finish deleting in the test cluster. */
const NAMESPACE = 'zz-canary-leaks';
const POD = 'canary-pod';
const DEPLOYMENT = 'canary-app';

const SECRET_VALUE = 'CANARY-secret-data-91c2';
const CANARIES = {
  secretData: SECRET_VALUE,
  secretDataBase64: Buffer.from(SECRET_VALUE).toString('base64'),
  secretStringData: 'CANARY-stringdata-6c4e',
  envPassword: 'CANARY-env-password-3e7a',
  envToken: 'CANARY-env-token-5b1d',
  urlPassword: 'CANARY-url-pw-2f6e',
  jwtPayload: Buffer.from('{"canary":"jwt-4d9f"}').toString('base64url'),
  bearer: 'CANARYbearer7a2c9e1f',
  configMapPassword: 'CANARY-cm-pw-8d3b',
  lastApplied: 'CANARY-lastapplied-1a2b',
  awsKey: 'AKIACANARY7Q2W3E4R5T',
  slackToken: 'CANARYslack9f8e7d',
  eventToken: 'CANARYevent0123456789',
  logPassword: 'CANARY-log-pw-0e9d',
};
/** Every canary, in the cluster and in the monitoring backends. */
const ALL_CANARIES: Record<string, string> = { ...CANARIES, ...MONITORING_CANARIES };
const canariesIn = (output: string): string[] =>
  Object.entries(ALL_CANARIES).flatMap(([what, canary]) => (output.includes(canary) ? [what] : []));
const JWT = `eyJhbGciOiJIUzI1NiJ9.${CANARIES.jwtPayload}.CANARYsig4d9f0a`;
const annotations = {
  'example.com/session': JWT,
  'example.com/auth-header': `Bearer ${CANARIES.bearer}`,
  'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ metadata: { name: POD }, data: { note: CANARIES.lastApplied } }),
};
const container: V1Container = {
  name: 'app',
  image: 'registry.example.com/canary/app:1.0.0',
  env: [
    { name: 'DB_PASSWORD', value: CANARIES.envPassword },
    { name: 'API_TOKEN', value: CANARIES.envToken },
    { name: 'DATABASE_URL', value: `postgres://app:${CANARIES.urlPassword}@db:5432/app` },
    { name: 'LOG_LEVEL', value: 'info' },
  ],
};

const ignoreConflict = (error: unknown): void => {
  if ((error as { code?: number }).code !== 409) throw error;
};

/** Canaries in every place a credential can hide: Secret, env, annotations, ConfigMap, logs, events. */
async function seedCanaries(kube: KubeClient, kubeconfigPath: string): Promise<void> {
  const namespace = NAMESPACE;
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } }).catch(ignoreConflict);
  await kube.core
    .createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: 'canary-secret', annotations },
        data: { password: CANARIES.secretDataBase64 },
        stringData: { token: CANARIES.secretStringData },
      },
    })
    .catch(ignoreConflict);
  await kube.core
    .createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'canary-config' }, data: { 'app.properties': `user=app\npassword=${CANARIES.configMapPassword}\n` } },
    })
    .catch(ignoreConflict);
  const labels = { app: DEPLOYMENT };
  await kube.apps
    .createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: DEPLOYMENT, labels, annotations },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels, annotations }, spec: { containers: [container] } },
        },
      },
    })
    .catch(ignoreConflict);
  const created = await kube.core
    .createNamespacedPod({
      namespace,
      body: {
        metadata: { name: POD, labels, annotations },
        spec: { nodeName: READY_NODES[0], containers: [{ ...container, args: [`--password=${CANARIES.envPassword}`] }] },
      },
    })
    .catch(ignoreConflict);
  if (created !== undefined) {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    await kube.core.replaceNamespacedPodStatus({
      namespace,
      name: POD,
      body: {
        ...created,
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'app',
              image: container.image ?? '',
              imageID: '',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off; last error: Bearer ${CANARIES.bearer}` } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } },
            },
          ],
        },
      },
    });
  }
  await kube.core
    .createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${POD}.canary-event` },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace, name: POD },
        type: 'Warning',
        reason: 'Failed',
        message: `Failed to pull image with token ghp_${CANARIES.eventToken}abcdefghijklmnopq and Authorization: Bearer ${CANARIES.bearer}`,
        firstTimestamp: new Date(),
        lastTimestamp: new Date(),
        count: 1,
        source: { component: 'kubelet' },
      },
    })
    .catch(ignoreConflict);
  const log = [
    'starting app',
    `connecting with aws key ${CANARIES.awsKey} and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    `posting to slack with xoxb-000000000000-${CANARIES.slackToken}`,
    `config: {"user":"app","password":"${CANARIES.logPassword}"}`,
    `DB_PASSWORD=${CANARIES.envPassword}`,
    'panic: cannot connect',
  ].join('\n');
  setPodLogs({ kubeconfigPath, namespace, pod: POD, container: 'app', current: `${log}\n`, previous: `${log}\n` });
}

describe('canary leak test: every tool, every path, zero leaks', () => {
  let mcp: TestMcpServer;
  let client: Client;
  let exporter: LeakyExporter;
  let prometheus: MonitoringServer;
  let alertmanager: MonitoringServer;
  let grafana: FakeGrafanaApi;
  /** What the backends themselves answered, before any tool ran (proves the canaries are there). */
  let rawMetric: string;
  let rawAlerts: string;
  const alertname = `CanaryLeakAlert${Date.now()}`;

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    exporter = await startLeakyExporter();
    [prometheus, alertmanager, grafana] = await Promise.all([
      startPrometheus({ extraScrapeTargets: [exporter.target] }),
      startAlertmanager(),
      startFakeGrafanaApi(),
      seedCanaries(createKubeClient({ kubeconfigPath }), kubeconfigPath),
    ]);
    [rawMetric, rawAlerts] = await Promise.all([waitForLeakyMetric(prometheus.url), postCanaryAlert(alertmanager.url, { alertname })]);
    // Write tools on, so their previews (silence_create's lists firing alerts) are checked too; every case is a dry run.
    mcp = await startMonitoringMcp({ kubeconfigPath, prometheusUrl: prometheus.url, alertmanagerUrl: alertmanager.url, grafana });
    client = await mcp.connect();
  });
  after(async () => {
    await mcp?.stop();
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), grafana?.stop(), exporter?.stop()]);
  });

  it('the canaries are really in the cluster and the monitoring backends (the test can fail)', async () => {
    const { kubeconfigPath } = await testCluster();
    const kube = createKubeClient({ kubeconfigPath });
    const pod = await kube.core.readNamespacedPod({ namespace: NAMESPACE, name: POD });
    assert.equal(pod.spec?.containers[0]?.env?.[0]?.value, CANARIES.envPassword);
    assert.equal(pod.metadata?.annotations?.['example.com/session'], JWT);
    const logs = await kube.core.readNamespacedPodLog({ namespace: NAMESPACE, name: POD, container: 'app' });
    assert.ok(logs.includes(CANARIES.awsKey));
    const { metricUrlPassword, metricBearer, metricApiToken, alertAnnotationBearer, alertAnnotationUrlPassword, alertLabelToken } =
      MONITORING_CANARIES;
    for (const canary of [metricUrlPassword, metricBearer, metricApiToken])
      assert.ok(rawMetric.includes(canary), `Prometheus has ${canary}`);
    for (const canary of [alertAnnotationBearer, alertAnnotationUrlPassword, alertLabelToken])
      assert.ok(rawAlerts.includes(canary), `Alertmanager has ${canary}`);
  });

  it('no tool output contains any canary: not the text (the model) nor structuredContent (the worker: charts, links)', async () => {
    const { tools } = await client.listTools();
    const cases = toolCallCases({
      namespace: NAMESPACE,
      pod: POD,
      container: 'app',
      deployment: DEPLOYMENT,
      node: READY_NODES[0],
      alertname,
    });
    cases.resource_get?.push(
      { kind: 'Secret', namespace: NAMESPACE, name: 'canary-secret' },
      { kind: 'ConfigMap', namespace: NAMESPACE, name: 'canary-config' },
    );
    cases.kubectl?.push({ command: `kubectl logs ${POD} -n ${NAMESPACE} --previous` });
    assertEveryToolCovered(
      tools.map((t) => t.name),
      cases,
    );
    assertWriteCasesArePreviews(
      tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name),
      cases,
    );
    for (const name of ['prometheus_query', 'prometheus_range_query', 'alerts_list', 'silence_create'])
      assert.ok(
        tools.some((t) => t.name === name),
        `${name} offered`,
      );
    const leaks: string[] = [];
    const answers = new Map<string, string>();
    let answered = 0;
    for (const tool of tools) {
      for (const args of cases[tool.name] ?? []) {
        const result = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        if (result.isError !== true) answered++;
        // The worker hands the model the content's text (mcp-toolbox.ts); structuredContent is not sent to the model but
        // stays with the worker, which renders charts and links from it into the chat. Both reach people: neither may leak.
        const { content, structuredContent, ...rest } = result;
        const call = `${tool.name} ${JSON.stringify(args)}`;
        const parts = {
          'content (the model)': JSON.stringify(content),
          'structuredContent (the worker)': JSON.stringify(structuredContent ?? {}),
          'other fields': JSON.stringify(rest),
        };
        for (const [where, output] of Object.entries(parts))
          for (const what of canariesIn(output)) leaks.push(`${call} leaked ${what} in ${where}`);
        answers.set(call, content.map((block) => (block.type === 'text' ? block.text : '')).join('\n'));
      }
    }
    assert.deepEqual(leaks, []);
    assert.ok(answered > tools.length, `most calls answered (${answered})`);
    // The monitoring calls really saw the planted series and alert (else "no leak" would prove nothing).
    const answer = (prefix: string) =>
      [...answers]
        .filter(([call]) => call.startsWith(prefix))
        .map(([, text]) => text)
        .join('\n');
    assert.match(answer('prometheus_query '), /app_info\{.*version="1\.2\.3"/);
    assert.match(answer('prometheus_range_query '), /version="1\.2\.3"/);
    assert.ok(answer('alerts_list ').includes(alertname), 'alerts_list shows the canary alert');
    assert.match(answer('silence_create '), new RegExp(`alerts: .*${alertname}`));
    // The range queries' series also left for Grafana as snapshots: the same data, so the same rule.
    const snapshots = JSON.stringify(grafana.snapshots());
    assert.ok(grafana.snapshots().length > 0 && snapshots.includes('app_info'), 'range queries made Grafana snapshots');
    assert.deepEqual(canariesIn(snapshots), [], 'canaries sent to Grafana');
  });

  it('what was redacted says so, and the rest of the answer is intact', async () => {
    const logs = (await client.callTool({
      name: 'pod_logs',
      arguments: { namespace: NAMESPACE, name: POD, container: 'app' },
    })) as CallToolResult;
    const text = (logs.content[0] as { text: string }).text;
    assert.match(text, /\[redacted: aws access key\]/);
    assert.match(text, /\[redacted: slack token\]/);
    assert.match(text, /panic: cannot connect/);
  });
});
