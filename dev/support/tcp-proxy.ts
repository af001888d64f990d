import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Like a server going down: open connections are cut and new ones refused. */
  close(): Promise<void>;
  /** Listens again on the same port: the server is back. */
  open(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A loopback TCP proxy to `target`, to take a server away and bring it back on the same address without
 * restarting it (TLS passes through untouched, so an API server's certificate for 127.0.0.1 still fits).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    const next = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const close = async () => {
    const running = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (running !== undefined) await new Promise<void>((resolve) => running.close(() => resolve()));
  };
  await listen();
  return {
    port,
    close,
    open: async () => {
      if (server === undefined) await listen();
    },
    stop: close,
  };
}
