import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisSettings } from '../config/redis-settings.ts';
import type { Logger } from '../log/create-logger.ts';
import { logErrors } from './log-errors.ts';

/** A connection to Redis in any topology: ioredis' own client for one server or a Sentinel master, or its Cluster client. */
export type RedisClient = Redis | Cluster;

export interface CreateRedisOptions {
  settings: RedisSettings;
  /** The role, shown as the connection name in CLIENT LIST. */
  name: string;
  logger: Logger;
}

/**
 * The one place a connection to Redis is made, for every role and every topology. It is what BullMQ needs:
 * `maxRetriesPerRequest: null`, so blocking commands wait out a restart or a failover instead of failing the worker
 * (BullMQ duplicates it for its blocking connections, a Cluster included). Its errors are logged as JSON.
 */
export function createRedis({ settings, name, logger }: CreateRedisOptions): RedisClient {
  const redis = connect(settings, `ai4k8s-${name}`);
  logErrors(redis, logger, `redis connection (${name})`);
  return redis;
}

/**
 * A connection that never holds a command back, in any topology: while Redis is away (or a Sentinel or Cluster
 * failover is under way) a command fails at once instead of waiting in ioredis's offline queue (and running when
 * Redis returns); a command in flight when the connection drops fails instead of being sent again; an answer slower
 * than `commandTimeoutMs` fails. The gateway enqueues through it, so an ack reflects what is in Redis (decision 014).
 */
export function createFailFastRedis({
  settings,
  name,
  logger,
  commandTimeoutMs,
}: CreateRedisOptions & { commandTimeoutMs: number }): RedisClient {
  const connectionName = `ai4k8s-${name}`;
  const failFast: RedisOptions = {
    ...redisOptionsFor(settings, connectionName),
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    // A former master answering READONLY: reconnect (to the new master) but never resend; the refusal reaches the caller.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  const { topology } = settings;
  const redis =
    topology.kind === 'cluster'
      ? new Cluster(topology.nodes, { ...clusterOptionsFor(settings, connectionName), redisOptions: failFast, enableOfflineQueue: false })
      : topology.kind === 'sentinel'
        ? new Redis(failFast)
        : new Redis(topology.url, failFast);
  logErrors(redis, logger, `redis connection (${name})`);
  return redis;
}

/** The ioredis options for the settings (exported for the unit test of each topology's options). */
export function redisOptionsFor(settings: RedisSettings, connectionName: string): RedisOptions {
  const { topology, username, password, tls } = settings;
  const common: RedisOptions = {
    maxRetriesPerRequest: null,
    connectionName,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(tls === undefined ? {} : { tls }),
    // A failed-over master that comes back as a replica answers writes with READONLY: reconnect (to the new master)
    // and resend the command instead of failing it.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
  if (topology.kind !== 'sentinel') return common;
  return {
    ...common,
    sentinels: topology.sentinels,
    name: topology.masterName,
    ...(topology.sentinelUsername === undefined ? {} : { sentinelUsername: topology.sentinelUsername }),
    ...(topology.sentinelPassword === undefined ? {} : { sentinelPassword: topology.sentinelPassword }),
    ...(tls === undefined ? {} : { sentinelTLS: tls, enableTLSForSentinelMode: true }),
  };
}

/** Cluster-wide options: node connections get the same credentials, TLS and BullMQ setting. */
export function clusterOptionsFor(settings: RedisSettings, connectionName: string): ClusterOptions {
  return {
    redisOptions: redisOptionsFor(settings, connectionName),
    // Retry a command through a slot move or failover rather than failing it (the cluster re-learns its slots).
    maxRedirections: 16,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    // Addresses come from CLUSTER SLOTS; with TLS the certificate is checked against them as given.
    dnsLookup: (address, callback) => callback(null, address),
  };
}

function connect(settings: RedisSettings, connectionName: string): RedisClient {
  const { topology } = settings;
  if (topology.kind === 'cluster') return new Cluster(topology.nodes, clusterOptionsFor(settings, connectionName));
  if (topology.kind === 'sentinel') return new Redis(redisOptionsFor(settings, connectionName));
  return new Redis(topology.url, redisOptionsFor(settings, connectionName));
}

/** True when Redis answers PING within the time limit. */
export async function redisAnswers(redis: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((r) => r === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
