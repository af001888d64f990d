import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';

/** A TCP relay in front of the API server that counts the connections clients open. */
async function countingRelay(target: URL) {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('KubeClient connections', () => {
  it('reuses one TLS connection across sequential API calls instead of a handshake per call', async () => {
    const cluster = await testCluster();
    const relay = await countingRelay(new URL(cluster.server));
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(cluster.kubeconfigPath);
      const relayed = new KubeConfig();
      relayed.loadFromOptions({
        ...kubeConfig,
        clusters: kubeConfig.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${relay.port}` })),
        contexts: kubeConfig.contexts,
        users: kubeConfig.users,
        currentContext: 'admin',
      });
      const kube = createKubeClient({ kubeConfig: relayed });
      for (let i = 0; i < 20; i += 1) await kube.core.listNamespacedPod({ namespace: 'shop', limit: 5 });
      assert.ok(relay.connections() <= 2, `20 calls opened ${relay.connections()} connections`);
    } finally {
      await relay.stop();
    }
  });
});
