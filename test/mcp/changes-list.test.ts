import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { getJson } from '../../src/kube/get-json.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { findHelm, runCommand } from '../deploy/run-command.ts';
import { createDeployment, rollOut } from '../../dev/support/seed-rollout.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

interface Item {
  at: string;
  type: string;
  kind: string;
  namespace?: string;
  name: string;
  summary: string;
  by?: string;
  derivedFrom: string;
}

const suffix = randomBytes(3).toString('hex');
const NAMESPACE = `changes-demo-${suffix}`;
const NODE = `changes-node-${suffix}`;
/** Values that must never come out of the tool: Secret data, credential-named env, a credential in args. */
const CANARIES = {
  secretValue: `CANARY-secret-${suffix}-a1`,
  addedSecretValue: `CANARY-added-secret-${suffix}-b2`,
  envPasswordBefore: `CANARY-env-pw-${suffix}-c3`,
  envPasswordAfter: `CANARY-env-pw-${suffix}-d4`,
  argToken: `CANARY-arg-token-${suffix}-e5`,
};

/** A new second, so each seeded step has its own timestamp (Kubernetes keeps whole seconds). */
const nextSecond = () => sleep(1_100 - (Date.now() % 1_000));

function checkoutTemplate(): V1PodTemplateSpec {
  return {
    metadata: { labels: { app: 'checkout' } },
    spec: {
      containers: [
        {
          name: 'checkout',
          image: 'registry.example.com/shop/checkout:1.4.0',
          args: ['--listen=:8080', `--token=${CANARIES.argToken}`],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'DB_PASSWORD', value: CANARIES.envPasswordBefore },
            { name: 'DB_PASSWORD_REF', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'password' } } },
          ],
          envFrom: [{ configMapRef: { name: 'app-config' } }],
          resources: { limits: { memory: '512Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        },
      ],
    },
  };
}

