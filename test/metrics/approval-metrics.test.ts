import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CoreV1Api } from '@kubernetes/client-node';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { click, createOwnDeployment, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { scrape, valueOf, type Sample } from './parse-metrics.ts';

const APPROVER = 'U0METRICSAPPR';
const NAMESPACE = uniqueName('approval-metrics');

describe('/metrics: approvals by tool and outcome, after a real request, deny and late approve', () => {
  let stack: Stack;
  let core: CoreV1Api;
  before(async () => {
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
    ({ core } = await createOwnDeployment({ namespace: NAMESPACE, name: 'web' }));
  });
  after(async () => {
    await stack.stop();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  it('counts requested on the worker, denied and refused on the gateway', async () => {
    const approvals = (samples: Sample[], outcome: string) =>
      valueOf(samples, 'ai4k8s_approvals_total', { tool: 'deployment_scale', outcome });
    const before = (await scrape(stack.gatewayUrl)).samples;
    const question = 'scale web to 4, metrics';
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: 'web', replicas: 4 })] },
      { content: [text('Waiting for a human approval.')] },
    );
    await stack.slashCommand({ text: question, userId: 'U0METRICSREQ' });
    const card = await waitForCard(stack.slack, question, 'Waiting for a human approval');
    const continuation = scriptContinuation(stack, 'Left web as it is.');
    await click(stack, card, 'deny', APPROVER);
    await click(stack, card, 'approve', APPROVER);
    await continuation.posted(card);

    // Roles in one process share the process registry, so either endpoint shows both roles' counts.
    const deadline = Date.now() + 5_000;
    let after = (await scrape(stack.roleUrls.worker ?? '')).samples;
    while (approvals(after, 'refused') - approvals(before, 'refused') < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = (await scrape(stack.roleUrls.worker ?? '')).samples;
    }
    assert.equal(approvals(after, 'requested') - approvals(before, 'requested'), 1);
    assert.equal(approvals(after, 'denied') - approvals(before, 'denied'), 1);
    assert.equal(approvals(after, 'refused') - approvals(before, 'refused'), 1);
    assert.equal(approvals(after, 'approved') - approvals(before, 'approved'), 0);
    assert.equal(approvals(after, 'executed') - approvals(before, 'executed'), 0);
  });
});
