import { connect, createServer, type Socket } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Connections handed to each backend, by its port. */
  connections: Map<number, number>;
  stop(): Promise<void>;
}

/**
 * One address in front of several backends, as a Kubernetes Service is: each new TCP connection goes to the next
 * backend in turn; a backend that refuses is skipped (its endpoint would be removed), so a dead replica costs the
 * connections open to it, not the next ones. `sticky`: every connection goes to the same backend until it refuses
 * (session affinity), so a test knows which replica a client's session is on.
 */
export async function startRoundRobinProxy(
  backendPorts: readonly number[],
  { sticky = false }: { sticky?: boolean } = {},
): Promise<RoundRobinProxy> {
  let next = 0;
  const connections = new Map<number, number>();
  const sockets = new Set<Socket>();
  const pipeTo = (client: Socket, attempt: number): void => {
    if (attempt >= backendPorts.length) {
      client.destroy();
      return;
    }
    const port = backendPorts[next % backendPorts.length] ?? 0;
    if (!sticky) next += 1;
    const backend = connect(port, '127.0.0.1');
    sockets.add(backend);
    let connected = false;
    backend.once('connect', () => {
      connected = true;
      connections.set(port, (connections.get(port) ?? 0) + 1);
      backend.once('close', () => client.destroy());
      client.once('close', () => backend.destroy());
      client.pipe(backend).pipe(client);
      client.resume();
    });
    backend.on('error', () => {
      if (connected) {
        client.destroy();
        return;
      }
      if (sticky) next += 1;
      pipeTo(client, attempt + 1);
    });
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    pipeTo(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
