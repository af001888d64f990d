import { readFileSync } from 'node:fs';
import type { Settings } from './schema.ts';
import { ConfigError } from './errors.ts';

export interface RedisAddress {
  host: string;
  port: number;
}

/** Where Redis is: one server (REDIS_URL), a master found through sentinels, or a cluster. */
export type RedisTopology =
  | { kind: 'standalone'; url: string }
  | { kind: 'sentinel'; sentinels: RedisAddress[]; masterName: string; sentinelUsername?: string; sentinelPassword?: string }
  | { kind: 'cluster'; nodes: RedisAddress[] };

/** PEM material for TLS; an empty object means TLS with the system's CAs. */
export interface RedisTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Everything the Redis factory (src/queue/create-redis.ts) needs, read and checked once at start. */
export interface RedisSettings {
  topology: RedisTopology;
  /** ACL user and password on the data nodes (standalone: also possible inside REDIS_URL). */
  username?: string;
  password?: string;
  tls?: RedisTls;
  /** Replicas that must hold an enqueued job before the platform is acknowledged (Redis WAIT). */
  minReplicasAck: number;
}

/** The Redis settings that contradict each other, each naming the variables; [] when they fit together. */
export function redisProblems(config: Settings, given: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const sentinel = config.REDIS_SENTINELS !== undefined;
  const cluster = config.REDIS_CLUSTER_NODES !== undefined;
  if (sentinel && cluster) problems.push('REDIS_SENTINELS: cannot be combined with REDIS_CLUSTER_NODES (choose one topology)');
  if ((sentinel || cluster) && given.has('REDIS_URL')) {
    problems.push(
      `REDIS_URL: cannot be combined with ${sentinel ? 'REDIS_SENTINELS' : 'REDIS_CLUSTER_NODES'} (give credentials in REDIS_USERNAME / REDIS_PASSWORD, TLS with REDIS_TLS)`,
    );
  }
  if (sentinel && config.REDIS_SENTINEL_MASTER === undefined)
    problems.push('REDIS_SENTINEL_MASTER: is required with REDIS_SENTINELS (the master name the sentinels monitor)');
  if (!sentinel && config.REDIS_SENTINEL_MASTER !== undefined) problems.push('REDIS_SENTINELS: is required with REDIS_SENTINEL_MASTER');
  for (const key of ['REDIS_SENTINEL_USERNAME', 'REDIS_SENTINEL_PASSWORD'] as const) {
    if (!sentinel && config[key] !== undefined) problems.push(`${key}: is only used with REDIS_SENTINELS`);
  }
  if (cluster && config.REDIS_MIN_REPLICAS_ACK > 0)
    problems.push("REDIS_MIN_REPLICAS_ACK: is not supported with REDIS_CLUSTER_NODES (use the cluster's own min-replicas-to-write)");
  if (config.REDIS_USERNAME !== undefined && config.REDIS_PASSWORD === undefined)
    problems.push('REDIS_PASSWORD: is required with REDIS_USERNAME');
  const url = sentinel || cluster ? undefined : new URL(config.REDIS_URL);
  if (url !== undefined) {
    if ((url.username !== '' || url.password !== '') && (config.REDIS_USERNAME !== undefined || config.REDIS_PASSWORD !== undefined)) {
      problems.push('REDIS_PASSWORD: REDIS_URL already carries credentials; give them in one place');
    }
    if (config.REDIS_TLS && url.protocol !== 'rediss:')
      problems.push('REDIS_TLS: with REDIS_URL, TLS is chosen by the scheme; use a rediss:// URL');
  }
  const tls = url === undefined ? config.REDIS_TLS : url.protocol === 'rediss:';
  for (const key of ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE'] as const) {
    const file = config[key];
    if (file === undefined) continue;
    if (!tls) problems.push(`${key}: is only used with TLS (a rediss:// REDIS_URL, or REDIS_TLS=true)`);
    else if (readable(file) !== undefined) problems.push(`${key}: cannot read ${file} (${readable(file)})`);
  }
  if ((config.REDIS_TLS_CERT_FILE === undefined) !== (config.REDIS_TLS_KEY_FILE === undefined)) {
    problems.push('REDIS_TLS_KEY_FILE: REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together (a client certificate and its key)');
  }
  return problems;
}

/** The checked settings as the factory needs them, with the PEM files read. Call after loadConfig. */
export function redisSettingsFrom(config: Settings): RedisSettings {
  const problems = redisProblems(config, new Set());
  if (problems.length > 0) throw new ConfigError(problems);
  const topology: RedisTopology =
    config.REDIS_SENTINELS !== undefined
      ? {
          kind: 'sentinel',
          sentinels: config.REDIS_SENTINELS.map(parseAddress),
          masterName: config.REDIS_SENTINEL_MASTER ?? '',
          ...(config.REDIS_SENTINEL_USERNAME === undefined ? {} : { sentinelUsername: config.REDIS_SENTINEL_USERNAME }),
          ...(config.REDIS_SENTINEL_PASSWORD === undefined ? {} : { sentinelPassword: config.REDIS_SENTINEL_PASSWORD }),
        }
      : config.REDIS_CLUSTER_NODES !== undefined
        ? { kind: 'cluster', nodes: config.REDIS_CLUSTER_NODES.map(parseAddress) }
        : { kind: 'standalone', url: config.REDIS_URL };
  const tlsOn = topology.kind === 'standalone' ? topology.url.startsWith('rediss:') : config.REDIS_TLS;
  const pem = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  const tls: RedisTls | undefined = tlsOn
    ? Object.fromEntries(
        Object.entries({
          ca: pem(config.REDIS_TLS_CA_FILE),
          cert: pem(config.REDIS_TLS_CERT_FILE),
          key: pem(config.REDIS_TLS_KEY_FILE),
        }).filter(([, v]) => v !== undefined),
      )
    : undefined;
  return {
    topology,
    ...(config.REDIS_USERNAME === undefined ? {} : { username: config.REDIS_USERNAME }),
    ...(config.REDIS_PASSWORD === undefined ? {} : { password: config.REDIS_PASSWORD }),
    ...(tls === undefined ? {} : { tls }),
    minReplicasAck: config.REDIS_MIN_REPLICAS_ACK,
  };
}

function parseAddress(text: string): RedisAddress {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(text.slice(at + 1)) };
}

function readable(file: string): string | undefined {
  try {
    readFileSync(file);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}
