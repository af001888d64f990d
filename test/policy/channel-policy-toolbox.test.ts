import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import { BUILT_IN_CHANNEL_POLICY, type ChannelPolicy } from '../../src/policy/channel-policy.ts';
import { channelPolicyToolbox } from '../../src/policy/channel-policy-toolbox.ts';

const namespaced = { type: 'object' as const, properties: { namespace: { type: 'string' } } };
const clusterWide = { type: 'object' as const, properties: {} };

/** A toolbox that records what reached it. */
function recordingToolbox(): Toolbox & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const tools = [
    { name: 'pods_list', input_schema: namespaced },
    { name: 'nodes_list', input_schema: clusterWide },
    { name: 'kubectl', input_schema: { type: 'object' as const, properties: { command: { type: 'string' } } } },
    { name: 'deployment_scale', input_schema: namespaced },
    { name: 'node_drain', input_schema: clusterWide },
  ];
  const hints = new Map(tools.map((t) => [t.name, { readOnlyHint: !['deployment_scale', 'node_drain'].includes(t.name) }]));
  return {
    tools,
    hints,
    calls,
    call: (name, input) => {
      calls.push([name, input]);
      return Promise.resolve({ text: `ran ${name}`, isError: false });
    },
    close: () => Promise.resolve(),
  };
}

const policy = (over: Partial<ChannelPolicy>): ChannelPolicy => ({ ...BUILT_IN_CHANNEL_POLICY, entry: 'slack:T1:C1', ...over });

describe('channelPolicyToolbox', () => {
  it('changes nothing for an unrestricted write channel', () => {
    const inner = recordingToolbox();
    assert.equal(channelPolicyToolbox({ toolbox: inner, policy: BUILT_IN_CHANNEL_POLICY }), inner);
  });

  it('read tier: write tools are neither offered nor callable', async () => {
    const inner = recordingToolbox();
    const box = channelPolicyToolbox({ toolbox: inner, policy: policy({ tier: 'read' }) });
    assert.deepEqual(
      box.tools.map((t) => t.name),
      ['pods_list', 'nodes_list', 'kubectl'],
    );
    const refused = await box.call('deployment_scale', { namespace: 'a', name: 'b', replicas: 1 });
    assert.equal(refused.isError, true);
    assert.match(
      refused.text,
      /refused by channel policy: this channel \(policy entry slack:T1:C1\) is read-only: deployment_scale changes the cluster/,
    );
    assert.equal((await box.call('nodes_list', {})).isError, false);
    assert.deepEqual(
      inner.calls.map(([name]) => name),
      ['nodes_list'],
    );
  });

  it('namespaces: only the allowed ones; no cluster-wide tools; no call across all namespaces', async () => {
    const inner = recordingToolbox();
    const box = channelPolicyToolbox({ toolbox: inner, policy: policy({ namespaces: ['payments'] }) });
    assert.deepEqual(
      box.tools.map((t) => t.name),
      ['pods_list', 'kubectl', 'deployment_scale'],
    );
    const cases: [string, unknown, boolean][] = [
      ['pods_list', { namespace: 'payments' }, true],
      ['pods_list', { namespace: 'shop' }, false],
      ['pods_list', {}, false],
      ['nodes_list', {}, false],
      ['node_drain', { name: 'n1' }, false],
      ['deployment_scale', { namespace: 'payments', name: 'api', replicas: 2 }, true],
      ['deployment_scale', { namespace: 'kube-system', name: 'coredns', replicas: 0 }, false],
      ['kubectl', { command: 'kubectl get pods -n payments' }, true],
      ['kubectl', { command: 'kubectl logs api-1 --namespace payments --previous' }, true],
      ['kubectl', { command: 'kubectl get pods -n shop' }, false],
      ['kubectl', { command: 'kubectl get pods -A' }, false],
      ['kubectl', { command: 'kubectl get pods' }, false],
      ['kubectl', { command: 'kubectl get nodes' }, false],
      ['kubectl', { command: 'kubectl top nodes' }, false],
      // Types -n cannot narrow (cluster-scoped, or unknown such as a CRD) reach the whole cluster.
      ['kubectl', { command: 'kubectl get ns -n payments' }, false],
      ['kubectl', { command: 'k get pv -n payments' }, false],
      ['kubectl', { command: 'kubectl get crd -n payments' }, false],
      ['kubectl', { command: 'kubectl get certificates -n payments' }, false],
      ['kubectl', { command: 'kubectl get deploy,no -n payments' }, false],
      ['kubectl', { command: 'kubectl describe node node-1 -n payments' }, false],
      ['kubectl', { command: 'kubectl events --for node/node-1 -n payments' }, false],
      ['kubectl', { command: 'kubectl api-resources' }, false],
      ['kubectl', { command: 'kubectl config get-contexts' }, false],
      ['kubectl', { command: 'kubectl get deploy,svc -n payments' }, true],
      ['kubectl', { command: 'kubectl get all -n payments' }, true],
      ['kubectl', { command: 'k logs deploy/api -n payments' }, true],
      ['kubectl', { command: 'kubectl events --for pod/api-1 -n payments' }, true],
    ];
    for (const [name, input, allowed] of cases) {
      const outcome = await box.call(name, input);
      assert.equal(outcome.isError, !allowed, `${name} ${JSON.stringify(input)}: ${outcome.text}`);
      if (!allowed) assert.match(outcome.text, /^refused by channel policy: .*payments.*\(policy entry slack:T1:C1\)\.$/);
    }
    assert.equal(inner.calls.length, cases.filter(([, , allowed]) => allowed).length, 'a refused call reached the MCP server');
    assert.match((await box.call('kubectl', { command: 'kubectl get pods' })).text, /add -n <namespace>/);
    assert.match((await box.call('pods_list', {})).text, /call it again with namespace set to one of them/);
  });

  it('contexts: a named context must be listed; a call naming none is the server\'s own context, "default"', async () => {
    const inner = recordingToolbox();
    const onlyProd = channelPolicyToolbox({ toolbox: inner, policy: policy({ contexts: ['prod-eu'] }) });
    assert.equal((await onlyProd.call('pods_list', { namespace: 'a', context: 'prod-eu' })).isError, false);
    const other = await onlyProd.call('pods_list', { namespace: 'a', context: 'staging' });
    assert.match(other.text, /may only use the kube contexts prod-eu, not staging/);
    assert.match((await onlyProd.call('pods_list', { namespace: 'a' })).text, /name one in the call's context argument/);
    const withDefault = channelPolicyToolbox({ toolbox: inner, policy: policy({ contexts: ['default'] }) });
    assert.equal((await withDefault.call('pods_list', { namespace: 'a' })).isError, false);
  });
});
