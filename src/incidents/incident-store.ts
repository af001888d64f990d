import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { incidentSchema, type Incident } from './incident.ts';

export interface IncidentStoreOptions {
  redis: RedisClient;
  prefix: string;
  /** INCIDENTS_TTL_SECONDS: an incident is forgotten this long after it was last seen. */
  ttlSeconds: number;
}

/** Incidents searched per lookup, newest first: a bounded scan however long the retention. */
const SCANNED = 500;
/** Writers of one incident are few (an alert update, an answer, a fix); a short random pause spreads out a clash. */
const WRITE_ATTEMPTS = 50;

/** Compare-and-set on the incident's version, then the index; both expire with the retention. */
const WRITE_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'json', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[7])
return 1
`;

/**
 * Incident memory in Redis: `{<prefix>}:incident:<id>` (a hash: version and JSON) and the index
 * `{<prefix>}:incidents` (ids by last-seen time). Changes are read-modify-write under a version check, so an
 * investigation's findings and a resolve arriving together both land.
 */
export function incidentStore({ redis, prefix, ttlSeconds }: IncidentStoreOptions) {
  const { incident: key, incidents: index } = redisKeys(prefix);
  const parse = (json: string | null | undefined): Incident | undefined => {
    if (json === null || json === undefined) return undefined;
    try {
      const parsed = incidentSchema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async read(id: string): Promise<Incident | undefined> {
      return parse(await redis.hget(key(id), 'json'));
    },
    /**
     * Applies `change` to the incident (undefined when new) and stores the result; `change` returning undefined
     * stores nothing. Returns what is stored.
     */
    async update(id: string, change: (current: Incident | undefined) => Incident | undefined): Promise<Incident | undefined> {
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
        const [version, json] = await redis.hmget(key(id), 'version', 'json');
        const current = parse(json);
        const next = change(current);
        if (next === undefined) return current;
        const lastSeen = Date.parse(next.lastSeenAt);
        const written = await redis.eval(
          WRITE_SCRIPT,
          2,
          key(id),
          index,
          version ?? '0',
          String(Number(version ?? '0') + 1),
          JSON.stringify(next),
          String(ttlSeconds),
          String(Number.isNaN(lastSeen) ? Date.now() : lastSeen),
          id,
          String(Date.now() - ttlSeconds * 1000),
        );
        if (written === 1) return next;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      }
      throw new Error(`incident ${id} kept changing; could not write it`);
    },
    /** The most recently seen incidents (up to 500), newest first; expired ones are skipped. */
    async recent(): Promise<Incident[]> {
      const ids = await redis.zrevrange(index, 0, SCANNED - 1);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(key(id), 'json');
      const results = (await pipeline.exec()) ?? [];
      return results.flatMap(([error, json]) => {
        if (error !== null) return [];
        const incident = parse(typeof json === 'string' ? json : undefined);
        return incident === undefined ? [] : [incident];
      });
    },
  };
}

export type IncidentStore = ReturnType<typeof incidentStore>;
