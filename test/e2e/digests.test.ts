import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { NOT_READY_NODE, READY_NODES } from '../../dev/cluster/fixture-names.ts';
import { createWithStatus } from '../../dev/cluster/create-with-status.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { text, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackMessage } from '../../dev/fakes/fake-slack-api.ts';
import { startAlertmanager, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { createDeployment, rollOut } from '../../dev/support/seed-rollout.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const suffix = randomBytes(3).toString('hex');
const NAMESPACE = `digest-${suffix}`;
const ALERTNAME = `DigestSeededAlert${suffix}`;
const SECRET_VALUE = `CANARY-digest-env-${suffix}`;

/** A namespace in a known bad state: a crashing deployment (rolled out just now), a pending pod, a firing alert. */
async function seed(kubeconfigPath: string, alertmanagerUrl: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext('admin');
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const labels = { app: 'web' };
  await createDeployment({
    kc,
    namespace: NAMESPACE,
    name: 'web',
    replicas: 2,
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'web', image: 'registry.example.com/web:3.1.0', env: [{ name: 'DB_PASSWORD', value: SECRET_VALUE }] }] },
    },
  });
  await sleep(1_100);
  await rollOut({
    kc,
    namespace: NAMESPACE,
    name: 'web',
    fieldManager: 'kubectl-set',
    change: (t) => ({
      ...t,
      spec: {
        containers: [{ name: 'web', image: 'registry.example.com/web:3.2.0', env: [{ name: 'DB_PASSWORD', value: `${SECRET_VALUE}-2` }] }],
      },
    }),
  });
  const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await createWithStatus(kc, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7f9c8d6b5-a1b2c', namespace: NAMESPACE, labels },
    spec: { nodeName: READY_NODES[0], containers: [{ name: 'web', image: 'registry.example.com/web:3.2.0' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'web',
          image: 'registry.example.com/web:3.2.0',
          imageID: '',
          ready: false,
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 2, reason: 'Error', startedAt: at, finishedAt: at } },
        },
      ],
    },
  });
  await createWithStatus(kc, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'batch-0', namespace: NAMESPACE },
    spec: { containers: [{ name: 'batch', image: 'registry.example.com/batch:1' }] },
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' },
      ],
    },
  });
  const posted = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname: ALERTNAME, severity: 'warning', namespace: NAMESPACE },
        annotations: { summary: 'web is crashing' },
        startsAt: new Date().toISOString(),
      },
    ]),
  });
  assert.equal(posted.status, 200);
}

function policyFile(channel: string, schedule: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-digests-')), 'policy.yaml');
  writeFileSync(
    path,
    `digests:\n  - name: ops-daily\n    schedule: "${schedule}"\n    slackChannel: ${channel}\n    namespaces: [${NAMESPACE}]\n`,
  );
  return path;
}

/** The scheduled time a digest names on its first line. */
const scheduledAtOf = (message: FakeSlackMessage) => /Health digest\* · ops-daily · (\S+Z) ·/.exec(message.text)?.[1];

