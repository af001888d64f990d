import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { click, createOwnDeployment, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';

const TEAM = 'T0AI4K8S';
const PAYMENTS_CHANNEL = 'C0PAYMENTS1';
const READONLY_CHANNEL = 'C0READONLY1';
const GLOBAL_APPROVER = 'U0APPROVER';
const PAYMENTS_APPROVER = 'U0PAYAPPROV';
const REQUESTER = 'U0ONCALL01';
// The payments channel's own namespace (with a deployment to scale); `shop` (a shared fixture) is outside it.
const PAYMENTS_NS = uniqueName('payments');
const DEPLOYMENT = 'api';

const offeredTools = (request: MessagesRequest | undefined) => ((request?.tools ?? []) as { name: string }[]).map((t) => t.name);

const waitForEphemeral = (slack: FakeSlackApi, user: string, pattern: RegExp) =>
  slack.waitFor((s) => s.ephemerals().find((e) => e.user === user && pattern.test(e.text)), 10_000);

describe('channel policy (AI4K8S_POLICY channels): namespaces, tool tiers and approvers per channel', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-channel-policy-'));
    const policyPath = join(dir, 'policy.yaml');
    writeFileSync(
      policyPath,
      [
        'channels:',
        '  default:',
        '    tier: read',
        `  "slack:${TEAM}:${PAYMENTS_CHANNEL}":`,
        `    namespaces: [${PAYMENTS_NS}]`,
        '    tier: write',
        `    approvers: ["slack:${TEAM}:${PAYMENTS_APPROVER}"]`,
        `  "slack:${TEAM}:${READONLY_CHANNEL}":`,
        '    tier: read',
        '',
      ].join('\n'),
    );
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: GLOBAL_APPROVER, AI4K8S_POLICY: policyPath } });
    ({ apps } = await createOwnDeployment({ namespace: PAYMENTS_NS, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it('a channel limited to one namespace cannot read another: the call is refused as an isError result and audited', async () => {
    stack.model.reset();
    stack.slack.reset();
    let offered: string[] = [];
    let outside = { text: '', isError: false };
    let inside = { text: '', isError: true };
    stack.model.script(
      (request: MessagesRequest) => {
        offered = offeredTools(request);
        return { content: [toolUse('pods_list', { namespace: 'shop' })] };
      },
      (request: MessagesRequest) => {
        outside = toolResultsOf(request)[0] ?? outside;
        return { content: [toolUse('deployments_list', { namespace: PAYMENTS_NS })] };
      },
      (request: MessagesRequest) => {
        inside = toolResultsOf(request)[0] ?? inside;
        return { content: [text('I can only look at payments from here.')] };
      },
    );
    const question = 'what runs in shop?';
    await stack.slashCommand({ text: question, userId: REQUESTER, channelId: PAYMENTS_CHANNEL });
    await waitForAnswer(stack.slack, question);

    assert.equal(outside.isError, true, outside.text);
    assert.match(
      outside.text,
      new RegExp(`refused by channel policy: namespace shop is outside this channel's namespaces \\(${PAYMENTS_NS}\\)`),
    );
    assert.doesNotMatch(outside.text, /checkout/, 'the refused call returned data from shop');
    assert.equal(inside.isError, false, inside.text);
    assert.match(inside.text, new RegExp(DEPLOYMENT));
    assert.ok(offered.includes('pods_list') && offered.includes('deployment_scale'), offered.join(','));
    assert.ok(!offered.includes('nodes_list'), 'a namespace-limited channel was offered a cluster-wide tool');

    const { events } = await readAudit(stack.redis, stack.prefix);
    const calls = events
      .filter((e) => e.kind === 'tool_call' && e.channel === PAYMENTS_CHANNEL)
      .map((e) => [e.kind === 'tool_call' ? e.tool : '', e.result, e.kind === 'tool_call' ? e.arguments : undefined]);
    assert.deepEqual(calls, [
      ['pods_list', 'error', { namespace: 'shop' }],
      ['deployments_list', 'ok', { namespace: PAYMENTS_NS }],
    ]);
  });

  it('a call without a namespace in a namespace-limited channel is refused with what to do instead', async () => {
    stack.model.reset();
    stack.slack.reset();
    let result = { text: '', isError: false };
    stack.model.script({ content: [toolUse('pods_list', {})] }, (request: MessagesRequest) => {
      result = toolResultsOf(request)[0] ?? result;
      return { content: [text('Listing everything is not allowed here.')] };
    });
    const question = 'list all pods';
    await stack.slashCommand({ text: question, userId: REQUESTER, channelId: PAYMENTS_CHANNEL });
    await waitForAnswer(stack.slack, question);
    assert.equal(result.isError, true);
    assert.match(result.text, new RegExp(`a call across all namespaces is refused; call it again with namespace set to one of them`));
  });

  it('a read-tier channel is not offered write tools (the default entry, and a channel of its own)', async () => {
    for (const channelId of [READONLY_CHANNEL, 'C0ELSEWHERE']) {
      stack.model.reset();
      stack.slack.reset();
      let offered: string[] = [];
      stack.model.script((request: MessagesRequest) => {
        offered = offeredTools(request);
        return { content: [text('Read-only here.')] };
      });
      const question = `scale something in ${channelId}`;
      await stack.slashCommand({ text: question, userId: REQUESTER, channelId });
      await waitForAnswer(stack.slack, question);
      assert.ok(offered.includes('pods_list') && offered.includes('nodes_list'), offered.join(','));
      for (const write of ['deployment_scale', 'pod_delete', 'node_drain', 'rollout_restart'])
        assert.ok(!offered.includes(write), `${channelId} was offered ${write}`);
    }
  });

  it("the channel's approvers decide its writes: the global approver and a stranger are refused, the listed one applies it", async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: PAYMENTS_NS, name: DEPLOYMENT, replicas: 3 })] },
      { content: [text('That change is waiting for a human approval in this thread.')] },
    );
    const question = 'scale api to 3';
    await stack.slashCommand({ text: question, userId: REQUESTER, channelId: PAYMENTS_CHANNEL });
    const card = await waitForCard(stack.slack, question, 'waiting for a human approval');
    for (const clicker of [GLOBAL_APPROVER, 'U0STRANGER']) {
      await click(stack, card, 'approve', clicker);
      await waitForEphemeral(
        stack.slack,
        clicker,
        new RegExp(`Not done: only an approver \\(<@${PAYMENTS_APPROVER}>\\) can approve or deny this action`),
      );
    }
    assert.equal((await apps.readNamespacedDeployment({ namespace: PAYMENTS_NS, name: DEPLOYMENT })).spec?.replicas, 2);
    const continuation = scriptContinuation(stack, 'Scaled api to 3.');
    await click(stack, card, 'approve', PAYMENTS_APPROVER);
    await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => m.text.includes(`approved by <@${PAYMENTS_APPROVER}> and applied`)),
      20_000,
    );
    assert.equal((await apps.readNamespacedDeployment({ namespace: PAYMENTS_NS, name: DEPLOYMENT })).spec?.replicas, 3);
    await continuation.posted(card);
  });
});
