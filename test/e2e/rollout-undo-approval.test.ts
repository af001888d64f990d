import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api, V1Deployment } from '@kubernetes/client-node';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { adminApis, click, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const APPROVER = 'U0APPROVER';
const NAMESPACE = uniqueName('undo-pin');
const NAME = 'api';
const REVISION = 'deployment.kubernetes.io/revision';
const image = (revision: number) => `registry.example.com/api:${revision}`;

/** A ReplicaSet of revision `revision` owned by the deployment, as the deployment controller would have made it. */
async function recordRevision(apps: AppsV1Api, deployment: V1Deployment, revision: number): Promise<void> {
  const hash = `hash${revision}`;
  await apps.createNamespacedReplicaSet({
    namespace: NAMESPACE,
    body: {
      metadata: {
        name: `${NAME}-${hash}`,
        labels: { app: NAME, 'pod-template-hash': hash },
        annotations: { [REVISION]: String(revision) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: NAME, uid: deployment.metadata?.uid ?? '', controller: true }],
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: NAME, 'pod-template-hash': hash } },
        template: {
          metadata: { labels: { app: NAME, 'pod-template-hash': hash } },
          spec: { containers: [{ name: 'app', image: image(revision) }] },
        },
      },
    },
  });
}

/** What `kubectl set image` + the controller leave behind: the deployment at a new revision with its template. */
async function rollOut(apps: AppsV1Api, revision: number): Promise<void> {
  const deployment = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: NAME });
  await recordRevision(apps, deployment, revision);
  deployment.metadata = { ...deployment.metadata, annotations: { ...deployment.metadata?.annotations, [REVISION]: String(revision) } };
  const container = deployment.spec?.template.spec?.containers[0];
  if (container !== undefined) container.image = image(revision);
  await apps.replaceNamespacedDeployment({ namespace: NAMESPACE, name: NAME, body: deployment });
}

describe('rollout_undo runs the revision shown on the card', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  const currentImage = async () =>
    (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: NAME })).spec?.template.spec?.containers[0]?.image;

  before(async () => {
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
    ({ apps } = await adminApis());
    const { core } = await adminApis();
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    const labels = { app: NAME };
    const deployment = await apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: {
        metadata: { name: NAME, labels, annotations: { [REVISION]: '2' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: image(2) }] } },
        },
      },
    });
    await recordRevision(apps, deployment, 1);
    await recordRevision(apps, deployment, 2);
  });
  after(async () => {
    await stack.stop();
  });

  it('a new rollout between the card and the click does not turn the approved undo into another one: it is refused, clearly', async () => {
    stack.model.script(
      { content: [toolUse('rollout_undo', { namespace: NAMESPACE, name: NAME })] },
      { content: [text('The rollback is waiting for a human approval in this thread.')] },
    );
    const question = 'roll api back';
    await stack.slashCommand({ text: question, userId: 'U0ONCALL01' });
    const card = await waitForCard(stack.slack, question, 'waiting for a human approval');
    assert.match(
      card.message.text,
      /revision 2 → pod template of revision 1 \(app: registry\.example\.com\/api:2 → registry\.example\.com\/api:1\)/,
    );

    // Someone ships revision 3 while the card waits. Undoing "the previous revision" now would mean revision 2.
    await rollOut(apps, 3);
    const continuation = scriptContinuation(stack, 'The rollback was refused because the deployment changed.');
    await click(stack, card, 'approve', APPROVER);
    const outcome = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => /approved by <@U0APPROVER>/.test(m.text)),
      20_000,
    );
    assert.match(outcome.text, /did not complete: .*is at revision 3 now, not 2 as previewed/);
    assert.equal(await currentImage(), image(3), 'the approved undo rolled back something the card did not show');
    assert.match(card.message.text, /"toRevision":1/, 'the card shows the pinned revision');
    await continuation.posted(card);
  });
});
