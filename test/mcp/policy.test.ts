import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { createMcpServer } from '../../src/mcp/create-mcp-server.ts';
import { kindDenial, kindKey } from '../../src/mcp/kind-denial.ts';
import { defineTool, READ_ONLY } from '../../src/mcp/tool-definition.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool } from './write-support.ts';
import { own } from '../../src/mcp/result-parts.ts';

const toolNames = async (mcp: TestMcpServer) => (await (await mcp.connect()).listTools()).tools.map((t) => t.name);

describe('policy derived from annotations and configuration, enforced in the server', () => {
  let kubeconfigPath: string;
  const servers: TestMcpServer[] = [];
  const start = async (config: Parameters<typeof startMcpServerForTest>[0]['config']) => {
    const mcp = await startMcpServerForTest({ kubeconfigPath, config });
    servers.push(mcp);
    return mcp;
  };
  before(async () => {
    kubeconfigPath = (await testCluster()).kubeconfigPath;
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  it('MCP_ENABLE_WRITE_TOOLS: write tools absent (and refused) by default, present when enabled', async () => {
    const readOnly = await start({});
    assert.ok(!(await toolNames(readOnly)).includes('deployment_scale'));
    const refused = await callTool(await readOnly.connect(), 'pod_delete', { namespace: 'shop', name: 'x', dryRun: false });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /Tool pod_delete not found/);

    const writable = await start({ MCP_ENABLE_WRITE_TOOLS: true });
    const names = await toolNames(writable);
    for (const name of [
      'deployment_scale',
      'rollout_restart',
      'rollout_undo',
      'pod_delete',
      'node_cordon',
      'node_uncordon',
      'node_drain',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  it('MCP_ALLOWED_TOOLS keeps only those; MCP_DENIED_TOOLS removes tools, write tools included', async () => {
    assert.deepEqual(await toolNames(await start({ MCP_ALLOWED_TOOLS: ['kubectl', 'pods_list'] })), ['pods_list', 'kubectl']);
    const names = await toolNames(await start({ MCP_ENABLE_WRITE_TOOLS: true, MCP_DENIED_TOOLS: ['kubectl', 'node_drain'] }));
    assert.ok(names.includes('pods_list') && names.includes('node_cordon'));
    assert.ok(!names.includes('kubectl') && !names.includes('node_drain'));
  });

  it('unknown or contradictory tool names fail at start, naming the variable', async () => {
    await assert.rejects(start({ MCP_ALLOWED_TOOLS: ['pods_lst'] }), /MCP_ALLOWED_TOOLS: unknown tool name\(s\) pods_lst \(known: /);
    await assert.rejects(start({ MCP_DENIED_TOOLS: ['pod_nuke'] }), /MCP_DENIED_TOOLS: unknown tool name\(s\) pod_nuke/);
    await assert.rejects(
      start({ MCP_ALLOWED_TOOLS: ['pods_list', 'node_drain'] }),
      /MCP_ALLOWED_TOOLS: node_drain change the cluster; set MCP_ENABLE_WRITE_TOOLS=true/,
    );
  });

  it('MCP_DENIED_KINDS refuses kubectl on a denied kind, whatever the spelling', async () => {
    const client = await (await start({ MCP_DENIED_KINDS: ['Pod', 'ConfigMap'] })).connect();
    for (const command of ['kubectl get pods -n shop', 'kubectl get po -A', 'kubectl describe pod x -n shop', 'kubectl logs x -n shop']) {
      const r = await callTool(client, 'kubectl', { command });
      assert.equal(r.isError, true, command);
      // Refused centrally (the kind as spelled) or where kubectl resolves the kind (its API name): either names the setting.
      assert.match(r.text, /^refused: resource kind (pods?|Pod) is denied on this MCP server \(MCP_DENIED_KINDS\)\./, command);
    }
    const deployments = await callTool(client, 'kubectl', { command: 'kubectl get deployments -n shop' });
    assert.equal(deployments.isError, false, deployments.text);
  });

  it('a denied `kind` argument is refused centrally before any handler runs', async () => {
    const calls: string[] = [];
    const tool = defineTool({
      name: 'resource_peek',
      title: 'peek',
      description: 'test tool',
      inputSchema: { kind: z.string() },
      annotations: READ_ONLY,
      handler: ({ kind }) => {
        calls.push(kind);
        // The tool's own words (decision 016: a plain string would be fenced as cluster data).
        return Promise.resolve({ text: [own(`peeked ${kind}`)] });
      },
    });
    const kube = createKubeClient({ kubeconfigPath });
    const server = createMcpServer({
      tools: [tool],
      context: { kube, deniesKind: kindDenial(['Secret', 'networkpolicies', 'certificates.cert-manager.io']) },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 't', version: '0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    for (const kind of ['Secret', 'secrets', 'SECRET', 'NetworkPolicy', 'Certificate']) {
      const r = await callTool(client, 'resource_peek', { kind });
      assert.equal(r.isError, true, kind);
      assert.match(r.text, new RegExp(`^refused: resource kind ${kind} is denied on this MCP server \\(MCP_DENIED_KINDS\\)`));
    }
    assert.equal((await callTool(client, 'resource_peek', { kind: 'Pod' })).text, 'peeked Pod');
    assert.deepEqual(calls, ['Pod']);
    await client.close();
  });

  it('kindKey reduces every spelling of a kind to one key', () => {
    const same = [
      ['Secret', 'secrets'],
      ['NetworkPolicy', 'networkpolicies'],
      ['Ingress', 'ingresses'],
      ['StorageClass', 'storageclasses'],
      ['Endpoints', 'endpoints'],
      ['Deployment', 'deployments.apps'],
    ];
    for (const [kind, resource] of same) assert.equal(kindKey(kind ?? ''), kindKey(resource ?? ''), `${kind} ${resource}`);
    assert.notEqual(kindKey('Pod'), kindKey('PodTemplate'));
  });

  it('AI4K8S_POLICY: a bad policy file fails at start naming the variable and the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-policy-'));
    const path = join(dir, 'policy.yaml');
    writeFileSync(
      path,
      'identities:\n  unmapped: allow\n  users:\n    "slack:T1:U1": { user: "", groups: [sre] }\n    "not an id": { user: x }\n',
    );
    await assert.rejects(start({ AI4K8S_POLICY: path }), (error: Error) => {
      assert.match(error.message, /AI4K8S_POLICY \(.*policy\.yaml\): identities\.unmapped: expected refuse or server/);
      assert.match(error.message, /identities\.users\.slack:T1:U1\.user: expected a non-empty name/);
      assert.match(error.message, /identities\.users\.not an id: expected a chat user id like slack:T0123:U0456/);
      return true;
    });
    writeFileSync(path, 'identites: {}\n');
    await assert.rejects(start({ AI4K8S_POLICY: path }), /AI4K8S_POLICY \(.*\): .*identites/);
  });
});