describe('changes_list against the test cluster: seeded rollout, scale, ConfigMap and Secret updates, Helm release, cordon', () => {
  let mcp: TestMcpServer;
  let client: Client;
  let kc: KubeConfig;
  let kubeconfigPath: string;
  const outputs: string[] = [];
  const call = recordingCall(() => client, outputs);
  const steps: Record<string, string> = {};

  before(async () => {
    ({ kubeconfigPath } = await testCluster());
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext('admin');
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });

    // Step 1: the app as first deployed.
    await nextSecond();
    await core.createNamespacedConfigMap({
      namespace: NAMESPACE,
      fieldManager: 'kubectl-create',
      body: { metadata: { name: 'app-config' }, data: { LOG_LEVEL: 'info', CACHE_TTL: '30' } },
    });
    await core.createNamespacedConfigMap({
      namespace: NAMESPACE,
      fieldManager: 'kubectl-create',
      body: { metadata: { name: 'old-flags', finalizers: ['example.com/keep'] }, data: { legacy: 'on' } },
    });
    await core.createNamespacedSecret({
      namespace: NAMESPACE,
      fieldManager: 'kubectl-create',
      body: { metadata: { name: 'app-secret' }, stringData: { password: CANARIES.secretValue } },
    });
    await createDeployment({ kc, namespace: NAMESPACE, name: 'checkout', template: checkoutTemplate() });
    await kc.makeApiClient(AutoscalingV2Api).createNamespacedHorizontalPodAutoscaler({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'checkout' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' }, minReplicas: 1, maxReplicas: 5 },
      },
    });
    steps.deployed = new Date().toISOString();

    // Step 2: a new image, env, args, memory limit and readiness probe (kubectl edit).
    await nextSecond();
    await rollOut({
      kc,
      namespace: NAMESPACE,
      name: 'checkout',
      fieldManager: 'kubectl-edit',
      changeCause: 'bump checkout to 1.5.0',
      change: (template) => {
        const container = template.spec?.containers[0];
        assert.ok(container !== undefined);
        container.image = 'registry.example.com/shop/checkout:1.5.0';
        container.args = ['--listen=:8080', `--token=${CANARIES.argToken}`, '--fast'];
        container.env = [
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'DB_PASSWORD', value: CANARIES.envPasswordAfter },
          { name: 'DB_PASSWORD_REF', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'api-key' } } },
        ];
        container.resources = { limits: { memory: '256Mi' } };
        container.readinessProbe = { httpGet: { path: '/ready', port: 8080 } };
        return template;
      },
    });

    // Step 3: kubectl scale (the scale subresource, which managedFields record without a time) with the deployment
    // controller's event that dates it.
    await nextSecond();
    await apps.replaceNamespacedDeploymentScale({
      namespace: NAMESPACE,
      name: 'checkout',
      fieldManager: 'kubectl-scale',
      body: { metadata: { name: 'checkout', namespace: NAMESPACE }, spec: { replicas: 3 } },
    });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const [current] = (await apps.listNamespacedReplicaSet({ namespace: NAMESPACE, labelSelector: 'app=checkout' })).items.filter(
      (rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2',
    );
    await core.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: `checkout.scaled-${suffix}` },
        involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: NAMESPACE },
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${current?.metadata?.name ?? ''} to 3 from 1`,
        type: 'Normal',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: 'deployment-controller' },
      },
    });
    // Step 4: the HPA's decision (its event), ConfigMap and Secret updates, a ConfigMap deletion held by its finalizer.
    await nextSecond();
    const later = new Date(Math.floor(Date.now() / 1000) * 1000);
    await core.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: `checkout.rescale-${suffix}` },
        involvedObject: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'checkout', namespace: NAMESPACE },
        reason: 'SuccessfulRescale',
        message: 'New size: 3; reason: cpu resource utilization (percentage of request) above target',
        type: 'Normal',
        firstTimestamp: later,
        lastTimestamp: later,
        count: 1,
        source: { component: 'horizontal-pod-autoscaler' },
      },
    });

    const config = await core.readNamespacedConfigMap({ namespace: NAMESPACE, name: 'app-config' });
    await core.replaceNamespacedConfigMap({
      namespace: NAMESPACE,
      name: 'app-config',
      fieldManager: 'kubectl-edit',
      body: { ...config, data: { ...config.data, LOG_LEVEL: 'debug', FEATURE_X: 'on' } },
    });
    const secret = await core.readNamespacedSecret({ namespace: NAMESPACE, name: 'app-secret' });
    await core.replaceNamespacedSecret({
      namespace: NAMESPACE,
      name: 'app-secret',
      fieldManager: 'kubectl-edit',
      body: { ...secret, stringData: { 'api-key': CANARIES.addedSecretValue } },
    });
    await core.deleteNamespacedConfigMap({ namespace: NAMESPACE, name: 'old-flags' });

    // Step 5: a Helm release, installed by the real helm.
    await nextSecond();
    const helm = findHelm();
    assert.ok(helm !== undefined, 'helm is part of the test gate (on PATH or in ~/.cache/ai4k8s/bin)');
    const chart = join(mkdtempSync(join(tmpdir(), 'ai4k8s-changes-chart-')), 'shop-flags');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop-flags\nversion: 1.4.2\n');
    writeFileSync(
      join(chart, 'templates', 'flags.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-flags\n  labels:\n    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n    app.kubernetes.io/managed-by: {{ .Release.Service }}\ndata:\n  flags: "a,b"\n',
    );
    const installed = await runCommand(helm, [
      'install',
      'shop-flags',
      chart,
      '--namespace',
      NAMESPACE,
      '--kubeconfig',
      kubeconfigPath,
      '--kube-context',
      'admin',
    ]);
    assert.equal(installed.code, 0, installed.stderr);

    // Step 6: a node joins and is cordoned.
    await nextSecond();
    await core.createNode({ fieldManager: 'kubelet', body: { metadata: { name: NODE, labels: { 'kubernetes.io/hostname': NODE } } } });
    await nextSecond();
    const node = await core.readNode({ name: NODE });
    await core.replaceNode({ name: NODE, fieldManager: 'kubectl-cordon', body: { ...node, spec: { ...node.spec, unschedulable: true } } });

    mcp = await startMcpServerForTest({ kubeconfigPath });
    client = await mcp.connect();
  });

  after(async () => {
    await mcp?.stop();
    const core = kc.makeApiClient(CoreV1Api);
    await core.deleteNode({ name: NODE }).catch(() => undefined);
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  const items = (structured: Record<string, unknown> | undefined): Item[] => (structured?.items ?? []) as Item[];
  const key = (item: Item) => `${item.type} ${item.kind} ${item.name}`;

  it("lists the namespace's changes newest first, each step after the one before it", async () => {
    const result = await call('changes_list', { namespace: NAMESPACE, since: '10m' });
    assert.equal(result.isError, undefined, result.text);
    const listed = items(result.structuredContent);
    const order = listed.map(key);
    // Newest first: each group is a seeded step; items of one step share a second, so their order inside is by type and name.
    const expected = [
      ['helm Helm release shop-flags', 'created ConfigMap shop-flags'],
      ['scale HorizontalPodAutoscaler checkout', 'config ConfigMap app-config', 'secret Secret app-secret', 'deleting ConfigMap old-flags'],
      ['scale Deployment checkout'],
      ['rollout Deployment checkout'],
      [
        'created ConfigMap app-config',
        'created ConfigMap old-flags',
        'created Deployment checkout',
        'created HorizontalPodAutoscaler checkout',
        'created Secret app-secret',
      ],
    ];
    assert.deepEqual(order, expected.flat(), result.text);
    for (let i = 1; i < listed.length; i++) assert.ok((listed[i - 1]?.at ?? '') >= (listed[i]?.at ?? ''), 'newest first');
    assert.ok(
      listed.every((item) => item.namespace === NAMESPACE && item.derivedFrom !== ''),
      'every item says where it is and how it was derived',
    );
    // The fenced text carries the same items, in the same order.
    const fenced = readUntrustedFences(result.text)[0] ?? '';
    assert.equal(fenced.split('\n').length, listed.length);
    assert.match(result.text, /^13 changes in namespace changes-demo-\w+ from \S+Z to \S+Z, newest first\.$/m);
  });

  it('the rollout names the image change, the env names, resources, args and probe, its author and the ReplicaSets it came from', async () => {
    const result = await call('changes_list', { namespace: NAMESPACE, since: '10m' });
    const rollout = items(result.structuredContent).find((item) => item.type === 'rollout');
    assert.ok(rollout !== undefined);
    assert.match(rollout.summary, /^rollout to revision 2: /);
    assert.match(rollout.summary, /image checkout: registry\.example\.com\/shop\/checkout 1\.4\.0 → 1\.5\.0/);
    assert.match(
      rollout.summary,
      /env checkout: LOG_LEVEL "info" → "debug", DB_PASSWORD changed \(value not shown: credential name\), DB_PASSWORD_REF changed \(from Secret app-secret key api-key\)/,
    );
    assert.match(rollout.summary, /resources checkout: limits\.memory 512Mi → 256Mi/);
    assert.match(rollout.summary, /args checkout changed/);
    assert.match(rollout.summary, /readinessProbe checkout changed \(httpGet \/healthz:8080 → httpGet \/ready:8080\)/);
    assert.match(rollout.summary, /change-cause "bump checkout to 1\.5\.0"/);
    assert.equal(rollout.by, 'kubectl-edit');
    assert.match(rollout.derivedFrom, /^ReplicaSet checkout-\w+ \(rev 1\) → ReplicaSet checkout-\w+ \(rev 2\); author from managedFields$/);
  });

  it('scaling, the HPA decision, the ConfigMap and Secret updates (keys only), the finalizing deletion and the Helm release', async () => {
    const listed = items((await call('changes_list', { namespace: NAMESPACE, since: '10m' })).structuredContent);
    const find = (k: string) => listed.find((item) => key(item) === k);
    const scaled = find('scale Deployment checkout');
    assert.match(scaled?.summary ?? '', /^Scaled up replica set checkout-\w+ to 3 from 1 \(replicas now 3\)$/);
    assert.equal(scaled?.by, 'kubectl-scale');
    assert.match(
      scaled?.derivedFrom ?? '',
      /^Event ScalingReplicaSet; kubectl-scale last wrote spec\.replicas through the scale subresource/,
    );
    assert.match(
      find('scale HorizontalPodAutoscaler checkout')?.summary ?? '',
      /^HPA decision: New size: 3; reason: cpu resource utilization/,
    );
    const config = find('config ConfigMap app-config');
    assert.equal(config?.by, 'kubectl-edit');
    assert.equal(config?.summary, 'data updated: keys added or changed FEATURE_X, LOG_LEVEL; 3 keys now (CACHE_TTL, FEATURE_X, LOG_LEVEL)');
    const secret = find('secret Secret app-secret');
    assert.equal(secret?.summary, 'data updated: keys added or changed api-key; 2 keys now (api-key, password)');
    assert.match(secret?.derivedFrom ?? '', /values never read/);
    assert.match(find('deleting ConfigMap old-flags')?.summary ?? '', /being deleted/);
    const release = find('helm Helm release shop-flags');
    assert.equal(release?.summary, 'revision 1 deployed, chart shop-flags-1.4.2 (installed)');
    assert.match(release?.derivedFrom ?? '', /^Secret sh\.helm\.release\.v1\.shop-flags\.v1 labels \(payload not read\)/);
    assert.equal(find('created ConfigMap shop-flags')?.by, 'helm');
  });

  it("cluster-wide: the cordoned node with who cordoned it, newer than the namespace's changes", async () => {
    const result = await call('changes_list', { since: '10m', limit: 200 });
    assert.equal(result.isError, undefined, result.text);
    const listed = items(result.structuredContent).filter((item) => item.name === NODE || item.namespace === NAMESPACE);
    assert.deepEqual(
      listed.slice(0, 3).map((item) => [key(item), item.by ?? '']),
      [
        ['node Node ' + NODE, 'kubectl-cordon'],
        ['created Node ' + NODE, 'kubelet'],
        ['helm Helm release shop-flags', ''],
      ],
    );
    assert.equal(listed[0]?.summary, 'cordoned (unschedulable)');
    assert.match(result.text, /in the cluster \(all namespaces and nodes\)/);
  });

  it("around one workload: its rollout, scaling and HPA, the ConfigMap and Secret it uses; not the namespace's other objects", async () => {
    const result = await call('changes_list', { namespace: NAMESPACE, kind: 'Deployment', name: 'checkout', since: '10m' });
    const order = items(result.structuredContent).map(key);
    assert.deepEqual(order, [
      'scale HorizontalPodAutoscaler checkout',
      'config ConfigMap app-config',
      'secret Secret app-secret',
      'scale Deployment checkout',
      'rollout Deployment checkout',
      'created ConfigMap app-config',
      'created Deployment checkout',
      'created HorizontalPodAutoscaler checkout',
      'created Secret app-secret',
    ]);
    const missing = await call('changes_list', { namespace: NAMESPACE, kind: 'Deployment', name: 'nope', since: '10m' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /Deployment changes-demo-\w+\/nope not found/);
  });

  it('what the API no longer keeps is reported as unknown, not invented', async () => {
    // A Deployment whose revisions 1-6 are gone (revisionHistoryLimit): only 7 and 8 are kept.
    await createDeployment({
      kc,
      namespace: NAMESPACE,
      name: 'legacy',
      template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image: 'legacy:7' }] } },
    });
    const apps = kc.makeApiClient(AppsV1Api);
    const [first] = (await apps.listNamespacedReplicaSet({ namespace: NAMESPACE, labelSelector: 'app=legacy' })).items;
    assert.ok(first?.metadata !== undefined);
    await apps.replaceNamespacedReplicaSet({
      namespace: NAMESPACE,
      name: first.metadata.name ?? '',
      body: { ...first, metadata: { ...first.metadata, annotations: { 'deployment.kubernetes.io/revision': '7' } } },
    });
    const legacy = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: 'legacy' });
    await apps.replaceNamespacedDeployment({
      namespace: NAMESPACE,
      name: 'legacy',
      body: { ...legacy, metadata: { ...legacy.metadata, annotations: { 'deployment.kubernetes.io/revision': '7' } } },
    });
    await rollOut({
      kc,
      namespace: NAMESPACE,
      name: 'legacy',
      fieldManager: 'kubectl-set',
      change: (t) => ({ ...t, spec: { containers: [{ name: 'legacy', image: 'legacy:8' }] } }),
    });
    const result = await call('changes_list', { namespace: NAMESPACE, kind: 'Deployment', name: 'legacy', since: '1d' });
    const unknown = (result.structuredContent?.unknown ?? []) as string[];
    assert.ok(
      unknown.some((note) =>
        new RegExp(
          `^Deployment ${NAMESPACE}/legacy keeps revisions 7–8 only \\(revisionHistoryLimit\\): its pod-template changes before \\S+Z are unknown\\.$`,
        ).test(note),
      ),
      unknown.join('\n'),
    );
    assert.ok(
      unknown.some((note) => /HPA decisions come from events/.test(note)),
      'a window longer than the events kept says so',
    );
    assert.match(result.text, /Not visible to the API \(unknown, not guessed\):\n- /);
    const rollouts = items(result.structuredContent)
      .filter((item) => item.type === 'rollout')
      .map((item) => item.summary);
    // Revision 7's own change is unknown (the revision before it is gone): said so, not guessed.
    assert.deepEqual(rollouts, [
      'rollout to revision 8: image legacy: legacy 7 → 8',
      'rollout to revision 7: the revision before it is no longer kept, so what changed is unknown',
    ]);
  });

  it('no Secret value and no credential env or argument value appears anywhere in what the tool returned', () => {
    assert.ok(outputs.length >= 10);
    const all = outputs.join('\n');
    for (const [what, canary] of Object.entries(CANARIES)) assert.ok(!all.includes(canary), `${what} leaked`);
    assert.ok(!all.includes(Buffer.from(CANARIES.secretValue).toString('base64')), 'base64 of the Secret value leaked');
  });
});

/** A CRD of a real group and kind, as loose as the projects' own about status: what changes_list discovers. */
function crd(group: string, kind: string, plural: string, version: string) {
  // client-node's model names it x_kubernetes_preserve_unknown_fields (and sends x-kubernetes-preserve-unknown-fields).
  const open = { type: 'object', x_kubernetes_preserve_unknown_fields: true };
  return {
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
        },
      ],
    },
  };
}

describe('changes_list: Argo CD and Flux objects, where their CRDs exist', () => {
  const gitopsSuffix = randomBytes(3).toString('hex');
  const target = `changes-gitops-${gitopsSuffix}`;
  const argoNamespace = `changes-argocd-${gitopsSuffix}`;
  const definitions = [
    crd('argoproj.io', 'Application', 'applications', 'v1alpha1'),
    crd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations', 'v1'),
    crd('helm.toolkit.fluxcd.io', 'HelmRelease', 'helmreleases', 'v2'),
  ];
  let kc: KubeConfig;
  let mcp: TestMcpServer;
  let client: Client;
  let before10m: string;

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext('admin');
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of [target, argoNamespace]) await core.createNamespace({ body: { metadata: { name } } });
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    for (const body of definitions)
      await extensions.createCustomResourceDefinition({ body }).catch((error: unknown) => {
        if ((error as { code?: number }).code !== 409) throw error;
      });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    before10m = new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const custom = kc.makeApiClient(CustomObjectsApi);
    const objects = [
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: argoNamespace,
        plural: 'applications',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'shop' },
          spec: { destination: { namespace: target, server: 'https://kubernetes.default.svc' } },
          status: {
            history: [
              { id: 4, revision: '1111111111111111111111111111111111111111', deployedAt: before10m },
              { id: 5, revision: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', deployedAt: now },
            ],
            operationState: { phase: 'Failed', finishedAt: now, message: 'one or more objects failed to apply' },
          },
        },
      },
      {
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        namespace: target,
        plural: 'kustomizations',
        body: {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'apps' },
          status: {
            lastAppliedRevision: 'main@sha1:abc123',
            conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', lastTransitionTime: now }],
          },
        },
      },
      {
        group: 'helm.toolkit.fluxcd.io',
        version: 'v2',
        namespace: target,
        plural: 'helmreleases',
        body: {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'redis' },
          status: {
            history: [
              { chartName: 'redis', chartVersion: '19.0.1', version: 3, status: 'deployed', firstDeployed: before10m, lastDeployed: now },
            ],
          },
        },
      },
    ];
    for (const { body, ...where } of objects) {
      // The API server serves a new CRD a moment after it is created.
      for (let attempt = 0; ; attempt++) {
        try {
          await custom.createNamespacedCustomObject({ ...where, body });
          break;
        } catch (error) {
          if (attempt > 50) throw error;
          await sleep(100);
        }
      }
    }
    // Discovery serves a new group a moment after its objects can be created: wait for it, as the tool asks discovery.
    const kube = createKubeClient({ kubeconfigPath });
    for (const { spec } of definitions) {
      for (let attempt = 0; ; attempt++) {
        const served = await getJson<{ preferredVersion?: unknown }>(kube, { path: `/apis/${spec.group}` }).then(
          (group) => group.preferredVersion !== undefined,
          () => false,
        );
        if (served) break;
        assert.ok(attempt < 100, `${spec.group} never served by discovery`);
        await sleep(100);
      }
    }
    mcp = await startMcpServerForTest({ kubeconfigPath });
    client = await mcp.connect();
  });

  after(async () => {
    await mcp?.stop();
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    for (const body of definitions) await extensions.deleteCustomResourceDefinition({ name: body.metadata.name }).catch(() => undefined);
    for (const name of [target, argoNamespace])
      await kc
        .makeApiClient(CoreV1Api)
        .deleteNamespace({ name })
        .catch(() => undefined);
  });

  it("an Argo CD Application deploying into the namespace (from Argo CD's own namespace), a Flux Kustomization and HelmRelease", async () => {
    const result = (await client.callTool({ name: 'changes_list', arguments: { namespace: target, since: '5m' } })) as {
      structuredContent?: Record<string, unknown>;
      content: { text: string }[];
    };
    const listed = (result.structuredContent?.items ?? []) as Item[];
    const gitops = listed
      .filter((item) => item.type === 'gitops')
      .map((item) => `${item.kind} ${item.namespace ?? ''}/${item.name}: ${item.summary} [${item.derivedFrom}]`)
      .sort();
    assert.deepEqual(
      gitops,
      [
        `Application ${argoNamespace}/shop: Argo CD deployed revision 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 [Argo CD status.history]`,
        `Application ${argoNamespace}/shop: Argo CD sync Failed: one or more objects failed to apply [Argo CD status.operationState]`,
        `HelmRelease ${target}/redis: Flux release revision 3 deployed, chart redis 19.0.1 [Flux HelmRelease status.history]`,
        `Kustomization ${target}/apps: Flux Ready True (ReconciliationSucceeded), last applied revision main@sha1:abc123 [Flux Kustomization Ready condition lastTransitionTime (the apply time itself is not kept)]`,
      ],
      result.content[0]?.text,
    );
    // The history entry from 20 minutes ago is outside the 5-minute window.
    assert.ok(!result.content[0]?.text.includes('1111111111'), 'an older deployment is not in a shorter window');
  });
});