describe('Scheduled health digests', () => {
  let alertmanager: MonitoringServer;
  before(async () => {
    alertmanager = await startAlertmanager();
    await seed((await testCluster()).kubeconfigPath, alertmanager.url);
  });
  after(() => alertmanager?.stop());

  describe('three worker processes, no model key: each schedule posts once, deterministically, matching the cluster', () => {
    const CHANNEL = 'C0DIGEST01';
    let stack: Stack;
    before(async () => {
      // Every 3 seconds, so a few schedules pass during the test; ANTHROPIC_API_KEY empty is unset.
      stack = await startStack({
        workerProcesses: 3,
        env: { AI4K8S_POLICY: policyFile(CHANNEL, '*/3 * * * * *'), ALERTMANAGER_URL: alertmanager.url, ANTHROPIC_API_KEY: '' },
      });
    });
    after(() => stack?.stop());

    it('posts one digest per scheduled time however many workers run', async () => {
      const posts = () => stack.slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
      // The workers boot as separate processes; then a few schedules pass with all three taking jobs.
      await stack.slack.waitFor(() => (posts().length >= 4 ? true : undefined), 120_000);
      // A second post for a time already posted would come within a job's run: wait out the ones in flight.
      await sleep(4_000);
      const times = posts().map(scheduledAtOf);
      assert.ok(times.length >= 4, `digests posted: ${times.join(', ')}`);
      assert.ok(
        times.every((t) => t !== undefined && Date.parse(t) % 3_000 === 0),
        `each names its schedule slot: ${times.join(', ')}`,
      );
      assert.equal(new Set(times).size, times.length, `one post per scheduled time: ${times.join(', ')}`);
    });

    it('its content matches the seeded state, and carries no credential', () => {
      const [first] = stack.slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
      const body = first?.text ?? '';
      assert.match(body, new RegExp(`Failing workloads \\(1\\):\\* Deployment \`${NAMESPACE}/web\` 0/2 ready \\(CrashLoopBackOff\\)`));
      assert.match(
        body,
        new RegExp(
          `Pending pods \\(1\\):\\* \`${NAMESPACE}/batch-0\` \\d+s: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu\\.`,
        ),
      );
      assert.match(body, new RegExp(`NotReady nodes \\(\\d+\\):\\* .*\`${NOT_READY_NODE}\``));
      assert.match(body, new RegExp(`Firing alerts \\(1\\):\\* ${ALERTNAME} \\(warning, ${NAMESPACE}\\)`));
      assert.match(
        body,
        new RegExp(
          `Changes since [^*]+\\(\\d+\\):\\* .*rollout Deployment \`${NAMESPACE}/web\`: rollout to revision 2: image web: registry\\.example\\.com/web 3\\.1\\.0 → 3\\.2\\.0`,
        ),
      );
      assert.match(body, new RegExp(`Most restarts \\(1\\):\\* \`${NAMESPACE}/web-7f9c8d6b5-a1b2c\` 9 \\(CrashLoopBackOff\\)`));
      assert.doesNotMatch(body, /Summary/, 'no model key: no model summary');
      for (const message of stack.slack.messages(CHANNEL)) assert.ok(!message.text.includes(SECRET_VALUE), 'no credential env value');
    });

    it('the next digest lists only the changes since the one before', () => {
      const posts = stack.slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
      const later = posts.at(-1)?.text ?? '';
      assert.match(later, /Changes since [^*]+:\* none/, later);
    });
  });

  describe('with a model key: the model summarises the deterministic digest', () => {
    const CHANNEL = 'C0DIGEST02';
    let stack: Stack;
    const seen: string[] = [];
    before(async () => {
      stack = await startStack({ env: { AI4K8S_POLICY: policyFile(CHANNEL, '*/2 * * * * *'), ALERTMANAGER_URL: alertmanager.url } });
      const summary = (request: MessagesRequest) => {
        seen.push(JSON.stringify(request.messages));
        return { content: [text('- `web` is crash-looping since its rollout to 3.2.0\n- Look at web first')] };
      };
      stack.model.script(...Array.from({ length: 30 }, () => summary));
    });
    after(() => stack?.stop());

    it('posts the summary above the digest, from one model call given the digest as data', async () => {
      const post = await stack.slack.waitFor(() => stack.slack.messages(CHANNEL).find((m) => m.threadTs === undefined), 60_000);
      assert.match(post.text, /^\*Summary\* _\(AI\)_\n• `web` is crash-looping since its rollout to 3\.2\.0/);
      assert.match(post.text, /Health digest\* · ops-daily/);
      const request = seen[0] ?? '';
      assert.ok(
        request.includes('UNTRUSTED DATA from the cluster (health digest of the cluster)') && request.includes(`${NAMESPACE}/web`),
        request.slice(0, 500),
      );
      assert.equal(stack.model.requests[0]?.body.tools, undefined, 'a summary offers the model no tools');
    });
  });
});
