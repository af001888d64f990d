import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createKubeClient, type KubeClient } from '../../src/kube/create-kube-client.ts';
import { KubeNotFoundError, toKubeError } from '../../src/kube/errors.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool, controlledBy, createNamespace, deploymentBody, uniqueName } from './write-support.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';

const APPLY_HINT = (tool: string) => `To apply it, call ${tool} again with the same arguments and dryRun: false.`;

describe('write tools against the test cluster: dry-run preview first, dryRun: false applies', () => {
  let mcp: TestMcpServer;
  let client: Client;
  let admin: KubeClient;
  let ns: string;
  // A real call carries the grant the gateway would sign for it after an approval (test/mcp/approval-grants.test.ts
  // shows what happens without one).
  const call = (name: string, args: Record<string, unknown>) =>
    callTool(client, name, args, args.dryRun === false ? { grant: mcp.grant({ tool: name, arguments: args }) } : {});
  const gone = async (read: () => Promise<unknown>) =>
    read().then(
      () => false,
      (error: unknown) => toKubeError(error, { server: admin.server }) instanceof KubeNotFoundError,
    );

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    admin = createKubeClient({ kubeconfigPath });
    ns = await createNamespace(admin);
    mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_ENABLE_WRITE_TOOLS: true } });
    client = await mcp.connect();
  });
  after(() => mcp.stop());

  it('lists the write tools with readOnlyHint false and the stated hints', async () => {
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(
      tools
        .filter((t) => t.annotations?.readOnlyHint === false)
        .map((t) => [t.name, [t.annotations?.destructiveHint, t.annotations?.idempotentHint]]),
    );
    assert.deepEqual(hints, {
      deployment_scale: [true, true],
      rollout_restart: [true, false],
      rollout_undo: [true, false],
      pod_delete: [true, true],
      node_cordon: [false, true],
      node_uncordon: [false, true],
      node_drain: [true, true],
    });
    const scale = tools.find((t) => t.name === 'deployment_scale');
    assert.deepEqual(scale?.inputSchema.required, ['namespace', 'name', 'replicas']);
    assert.equal((scale?.inputSchema.properties?.dryRun as { default?: unknown }).default, true);
  });

  it('deployment_scale: the preview shows replicas before → after and changes nothing; dryRun false applies', async () => {
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('web', { replicas: 2 }) });
    const preview = await call('deployment_scale', { namespace: ns, name: 'web', replicas: 5 });
    assert.equal(preview.text, `DRY RUN (nothing changed): scale deployment ${ns}/web: replicas 2 → 5\n${APPLY_HINT('deployment_scale')}`);
    assert.deepEqual(preview.structured, {
      preview: {
        summary: `scale deployment ${ns}/web: replicas 2 → 5`,
        target: { kind: 'Deployment', namespace: ns, name: 'web', context: 'admin' },
        changes: [{ field: 'spec.replicas', before: 2, after: 5 }],
      },
      changed: true,
      dryRun: true,
      applied: false,
      apply: { tool: 'deployment_scale', arguments: { namespace: ns, name: 'web', replicas: 5 }, context: 'admin' },
    });
    assert.equal((await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas, 2);

    const applied = await call('deployment_scale', { namespace: ns, name: 'web', replicas: 5, dryRun: false });
    assert.equal(applied.text, `APPLIED: scale deployment ${ns}/web: replicas 2 → 5`);
    assert.equal(applied.structured?.applied, true);
    assert.deepEqual([applied.structured?.changed, applied.structured?.dryRun], [true, false]);
    assert.equal((await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas, 5);

    const again = await call('deployment_scale', { namespace: ns, name: 'web', replicas: 5, dryRun: false });
    assert.equal(again.text, `NO CHANGE: deployment ${ns}/web already has 5 replicas`);
    // The contract's flags say it, not only the text: nothing to change, nothing applied, no apply plan to approve.
    assert.deepEqual(
      [again.structured?.changed, again.structured?.dryRun, again.structured?.applied, again.structured?.apply],
      [false, true, false, undefined],
    );
    const missing = await call('deployment_scale', { namespace: ns, name: 'nope', replicas: 1 });
    assert.equal(missing.isError, true);
    assert.equal(missing.text, `deployments.apps "nope" not found. Use deployments_list with namespace ${ns} to see its deployments.`);
  });

  it('rollout_restart: stamps restartedAt on the pod template only when applied', async () => {
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('restart-me', { replicas: 3 }) });
    const preview = await call('rollout_restart', { kind: 'Deployment', namespace: ns, name: 'restart-me' });
    const summary = new RegExp(
      `^DRY RUN \\(nothing changed\\): restart deployment ${ns}/restart-me: new rollout replacing its 3 pod\\(s\\) \\(kubectl\\.kubernetes\\.io/restartedAt unset → (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\\)\n${APPLY_HINT('rollout_restart')}$`,
    );
    assert.match(preview.text, summary);
    const template = async () =>
      (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'restart-me' })).spec?.template.metadata?.annotations;
    assert.equal((await template())?.['kubectl.kubernetes.io/restartedAt'], undefined);

    const applied = await call('rollout_restart', { kind: 'Deployment', namespace: ns, name: 'restart-me', dryRun: false });
    const stamp = /unset → (\S+)\)$/.exec(applied.text.split('\n')[0] ?? '')?.[1];
    assert.match(applied.text, /^APPLIED: restart deployment/);
    assert.equal((await template())?.['kubectl.kubernetes.io/restartedAt'], stamp);

    const statefulSet = await call('rollout_restart', { kind: 'StatefulSet', namespace: ns, name: 'restart-me' });
    assert.equal(statefulSet.isError, true);
    assert.match(statefulSet.text, /statefulsets\.apps "restart-me" not found/);
  });

  it('rollout_undo: back to the previous revision taken from the ReplicaSets, like kubectl', async () => {
    const deployment = deploymentBody('api', { replicas: 1, image: 'registry.example.com/api:3' });
    const created = await admin.apps.createNamespacedDeployment({
      namespace: ns,
      body: { ...deployment, metadata: { name: 'api', annotations: { 'deployment.kubernetes.io/revision': '3' } } },
    });
    for (const revision of [1, 2, 3]) {
      const hash = `hash${revision}`;
      await admin.apps.createNamespacedReplicaSet({
        namespace: ns,
        body: {
          metadata: {
            name: `api-${hash}`,
            labels: { app: 'api', 'pod-template-hash': hash },
            annotations: { 'deployment.kubernetes.io/revision': String(revision) },
            ownerReferences: [controlledBy('Deployment', 'api', created.metadata?.uid)],
          },
          spec: {
            replicas: revision === 3 ? 1 : 0,
            selector: { matchLabels: { app: 'api', 'pod-template-hash': hash } },
            template: {
              metadata: { labels: { app: 'api', 'pod-template-hash': hash } },
              spec: { containers: [{ name: 'app', image: `registry.example.com/api:${revision}` }] },
            },
          },
        },
      });
    }
    const image = async () =>
      (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'api' })).spec?.template.spec?.containers[0]?.image;

    const preview = await call('rollout_undo', { namespace: ns, name: 'api' });
    assert.equal(
      preview.text,
      `DRY RUN (nothing changed): undo deployment ${ns}/api: revision 3 → pod template of revision 2 (app: registry.example.com/api:3 → registry.example.com/api:2)\n${APPLY_HINT('rollout_undo')}`,
    );
    assert.deepEqual((preview.structured?.preview as { changes: unknown }).changes, [
      { field: 'revision', before: 3, after: 2 },
      { field: 'spec.template.spec.containers[app].image', before: 'registry.example.com/api:3', after: 'registry.example.com/api:2' },
    ]);
    assert.equal(await image(), 'registry.example.com/api:3');
    // Applying means exactly this undo: the revisions the preview resolved are pinned in its apply plan.
    assert.deepEqual(preview.structured?.apply, {
      tool: 'rollout_undo',
      arguments: { namespace: ns, name: 'api', toRevision: 2, fromRevision: 3 },
      context: 'admin',
    });
    const stale = await call('rollout_undo', { namespace: ns, name: 'api', toRevision: 1, fromRevision: 2, dryRun: false });
    assert.equal(stale.isError, true);
    assert.equal(
      stale.text,
      `deployment ${ns}/api is at revision 3 now, not 2 as previewed: it rolled out since. Nothing was changed; preview the undo again (rollout_history shows the revisions).`,
    );
    assert.equal(await image(), 'registry.example.com/api:3');

    const applied = await call('rollout_undo', { namespace: ns, name: 'api', toRevision: 1, dryRun: false });
    assert.match(
      applied.text,
      /^APPLIED: undo deployment .*revision 3 → pod template of revision 1 \(app: registry\.example\.com\/api:3 → registry\.example\.com\/api:1\)$/,
    );
    assert.equal(await image(), 'registry.example.com/api:1');
    const labels = (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'api' })).spec?.template.metadata?.labels;
    assert.deepEqual(labels, { app: 'api' }, 'the pod-template-hash label is not copied back');

    const same = await call('rollout_undo', { namespace: ns, name: 'api', toRevision: 1 });
    assert.equal(same.text, `NO CHANGE: deployment ${ns}/api already runs the pod template of revision 1`);
    const unknown = await call('rollout_undo', { namespace: ns, name: 'api', toRevision: 9 });
    assert.equal(unknown.isError, true);
    assert.equal(unknown.text, `deployment ${ns}/api has no revision 9; its revisions are 1, 2, 3 (see rollout_history).`);
  });

  it('pod_delete: the preview names status, node and fate; dryRun false deletes', async () => {
    await admin.core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'lonely' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const preview = await call('pod_delete', { namespace: ns, name: 'lonely' });
    assert.equal(
      preview.text,
      `DRY RUN (nothing changed): delete pod ${ns}/lonely (Pending; not managed by a controller: it will not be recreated; grace period 30s)\n${APPLY_HINT('pod_delete')}`,
    );
    assert.equal(await gone(() => admin.core.readNamespacedPod({ namespace: ns, name: 'lonely' })), false);

    const applied = await call('pod_delete', { namespace: ns, name: 'lonely', gracePeriodSeconds: 0, dryRun: false });
    assert.equal(
      applied.text,
      `APPLIED: delete pod ${ns}/lonely (Pending; not managed by a controller: it will not be recreated; grace period 0s)\npod ${ns}/lonely is gone.`,
    );
    assert.equal(await gone(() => admin.core.readNamespacedPod({ namespace: ns, name: 'lonely' })), true);
  });

  it('node_cordon / node_uncordon: preview, apply, and no change when already so', async () => {
    const node = uniqueName('writes-node');
    await admin.core.createNode({ body: { metadata: { name: node } } });
    const unschedulable = async () => (await admin.core.readNode({ name: node })).spec?.unschedulable === true;

    const preview = await call('node_cordon', { name: node });
    assert.equal(
      preview.text,
      `DRY RUN (nothing changed): cordon node ${node}: spec.unschedulable false → true (no new pods scheduled there; running pods stay)\n${APPLY_HINT('node_cordon')}`,
    );
    assert.equal(await unschedulable(), false);
    assert.match((await call('node_cordon', { name: node, dryRun: false })).text, /^APPLIED: cordon node/);
    assert.equal(await unschedulable(), true);
    assert.equal(
      (await call('node_cordon', { name: node, dryRun: false })).text,
      `NO CHANGE: node ${node} is already cordoned (spec.unschedulable true)`,
    );
    assert.equal(
      (await call('node_uncordon', { name: node, dryRun: false })).text,
      `APPLIED: uncordon node ${node}: spec.unschedulable true → false (pods can be scheduled there again)`,
    );
    assert.equal(await unschedulable(), false);
    await admin.core.deleteNode({ name: node });
  });

  it('node_drain: cordon + eviction; DaemonSet and mirror pods skipped; a disruption budget blocks one pod', async () => {
    const node = uniqueName('drain-node');
    await admin.core.createNode({ body: { metadata: { name: node } } });
    const pod = (name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; owner?: string } = {}) =>
      admin.core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: {
            name,
            labels: extra.labels ?? { app: name },
            ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }),
            ownerReferences: [controlledBy(extra.owner ?? 'ReplicaSet', `${name}-owner`)],
          },
          spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] },
        },
      });
    await pod('movable');
    await pod('guarded', { labels: { app: 'guarded' } });
    // Budgets do not protect Pending pods, and no kubelet runs here to start one: say it runs.
    const guarded = await admin.core.readNamespacedPod({ namespace: ns, name: 'guarded' });
    guarded.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    await admin.core.replaceNamespacedPodStatus({ namespace: ns, name: 'guarded', body: guarded });
    await pod('agent', { owner: 'DaemonSet' });
    await pod('static', { annotations: { 'kubernetes.io/config.mirror': 'abc123' }, owner: 'Node' });
    await admin.custom.createNamespacedCustomObject({
      group: 'policy',
      version: 'v1',
      namespace: ns,
      plural: 'poddisruptionbudgets',
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'guarded' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
      },
    });

    const preview = await call('node_drain', { name: node, gracePeriodSeconds: 0 });
    const lines = preview.text.split('\n');
    assert.equal(
      lines[0],
      `DRY RUN (nothing changed): drain node ${node}: cordon (spec.unschedulable false → true), evict 1 pod(s), 1 blocked, 2 skipped`,
    );
    // The pods and the API server's reasons are read from the cluster: fenced, between the summary and the hint.
    assert.deepEqual((readUntrustedFences(preview.text)[0] ?? '').split('\n').sort(), [
      `blocked ${ns}/guarded: Cannot evict pod as it would violate the pod's disruption budget.`,
      `evict   ${ns}/movable`,
      `skip    ${ns}/agent: DaemonSet pod (agent-owner)`,
      `skip    ${ns}/static: mirror pod (static, the kubelet owns it)`,
    ]);
    assert.equal(lines.at(-1), APPLY_HINT('node_drain'));
    assert.equal((await admin.core.readNode({ name: node })).spec?.unschedulable, undefined);
    assert.equal((await admin.core.readNamespacedPod({ namespace: ns, name: 'movable' })).metadata?.deletionTimestamp, undefined);

    const applied = await call('node_drain', { name: node, gracePeriodSeconds: 0, dryRun: false });
    assert.match(applied.text, /^APPLIED: drain node/);
    assert.match(
      applied.text,
      new RegExp(`\nResult: node ${node} cordoned; evicted 1 pod\\(s\\) \\(they terminate within their grace period\\)\\.\n`),
    );
    assert.match(
      applied.text,
      new RegExp(`\nNot evicted: ${ns}/guarded \\(Cannot evict pod as it would violate the pod's disruption budget\\.\\)\\.`),
    );
    assert.deepEqual(applied.structured?.evicted, [`${ns}/movable`]);
    assert.equal((await admin.core.readNode({ name: node })).spec?.unschedulable, true);
    assert.equal(await gone(() => admin.core.readNamespacedPod({ namespace: ns, name: 'movable' })), true);
    for (const kept of ['guarded', 'agent', 'static']) {
      assert.equal((await admin.core.readNamespacedPod({ namespace: ns, name: kept })).metadata?.deletionTimestamp, undefined, kept);
    }
    await admin.core.deleteNode({ name: node });
  });
});
