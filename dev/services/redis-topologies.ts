import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { reapOnParentExit } from '../cluster/reap-on-parent-exit.ts';
import { freePort } from '../support/free-port.ts';
import { refuseInUnitLane } from './unit-lane-guard.ts';

/**
 * Real Redis topologies for tests, from Debian's redis-server: a 3-master Cluster, a master + replica + 3 sentinels,
 * and a TLS server with an ACL user. Each runs in a temp dir, dies with the test process, and gives the settings
 * (environment variables) the roles connect with.
 */
export interface RedisTopologyForTest {
  /** The REDIS_* settings for every role. */
  env: Record<string, string>;
  /** A client for the test's own checks, connected as the roles are. */
  client(): Redis | Cluster;
  stop(): Promise<void>;
}

interface RedisProcess {
  port: number;
  child: ChildProcess;
  dir: string;
}

async function spawnRedis({
  root,
  name,
  args,
  port,
  probe = {},
}: {
  root: string;
  name: string;
  args: string[];
  port: number;
  probe?: RedisOptions;
}): Promise<RedisProcess> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'redis.log');
  const fd = openSync(log, 'a');
  const child = spawn('redis-server', [...args, '--dir', dir], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...probe });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return { port, child, dir };
    } catch {
      client.disconnect();
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`redis ${name} did not start on ${port}:\n${readFileSync(log, 'utf8').split('\n').slice(-8).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The test's own client: connection errors during a failover are expected, not unhandled. */
function quiet<T extends Redis | Cluster>(client: T): T {
  client.on('error', () => undefined);
  return client;
}

const base = (port: number) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

function owned(root: string, processes: RedisProcess[]) {
  const unreap = reapOnParentExit({ pids: processes.map((p) => p.child.pid ?? -1), dirs: [root] });
  return async () => {
    await Promise.all(
      processes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    unreap();
    rmSync(root, { recursive: true, force: true });
  };
}

/** Three masters, slots split by `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisTopologyForTest> {
  refuseInUnitLane('a Redis Cluster');
  const root = mkdtempSync(join(tmpdir(), 'ai4k8s-rcluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes = await Promise.all(
    ports.map(async (port, index) =>
      spawnRedis({
        root,
        name: `node-${index}`,
        port,
        args: [
          ...base(port),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(root, `nodes-${index}.conf`),
          '--cluster-port',
          String(await freePort()),
          '--cluster-node-timeout',
          '2000',
        ],
      }),
    ),
  );
  const stop = owned(root, nodes);
  try {
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: 'pipe',
      timeout: 30_000,
    });
    // Every node must agree the cluster is ok before the roles connect.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = ports.map((port) => execFileSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }));
      if (states.every((info) => info.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error(`cluster not ok:\n${states.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startup = ports.map((port) => ({ host: '127.0.0.1', port }));
  return {
    env: { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') },
    client: () => quiet(new Cluster(startup, { redisOptions: { maxRetriesPerRequest: null } })),
    stop,
  };
}

export interface SentinelTopology extends RedisTopologyForTest {
  /** The master's port now (it changes at a failover). */
  masterPort(): Promise<number>;
  /** SIGKILLs the current master (no shutdown, no last sync): the sentinels must fail over to the replica. */
  killMaster(): Promise<number>;
  /** Starts a killed server again on its port, as Kubernetes restarts a pod: the sentinels make it a replica. */
  restart(port: number): Promise<void>;
}

/** A master, one replica and three sentinels (quorum 2) watching `mymaster`, failing over after 1 s of silence. */
export async function startRedisSentinel(): Promise<SentinelTopology> {
  refuseInUnitLane('Redis Sentinel');
  const root = mkdtempSync(join(tmpdir(), 'ai4k8s-rsentinel-'));
  const [masterPort, replicaPort] = [await freePort(), await freePort()];
  const processes: RedisProcess[] = [];
  try {
    processes.push(await spawnRedis({ root, name: 'master', port: masterPort, args: base(masterPort) }));
    processes.push(
      await spawnRedis({
        root,
        name: 'replica',
        port: replicaPort,
        args: [...base(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)],
      }),
    );
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const [index, port] of sentinelPorts.entries()) {
      const conf = join(root, `sentinel-${index}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
          'sentinel down-after-milliseconds mymaster 1000',
          'sentinel failover-timeout mymaster 5000',
          'sentinel parallel-syncs mymaster 1',
          '',
        ].join('\n'),
      );
      processes.push(await spawnRedis({ root, name: `sentinel-${index}`, port, args: [conf, '--sentinel'] }));
    }
    const stop = owned(root, processes);
    const sentinels = sentinelPorts.map((port) => ({ host: '127.0.0.1', port }));
    const askSentinels = (): Promise<number> => {
      for (const { port } of sentinels) {
        try {
          const [, masterAt] = execFileSync('redis-cli', ['-p', String(port), 'sentinel', 'get-master-addr-by-name', 'mymaster'], {
            encoding: 'utf8',
          })
            .trim()
            .split('\n');
          if (masterAt !== undefined) return Promise.resolve(Number(masterAt));
        } catch {
          // try the next sentinel
        }
      }
      return Promise.reject(new Error('no sentinel knows mymaster'));
    };
    // Wait until the replica is in sync and every sentinel has seen the others (a failover needs the quorum).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const info = execFileSync('redis-cli', ['-p', String(masterPort), 'info', 'replication'], { encoding: 'utf8' });
      const known = sentinelPorts.map((port) =>
        execFileSync('redis-cli', ['-p', String(port), 'sentinel', 'master', 'mymaster'], { encoding: 'utf8' }),
      );
      const sentinelsSeen = known.every((text) => /num-other-sentinels\n2\n/.test(text));
      if (/connected_slaves:1/.test(info) && /state=online/.test(info) && sentinelsSeen) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`sentinel topology not ready:\n${info}\n${known.join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const byPort = new Map(processes.map((p) => [p.port, p]));
    return {
      env: { REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','), REDIS_SENTINEL_MASTER: 'mymaster' },
      client: () => quiet(new Redis({ sentinels, name: 'mymaster', maxRetriesPerRequest: null })),
      masterPort: askSentinels,
      killMaster: async () => {
        const port = await askSentinels();
        const master = byPort.get(port);
        if (master === undefined) throw new Error(`no process on master port ${port}`);
        const exited = new Promise((resolve) => master.child.once('exit', resolve));
        master.child.kill('SIGKILL');
        await exited;
        return port;
      },
      restart: async (port) => {
        const again = await spawnRedis({ root, name: `restarted-${port}`, port, args: base(port) });
        processes.push(again);
        byPort.set(port, again);
        reapOnParentExit({ pids: [again.child.pid ?? -1], dirs: [] });
      },
      stop,
    };
  } catch (error) {
    for (const { child } of processes) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Certificates made with openssl: a CA and a server certificate for 127.0.0.1 / localhost. */
export function makeTestCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=ai4k8s test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

export const ACL_USER = 'ai4k8s';
export const ACL_PASSWORD = 'acl-password-for-tests-0123456789';

/**
 * A redis-server that speaks only TLS (no plaintext port) and lets only the ACL user `ai4k8s` in (the default user
 * is off). The user may run every command on keys of one hash tag: the roles must keep to their prefix.
 */
export async function startTlsAclRedis({ prefix }: { prefix: string }): Promise<RedisTopologyForTest & { caFile: string; port: number }> {
  refuseInUnitLane('a TLS Redis');
  const root = mkdtempSync(join(tmpdir(), 'ai4k8s-rtls-'));
  const certs = makeTestCertificates(root);
  const port = await freePort();
  const acl = join(root, 'users.acl');
  writeFileSync(acl, [`user default off`, `user ${ACL_USER} on >${ACL_PASSWORD} ~{${prefix}}:* &* +@all`, ''].join('\n'));
  const tls: RedisOptions['tls'] = { ca: readFileSync(certs.ca) };
  const server = await spawnRedis({
    root,
    name: 'tls',
    port,
    args: [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--tls-cert-file',
      certs.cert,
      '--tls-key-file',
      certs.key,
      '--tls-ca-cert-file',
      certs.ca,
      '--tls-auth-clients',
      'no',
      '--aclfile',
      acl,
    ],
    probe: { tls, username: ACL_USER, password: ACL_PASSWORD },
  });
  const stop = owned(root, [server]);
  return {
    port,
    caFile: certs.ca,
    env: { REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_USERNAME: ACL_USER, REDIS_PASSWORD: ACL_PASSWORD, REDIS_TLS_CA_FILE: certs.ca },
    client: () =>
      quiet(new Redis({ host: '127.0.0.1', port, tls, username: ACL_USER, password: ACL_PASSWORD, maxRetriesPerRequest: null })),
    stop,
  };
}
