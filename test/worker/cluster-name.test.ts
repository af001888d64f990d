import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { McpToolboxPool } from '../../src/agent/mcp-toolbox-pool.ts';
import type { ToolOutcome } from '../../src/contract/toolbox.ts';
import { clusterName } from '../../src/worker/cluster-name.ts';

/** A pool whose bot toolbox answers contexts_list with the given outcomes in turn, counting calls. */
function poolAnswering(...outcomes: (ToolOutcome | Error)[]): McpToolboxPool & { calls: number } {
  const pool = {
    calls: 0,
    acquire: () =>
      Promise.resolve({
        tools: [],
        call: (name: string) => {
          assert.equal(name, 'contexts_list');
          const outcome = outcomes[pool.calls++] ?? new Error('no more outcomes');
          return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
        },
        close: () => Promise.resolve(),
      }),
    close: () => Promise.resolve(),
  };
  return pool;
}

const contexts = (current: string, cluster: string): ToolOutcome => ({
  text: '',
  isError: false,
  structuredContent: { current, contexts: [{ name: current, cluster }] },
});

describe('clusterName: what answers and audit events call the cluster', () => {
  it('CLUSTER_NAME wins without asking the MCP server', async () => {
    const pool = poolAnswering();
    assert.equal(await clusterName({ displayName: 'prod-eu', toolboxes: pool, fallback: '127.0.0.1:40147' }).name(), 'prod-eu');
    assert.equal(pool.calls, 0);
  });

  it('learns the kube context once, with its cluster when the names differ', async () => {
    const pool = poolAnswering(contexts('admin', 'ai4k8s-test'));
    const names = clusterName({ toolboxes: pool, fallback: '127.0.0.1:40147' });
    assert.equal(await names.name(), 'admin (ai4k8s-test)');
    assert.equal(await names.name(), 'admin (ai4k8s-test)');
    assert.equal(pool.calls, 1);
    assert.equal(await clusterName({ toolboxes: poolAnswering(contexts('kind-prod', 'kind-prod')), fallback: 'x' }).name(), 'kind-prod');
  });

  it('says the host while the MCP server cannot answer, and asks again only after retryAfterMs', async () => {
    const pool = poolAnswering(new Error('ECONNREFUSED'), contexts('prod', 'prod'));
    const names = clusterName({ toolboxes: pool, fallback: '127.0.0.1:40147', retryAfterMs: 50 });
    assert.equal(await names.name(), '127.0.0.1:40147');
    assert.equal(await names.name(), '127.0.0.1:40147');
    assert.equal(pool.calls, 1, 'no second lookup within retryAfterMs');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(await names.name(), 'prod');
  });
});
