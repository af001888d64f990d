import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { connectMcpToolbox } from '../../src/agent/mcp-toolbox.ts';
import { loadAlertRoutes } from '../../src/alerts/alert-routes.ts';
import { alertThreadStore } from '../../src/alerts/alert-thread-store.ts';
import { handleAlertJob, type HandleAlertJobDeps } from '../../src/alerts/handle-alert-job.ts';
import { approvalStore } from '../../src/approval/approval-store.ts';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { alertThreadHooks } from '../../src/alerts/alert-thread-hooks.ts';
import { incidentIdOf } from '../../src/incidents/incident.ts';
import { incidentRecorder } from '../../src/incidents/incident-recorder.ts';
import { incidentStore } from '../../src/incidents/incident-store.ts';
import { withIncidentSearch } from '../../src/incidents/incidents-search-tool.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { conversationStore } from '../../src/memory/conversation-store.ts';
import { threadKey } from '../../src/memory/thread-key.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { channelPolicyFor } from '../../src/policy/channel-policy.ts';
import { channelPolicyToolbox } from '../../src/policy/channel-policy-toolbox.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';
import type { AlertJob, AlertNotification } from '../../src/queue/alert-job.ts';
import { alertJobId } from '../../src/queue/alert-queue.ts';
import type { ChatJob, ReplyTarget } from '../../src/queue/chat-job.ts';
import { notification } from '../../dev/fakes/notification-fixture.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { createDeployment, rollOut } from '../../dev/support/seed-rollout.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';

const TEAM = 'T0ALERTTEAM';
const WORKSPACE = 'https://acme.slack.com/';
const suffix = randomBytes(3).toString('hex');
const NAMESPACE = `incidents-${suffix}`;
const OPEN = 'C0OPEN0001';
const OTHER = 'C0OTHER001';
const RESTRICTED = 'C0RESTRIC1';
const TOKEN_IN_FINDINGS = 'xoxb-111111111111-incidentleak';

const POLICY = `
channels:
  default: {}
  slack:${TEAM}:${RESTRICTED}: { namespaces: [${NAMESPACE}] }
runbooks:
  - name: Checkout errors
    match: { alertname: CheckoutErrorRateHigh }
    url: https://wiki.example.com/runbooks/checkout
    markdown: Roll back the last rollout of checkout before anything else.
`;

interface Posted {
  channel: string;
  id: string;
  threadId?: string;
  text: string;
}

function recordingChannels() {
  const posted: Posted[] = [];
  let next = 0;
  const replyChannelFor = (target: ReplyTarget): ReplyChannel => {
    const post = (text: string, threadId?: string) => {
      const id = `1700000000.${String((next += 1)).padStart(6, '0')}`;
      posted.push({ channel: target.channel, id, ...(threadId === undefined ? {} : { threadId }), text });
      return Promise.resolve(id);
    };
    return {
      postRoot: (text) => post(text),
      postInThread: (threadId, text) => post(text, threadId),
      update: (messageId, text) => {
        const message = posted.find((m) => m.id === messageId);
        assert.ok(message !== undefined);
        message.text = text;
        return Promise.resolve();
      },
      postApproval: () => Promise.reject(new Error('not used')),
      updateApproval: () => Promise.reject(new Error('not used')),
      format: (markdown) => markdown,
      maxMessageChars: 4000,
    };
  };
  return { posted, replyChannelFor };
}

const alert = ({
  status = 'firing',
  startsAt,
  namespace = NAMESPACE,
  alertname = 'CheckoutErrorRateHigh',
}: {
  status?: 'firing' | 'resolved';
  startsAt: string;
  namespace?: string;
  alertname?: string;
}): AlertNotification =>
  notification({
    status,
    groupKey: `{}:{alertname="${alertname}",namespace="${namespace}"}`,
    groupLabels: { alertname },
    commonLabels: { alertname, severity: 'critical', namespace, deployment: 'checkout' },
    commonAnnotations: { summary: 'Checkout error rate is above 5%' },
    alerts: [
      {
        status,
        labels: { alertname, severity: 'critical', namespace, deployment: 'checkout' },
        annotations: { summary: 'Checkout error rate is above 5%' },
        startsAt,
        endsAt: status === 'resolved' ? new Date(Date.parse(startsAt) + 600_000).toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: 'c0ffee01',
      },
    ],
  });

