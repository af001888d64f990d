import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import type { DigestPolicy } from '../../src/policy/digest-policy.ts';
import { runDigestJob, type RunDigestJobDeps } from '../../src/digests/run-digest-job.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const DIGEST: DigestPolicy = { name: 'ops', schedule: '0 8 * * *', slackChannel: 'C0DIGEST01' };
const health = {
  scope: {},
  failingWorkloads: [],
  pendingPods: [],
  notReadyNodes: [],
  nodesChecked: true,
  topRestarts: [],
  counts: { failingWorkloads: 0, pendingPods: 0, notReadyNodes: 0 },
  notes: [],
};

/** Answers like the MCP tools (structuredContent in their contract shapes), after `delayMs`. */
function slowToolbox(delayMs: number): Toolbox {
  const results: Record<string, Record<string, unknown>> = {
    health_summary: health,
    changes_list: { window: { since: 'a', until: 'b' }, items: [], total: 0, unknown: [] },
    cluster_info: { nodes: { notReady: [] } },
  };
  return {
    tools: [],
    call: async (name) => {
      await sleep(delayMs);
      return { text: name, isError: false, structuredContent: results[name] ?? {} };
    },
    close: () => Promise.resolve(),
  };
}

describe('runDigestJob (real Redis)', () => {
  let redis: Redis;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(() => redis.disconnect());

  const setup = () => {
    const posts: string[] = [];
    const channel: ReplyChannel = {
      postRoot: (text) => {
        posts.push(text);
        return Promise.resolve(`1700000000.00000${posts.length}`);
      },
      postInThread: () => Promise.reject(new Error('not used')),
      update: () => Promise.reject(new Error('not used')),
      postApproval: () => Promise.reject(new Error('not used')),
      updateApproval: () => Promise.reject(new Error('not used')),
      format: (markdown) => markdown,
      maxMessageChars: 4000,
    };
    const deps: RunDigestJobDeps = {
      digests: [DIGEST],
      redis,
      prefix: uniqueName('digest-job'),
      targetFor: () => Promise.resolve({ platform: 'slack', teamId: 'T1', channel: 'C0DIGEST01' }),
      replyChannelFor: () => channel,
      connectToolbox: () => Promise.resolve(slowToolbox(300)),
      namespacesFor: () => undefined,
      logger: createLogger({ level: 'silent' }),
    };
    // One scheduled job: the same id whoever runs it.
    const job = { id: 'repeat:digest:ops:1796303913000', data: { digest: 'ops' }, timestamp: 1796303913000 } as unknown as Job;
    return { posts, deps, job };
  };

  it('the same job run twice at once (a stalled job taken by a second worker) posts once; the loser retries and finds it done', async () => {
    const { posts, deps, job } = setup();
    const runs = await Promise.allSettled([runDigestJob(job, deps), runDigestJob(job, deps)]);
    assert.equal(posts.length, 1, 'one post for one scheduled time');
    assert.equal(runs.filter((r) => r.status === 'fulfilled').length, 1);
    const failed = runs.find((r) => r.status === 'rejected');
    assert.match(String(failed?.reason), /another worker is posting this digest/);
    // BullMQ retries the loser: it finds the digest posted.
    await runDigestJob(job, deps);
    assert.equal(posts.length, 1);
    assert.match(posts[0] ?? '', /^📋 \*\*Health digest\*\* · ops · 2026-12-03T\d\d:\d\d:33Z · the cluster/);
  });

  it('a job retried after it posted (crash before finishing) does not post again', async () => {
    const { posts, deps, job } = setup();
    await runDigestJob(job, deps);
    await redis.hdel(redisKeys(deps.prefix).digestRun(job.id ?? ''), 'done');
    await runDigestJob(job, deps);
    assert.equal(posts.length, 1);
  });
});
