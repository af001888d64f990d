import { randomUUID } from 'node:crypto';
import { startRedisServer } from './redis-server.ts';

/**
 * Shared services for test files. `test/run-tests.ts` starts them once and passes their addresses in
 * AI4K8S_TEST_* variables; a test file run alone starts its own and stops it at exit.
 */
export async function testRedisUrl(): Promise<string> {
  const shared = process.env.AI4K8S_TEST_REDIS_URL;
  if (shared !== undefined && shared !== '') return shared;
  ownRedis ??= startRedisServer().then((redis) => {
    redis.detach();
    return redis;
  });
  return (await ownRedis).url;
}
let ownRedis: ReturnType<typeof startRedisServer> | undefined;

/** A unique key prefix / queue name per test, so tests never see each other's data. */
export function uniqueName(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}