describe('alert threads with incident memory, a timeline of changes and runbooks (real Redis, MCP server and test cluster)', () => {
  let redis: Redis;
  let mcp: TestMcpServer;
  let policyPath: string;
  const logger = createLogger({ level: 'silent' });

  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    const { kubeconfigPath } = await testCluster();
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext('admin');
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await createDeployment({
      kc,
      namespace: NAMESPACE,
      name: 'checkout',
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.4.0' }] },
      },
    });
    // The rollout in a later second than the creation (Kubernetes keeps whole seconds), as in real life.
    await sleep(1_100);
    await rollOut({
      kc,
      namespace: NAMESPACE,
      name: 'checkout',
      fieldManager: 'kubectl-set',
      change: (template) => ({
        ...template,
        spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.5.0' }] },
      }),
    });
    policyPath = join(mkdtempSync(join(tmpdir(), 'ai4k8s-incidents-')), 'policy.yaml');
    writeFileSync(policyPath, POLICY);
    mcp = await startMcpServerForTest({ kubeconfigPath });
  });
  after(async () => {
    await mcp?.stop();
    redis?.disconnect();
  });

  const setup = () => {
    const prefix = uniqueName('incidents');
    const channels = recordingChannels();
    const policy = loadPolicy(policyPath);
    const memory = conversationStore({ redis, prefix, ttlSeconds: 600, tokenBudget: 30_000 });
    const incidents = incidentStore({ redis, prefix, ttlSeconds: 3600 });
    const hooks = alertThreadHooks({
      incidents,
      memory,
      policy,
      runbooks: policy.runbooks,
      connectToolbox: async (target) =>
        channelPolicyToolbox({
          toolbox: await connectMcpToolbox({ url: mcp.url, token: mcp.token }),
          policy: channelPolicyFor(policy, target),
        }),
      lookbackMinutes: 60,
      slackWorkspaceUrl: () => Promise.resolve(WORKSPACE),
      logger,
    });
    const recorder = incidentRecorder({
      incidents,
      approvals: approvalStore(redis, prefix),
      memory,
      policy,
      slackWorkspaceUrl: () => Promise.resolve(WORKSPACE),
      logger,
    });
    const depsFor = (channel: string): HandleAlertJobDeps => ({
      routes: loadAlertRoutes({ policy: undefined, slackChannel: channel, teamsConversation: undefined }),
      threads: alertThreadStore({ redis, prefix, ttlSeconds: 600 }),
      memory,
      replyChannelFor: channels.replyChannelFor,
      slackTeamId: () => Promise.resolve(TEAM),
      enqueueInvestigation: () => Promise.resolve('unused'),
      incidents: hooks,
      logger,
    });
    let clock = Date.now();
    const run = (n: AlertNotification, channel = OPEN) =>
      handleAlertJob(
        {
          id: alertJobId(n),
          data: { notification: n, receivedAt: new Date((clock += 1_000)).toISOString() } satisfies AlertJob,
        } as unknown as Job,
        depsFor(channel),
      );
    const roots = (channel = OPEN) => channels.posted.filter((m) => m.channel === channel && m.threadId === undefined);
    const replies = (root: Posted) => channels.posted.filter((m) => m.threadId === root.id);
    const target = (channel: string, threadTs?: string): ReplyTarget => ({
      platform: 'slack',
      teamId: TEAM,
      channel,
      ...(threadTs === undefined ? {} : { threadTs }),
    });
    const investigationAnswered = (root: Posted, text: string) =>
      recorder.answered({
        job: chatJob({ replyTarget: target(root.channel, root.id), purpose: 'alert_investigation' }),
        conversationKey: threadKey(target(root.channel), root.id),
        threadId: root.id,
        text,
      });
    return { prefix, run, roots, replies, memory, incidents, recorder, target, investigationAnswered, policy };
  };

  const chatJob = (over: Partial<ChatJob> & Pick<ChatJob, 'replyTarget'>): ChatJob => ({
    platform: 'slack',
    deliveryId: randomBytes(4).toString('hex'),
    conversationKey: 'unused',
    user: { id: 'U0ALICE001' },
    text: 'why?',
    receivedAt: new Date().toISOString(),
    ...over,
  });

  it("a firing alert's thread starts with the timeline: the seeded image change named as the likely culprit; the model gets it and the runbook, pinned", async () => {
    const { run, roots, replies, memory, target } = setup();
    const startsAt = new Date(Date.now() - 30_000).toISOString();
    await run(alert({ startsAt }));
    const [root] = roots();
    assert.ok(root !== undefined);
    assert.match(root.text, /📘 Runbook: \[Checkout errors\]\(https:\/\/wiki\.example\.com\/runbooks\/checkout\)/);
    assert.doesNotMatch(root.text, /Seen before/, 'nothing earlier to point at');
    const [timeline] = replies(root);
    assert.match(timeline?.text ?? '', new RegExp(`^🕒 \\*\\*What changed before this alert\\*\\* — namespace \`${NAMESPACE}\``));
    assert.match(
      timeline?.text ?? '',
      /\*\*Likely culprit:\*\* rollout Deployment `incidents-\w+\/checkout`: rollout to revision 2: image checkout: registry\.example\.com\/shop\/checkout 1\.4\.0 → 1\.5\.0 _\(by kubectl-set\)_ — the only rollout before the alert that fits best, (\d+ min before|as) the alert started, on the alerting workload checkout\./,
    );
    const history = await memory.history(threadKey(target(OPEN), root.id), { reader: undefined });
    assert.match(JSON.stringify(history[0]?.content), /^"Alertmanager opened this thread/);
    const context = typeof history[2]?.content === 'string' ? history[2].content : '';
    assert.match(
      context,
      /^OPERATOR RUNBOOK — trusted guidance[\s\S]*Roll back the last rollout of checkout before anything else\.\nEND OF OPERATOR RUNBOOK/,
    );
    assert.match(
      readUntrustedFences(context)[0] ?? '',
      /^likely culprit by rule: .*rollout Deployment incidents-\w+\/checkout by kubectl-set: rollout to revision 2: image checkout/,
    );
    // The same episode again: no second timeline.
    await run(alert({ startsAt }));
    await run({ ...alert({ startsAt }), truncatedAlerts: 1 });
    assert.equal(replies(root).filter((m) => m.text.startsWith('🕒')).length, 1);
  });

  it('resolved, then firing again: a new thread whose root says when it was seen, the cause found then (redacted) and links the earlier thread', async () => {
    const { run, roots, replies, incidents, investigationAnswered, target } = setup();
    // The alert started after the seeded rollout (before() made it), so the rollout is its culprit.
    const firstStart = new Date(Date.now() - 2_000).toISOString();
    await run(alert({ startsAt: firstStart }));
    const [first] = roots();
    assert.ok(first !== undefined);
    await investigationAnswered(
      first,
      `# Checkout fails since the rollout to 1.5.0\n\nThe 1.5.0 image crashes on start (it logs ${TOKEN_IN_FINDINGS}).\n\n- evidence`,
    );
    await run(alert({ status: 'resolved', startsAt: firstStart }));
    const remembered = await incidents.read(incidentIdOf(threadKey(target(OPEN), first.id)));
    assert.ok(remembered?.resolvedAt !== undefined, 'the resolve is remembered');
    assert.ok(!JSON.stringify(remembered).includes(TOKEN_IN_FINDINGS), 'findings pass the redactor before they are stored');
    assert.match(remembered?.culprit ?? '', /rollout Deployment checkout: rollout to revision 2/);

    await run(alert({ startsAt: new Date().toISOString() }));
    const [, second] = roots();
    assert.ok(second !== undefined, 'a new firing episode opens a new thread');
    assert.match(second.text, /🔁 \*\*Seen before\*\*: \*\*CheckoutErrorRateHigh\*\* started \d+s ago \(.+\), resolved after 10m\./);
    assert.match(
      second.text,
      /Cause then: Checkout fails since the rollout to 1\.5\.0 — The 1\.5\.0 image crashes on start \(it logs \[redacted: slack token\]\)\./,
    );
    assert.ok(second.text.includes(`[Earlier thread](${WORKSPACE}archives/${OPEN}/p${first.id.replace('.', '')})`), second.text);
    assert.ok(!second.text.includes(TOKEN_IN_FINDINGS));
    assert.equal(replies(second).filter((m) => m.text.startsWith('🕒')).length, 1, 'the new thread has its own timeline');
    // The resolve update of the first root does not point at itself.
    assert.doesNotMatch(first.text, /Seen before/);
  });

  it('an incident from a restricted channel is not shown in another channel — not in a root, not to incidents_search — but is in its own', async () => {
    const { run, roots, investigationAnswered, incidents, policy } = setup();
    const earlier = new Date(Date.now() - 300_000).toISOString();
    await run(alert({ startsAt: earlier }), RESTRICTED);
    const [restrictedRoot] = roots(RESTRICTED);
    assert.ok(restrictedRoot !== undefined);
    await investigationAnswered(restrictedRoot, '# The payments key rotated\n\nCheckout cannot reach payments.');
    await run(alert({ status: 'resolved', startsAt: earlier }), RESTRICTED);
    // In its own channel, the next episode's root points back at it.
    await run(alert({ startsAt: new Date(Date.now() - 120_000).toISOString() }), RESTRICTED);
    assert.match(
      roots(RESTRICTED)[1]?.text ?? '',
      /Seen before[\s\S]*Cause then: The payments key rotated — Checkout cannot reach payments\./,
    );

    // In another channel, nothing of it shows.
    await run(alert({ startsAt: new Date(Date.now() - 60_000).toISOString() }), OTHER);
    assert.doesNotMatch(roots(OTHER)[0]?.text ?? '', /Seen before/);
    const search = (channel: string) =>
      withIncidentSearch({
        toolbox: { tools: [], call: () => Promise.reject(new Error('no MCP call expected')), close: () => Promise.resolve() },
        incidents,
        job: chatJob({ replyTarget: { platform: 'slack', teamId: TEAM, channel, threadTs: '1' } }),
        policy,
      }).call('incidents_search', { query: 'payments key', namespace: NAMESPACE });
    assert.match((await search(OTHER)).text, /^No remembered incidents match/);
    assert.match(
      readUntrustedFences((await search(RESTRICTED)).text)[0] ?? '',
      /alert CheckoutErrorRateHigh in incidents-\w+\/checkout \(resolved .*\); cause: The payments key rotated/,
    );
  });

  it('a timeline the channel policy refuses says so in the thread; the alert thread itself is unaffected', async () => {
    const { run, roots, replies } = setup();
    await run(alert({ startsAt: new Date(Date.now() - 30_000).toISOString(), namespace: 'payments', alertname: 'LedgerDown' }), RESTRICTED);
    const [root] = roots(RESTRICTED);
    assert.ok(root !== undefined);
    assert.match(
      replies(root)[0]?.text ?? '',
      /⚠️ I could not list the changes: refused by channel policy: namespace payments is outside this channel's namespaces/,
    );
  });

  it('a fix approved and applied in a question thread is remembered as a question incident, with what the thread had found', async () => {
    const { prefix, recorder, memory, incidents, target } = setup();
    const approvals = approvalStore(redis, prefix);
    const thread = target(OTHER, '1700000099.000001');
    const conversationKey = threadKey(thread, '1700000099.000001');
    await memory.append(
      conversationKey,
      'job-1',
      [
        { role: 'user', content: 'why is checkout slow?' },
        { role: 'assistant', content: '# Checkout has one replica left\n\nThe other two were evicted from node-3.' },
      ],
      { fetchedAs: undefined },
    );
    const token = 'tok-incidents-1';
    await approvals.create({
      token,
      tool: 'deployment_scale',
      arguments: { namespace: NAMESPACE, name: 'checkout', replicas: 3 },
      requester: { id: 'U0ALICE001' },
      replyTarget: thread,
      threadId: '1700000099.000001',
      jobId: 'job-1',
      conversationKey,
      preview: 'replicas 1 → 3',
      expiresAt: Date.now() + 60_000,
    });
    assert.equal(await approvals.decide(token, 'approved', 'U0BOB00001'), 'ok');
    await approvals.recordResult(token, { text: 'scaled', isError: false });
    const outcome = 'the approved deployment_scale ran';
    await memory.append(
      conversationKey,
      'job-2',
      [
        { role: 'user', content: outcome },
        { role: 'assistant', content: '# Scaled checkout to 3 replicas\n\nDone.' },
      ],
      { fetchedAs: undefined },
    );
    await recorder.answered({
      job: chatJob({ replyTarget: thread, text: outcome, continuation: { approvalToken: token, afterJobId: 'job-1' } }),
      conversationKey,
      threadId: '1700000099.000001',
      text: '# Scaled checkout to 3 replicas\n\nDone.',
    });
    const incident = await incidents.read(incidentIdOf(conversationKey));
    assert.deepEqual(
      [incident?.kind, incident?.cause, incident?.fixes, incident?.namespace, incident?.workload, incident?.link],
      [
        'question',
        'Checkout has one replica left — The other two were evicted from node-3.',
        [`deployment_scale ${NAMESPACE}/checkout replicas=3`],
        NAMESPACE,
        'checkout',
        `${WORKSPACE}archives/${OTHER}/p1700000099000001`,
      ],
    );
    // An ordinary answer in a thread without an incident and without a fix is not remembered.
    const plainKey = threadKey(thread, '1700000099.000002');
    await recorder.answered({
      job: chatJob({ replyTarget: thread }),
      conversationKey: plainKey,
      threadId: '1700000099.000002',
      text: '# 5 pods are running\n\nAll fine.',
    });
    assert.equal(await incidents.read(incidentIdOf(plainKey)), undefined);
  });
});
