import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Redis } from 'ioredis';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { createKubeClient, type KubeClient } from '../../src/kube/create-kube-client.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { testRedisUrl } from '../../dev/services/shared.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool, createNamespace, deploymentBody, type Called } from './write-support.ts';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * The MCP server is where a write happens, so it is where approval is enforced: a real call (dryRun: false) of a
 * write tool runs only with a grant the gateway signed for exactly that call, once. These tests play an attacker
 * who holds MCP_TOKEN (and sometimes a grant meant for something else).
 */
describe('approval grants: the MCP server refuses a real write without proof of a human approval', () => {
  let mcp: TestMcpServer;
  let replica: TestMcpServer;
  let client: Client;
  let admin: KubeClient;
  let redis: Redis;
  let ns: string;
  const scale = { namespace: '', name: 'web', replicas: 5 };
  const replicas = async () => (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas;
  const restartedAt = async () =>
    (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'restart-me' })).spec?.template.metadata?.annotations?.[RESTARTED_AT];
  const refusals = async (): Promise<Extract<AuditEvent, { kind: 'mcp_call_refused' }>[]> =>
    (await readAudit(redis, mcp.prefix)).events.filter(
      (e): e is Extract<AuditEvent, { kind: 'mcp_call_refused' }> => e.kind === 'mcp_call_refused',
    );
  const assertRefused = (result: Called, pattern: RegExp, label = '') => {
    assert.equal(result.isError, true, `${label}: expected a refusal, got: ${result.text}`);
    assert.match(result.text, /^refused: /, label);
    assert.match(result.text, pattern, label);
    assert.doesNotMatch(result.text, /APPLIED/);
  };

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    admin = createKubeClient({ kubeconfigPath });
    ns = await createNamespace(admin, 'grants');
    scale.namespace = ns;
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('web', { replicas: 2 }) });
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('restart-me', { replicas: 1 }) });
    mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_ENABLE_WRITE_TOOLS: true } });
    // A second replica: same key, same Redis and prefix, its own process state.
    replica = await startMcpServerForTest({ kubeconfigPath, config: { MCP_ENABLE_WRITE_TOOLS: true, QUEUE_PREFIX: mcp.prefix } });
    client = await mcp.connect();
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(async () => {
    await Promise.all([mcp.stop(), replica.stop()]);
    redis.disconnect();
  });

  it('a raw MCP client holding MCP_TOKEN calling deployment_scale with dryRun: false is refused; nothing changes; the refusal is audited', async () => {
    const result = await callTool(client, 'deployment_scale', { ...scale, dryRun: false });
    assertRefused(result, /approval grant/);
    assert.equal(await replicas(), 2, 'the deployment was scaled without an approval');
    const [event] = await refusals();
    assert.equal(event?.tool, 'deployment_scale');
    assert.equal(event?.code, 'grant_missing');
    assert.equal(event?.token, 'bot');
    assert.equal(event?.result, 'error');
    assert.equal(event?.cluster, 'admin');
    assert.deepEqual(event?.arguments, { ...scale, dryRun: false });
    assert.match(event?.reason ?? '', /carries no approval grant/);
  });

  it('a dry run still previews without a grant and says exactly what applying means', async () => {
    const preview = await callTool(client, 'deployment_scale', scale);
    assert.equal(preview.isError, false);
    assert.match(preview.text, /^DRY RUN \(nothing changed\): scale deployment .*: replicas 2 → 5/);
    assert.deepEqual(preview.structured?.apply, { tool: 'deployment_scale', arguments: scale, context: 'admin' });
  });

  it('refuses a forged grant (wrong key), an expired one, and grants for another tool, other arguments, another context or another user', async () => {
    const before = (await refusals()).length;
    const apply = (args: Record<string, unknown>, grant: string) => () =>
      callTool(client, 'deployment_scale', { ...args, dryRun: false }, { grant });
    const grantFor = (
      over: Parameters<TestMcpServer['grant']>[0] = { tool: 'deployment_scale', arguments: scale },
      options?: Parameters<TestMcpServer['grant']>[1],
    ) => mcp.grant(over, options);
    const cases: [string, () => Promise<Called>, RegExp][] = [
      [
        'forged',
        apply(scale, grantFor(undefined, { key: 'an-attacker-key-that-is-long-enough-000' })),
        /not signed with this server's APPROVAL_SIGNING_KEY/,
      ],
      ['expired', apply(scale, grantFor(undefined, { now: Date.now() - 120_000 })), /expired/],
      ['other tool', apply(scale, grantFor({ tool: 'rollout_restart', arguments: scale })), /for rollout_restart, not deployment_scale/],
      ['other args', apply({ ...scale, replicas: 50 }, grantFor()), /other arguments/],
      [
        'other context',
        apply(scale, grantFor({ tool: 'deployment_scale', arguments: scale, context: 'viewer' })),
        /for context viewer, not admin/,
      ],
      [
        'other user',
        apply(scale, grantFor({ tool: 'deployment_scale', arguments: scale, user: 'slack:T0TEST:U0SOMEONE' })),
        /another user/,
      ],
    ];
    for (const [label, call, reason] of cases) assertRefused(await call(), reason, label);
    const asOther = await mcp.connect(undefined, { 'x-ai4k8s-user': 'slack:T0TEST:U0MALLORY' });
    assertRefused(
      await callTool(
        asOther,
        'deployment_scale',
        { ...scale, dryRun: false },
        { grant: mcp.grant({ tool: 'deployment_scale', arguments: scale, user: 'slack:T0TEST:U0ONCALL' }) },
      ),
      /another user/,
    );
    assert.equal(await replicas(), 2);
    const codes = (await refusals()).slice(before).map((e) => e.code);
    assert.deepEqual(codes, [
      'grant_bad_signature',
      'grant_expired',
      'grant_other_tool',
      'grant_other_arguments',
      'grant_other_context',
      'grant_other_user',
      'grant_other_user',
    ]);
    assert.equal((await refusals()).at(-1)?.caller, 'slack:T0TEST:U0MALLORY');
  });

  it('a valid grant applies its call once; a replay is refused, on this server and on another replica sharing Redis', async () => {
    const restart = { kind: 'Deployment', namespace: ns, name: 'restart-me' };
    const grant = mcp.grant({ tool: 'rollout_restart', arguments: restart });
    const applied = await callTool(client, 'rollout_restart', { ...restart, dryRun: false }, { grant });
    assert.equal(applied.isError, false, applied.text);
    assert.match(applied.text, /^APPLIED: restart deployment/);
    const stamp = await restartedAt();
    assert.ok(stamp !== undefined);

    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a second replay would stamp a later second
    assertRefused(await callTool(await replica.connect(), 'rollout_restart', { ...restart, dryRun: false }, { grant }), /already used/);
    assertRefused(await callTool(client, 'rollout_restart', { ...restart, dryRun: false }, { grant }), /already used/);
    assert.equal(await restartedAt(), stamp, 'a replayed grant restarted the deployment again');
    assert.deepEqual(
      (await refusals()).slice(-2).map((e) => e.code),
      ['grant_replayed', 'grant_replayed'],
    );

    const scaled = await callTool(
      client,
      'deployment_scale',
      { ...scale, dryRun: false },
      { grant: mcp.grant({ tool: 'deployment_scale', arguments: scale }) },
    );
    assert.match(scaled.text, /^APPLIED: scale deployment/);
    assert.equal(await replicas(), 5);
  });
});
