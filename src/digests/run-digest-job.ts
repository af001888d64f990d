import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { z } from 'zod';
import type { Toolbox } from '../contract/toolbox.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ReplyTarget } from '../queue/chat-job.ts';
import type { DigestPolicy } from '../policy/digest-policy.ts';
import { digestMarkdown } from './digest-text.ts';
import { gatherDigest } from './gather-digest.ts';

export const digestJobSchema = z.object({ digest: z.string().min(1) });
export type DigestJob = z.infer<typeof digestJobSchema>;

export interface RunDigestJobDeps {
  digests: readonly DigestPolicy[];
  redis: RedisClient;
  prefix: string;
  /** Where a digest posts (the Slack team id asked of auth.test). */
  targetFor: (digest: DigestPolicy) => Promise<ReplyTarget>;
  replyChannelFor: (target: ReplyTarget) => ReplyChannel;
  /** A toolbox acting as the digest's identity, limited by the channel's policy and audited. */
  connectToolbox: (target: ReplyTarget, jobId: string) => Promise<Toolbox>;
  /** The namespaces the digest covers: its own list, else the channel's (undefined: the whole cluster). */
  namespacesFor: (digest: DigestPolicy, target: ReplyTarget) => string[] | undefined;
  /** A model summary of the deterministic digest; absent without ANTHROPIC_API_KEY. */
  summarize?: ((digest: string, target: ReplyTarget) => Promise<string | undefined>) | undefined;
  logger: Logger;
}

/** A post is remembered this long, past any retry of its job. */
const RUN_TTL_SECONDS = 7 * 24 * 3600;
/**
 * How long one run may hold the right to post a digest. A run whose worker died frees it after this; the job's
 * retries (5 attempts, 10 s doubling: 150 s) outlast it, so the digest is still posted.
 */
export const POSTING_CLAIM_MS = 90_000;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** The first digest of a schedule looks back this far for changes. */
const FIRST_LOOKBACK_MS = 24 * 3_600_000;

/**
 * One scheduled digest. BullMQ's job scheduler makes one job per scheduled time however many workers run, and
 * one worker takes it. Should a stalled job be taken by a second worker while the first still runs, a posting
 * claim lets only one of them post (the other fails and is retried); the posted message is recorded right after
 * posting, so a retry never posts again. Changes are listed since the last digest of the same schedule.
 */
export async function runDigestJob(job: Job, deps: RunDigestJobDeps): Promise<void> {
  const data = digestJobSchema.parse(job.data);
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, digest: data.digest });
  const digest = deps.digests.find((entry) => entry.name === data.digest);
  if (digest === undefined) {
    log.warn('a digest job for a schedule this worker does not know (policy changed?); skipped');
    return;
  }
  const keys = redisKeys(deps.prefix);
  const runKey = keys.digestRun(jobId);
  const lastKey = keys.digestLast(digest.name);
  const run = await deps.redis.hgetall(runKey);
  if (run.done === '1') return;
  const scheduledAt = scheduledTime(job);
  const until = seconds(Date.now());
  const since = run.since ?? (await deps.redis.get(lastKey)) ?? seconds(Date.parse(until) - FIRST_LOOKBACK_MS);
  await deps.redis.multi().hset(runKey, 'since', since).expire(runKey, RUN_TTL_SECONDS).exec();
  const target = await deps.targetFor(digest);
  let messageId = run.messageId;
  if (messageId === undefined) {
    // One run at a time may post: a stalled job taken by a second worker while the first still runs would post twice.
    const claimKey = keys.digestPosting(jobId);
    const owner = randomUUID();
    if ((await deps.redis.set(claimKey, owner, 'PX', POSTING_CLAIM_MS, 'NX')) !== 'OK') {
      throw new Error(`another worker is posting this digest (job ${jobId}); retrying later`);
    }
    try {
      messageId = await postDigest({ deps, digest, target, jobId, since, until, scheduledAt, log });
      await deps.redis.hset(runKey, 'messageId', messageId);
    } finally {
      await deps.redis.eval(RELEASE_SCRIPT, 1, claimKey, owner);
    }
  }
  await deps.redis.multi().set(lastKey, until).hset(runKey, 'done', '1').exec();
  log.info({ messageId, scheduledAt }, 'digest posted');
}

interface PostDigestOptions {
  deps: RunDigestJobDeps;
  digest: DigestPolicy;
  target: ReplyTarget;
  jobId: string;
  since: string;
  until: string;
  scheduledAt: string;
  log: Logger;
}

/** Gathers, summarises when a model is configured, and posts the digest; returns the posted message's id. */
async function postDigest({ deps, digest, target, jobId, since, until, scheduledAt, log }: PostDigestOptions): Promise<string> {
  // A run that posted recorded it before releasing the claim: look again now that this run holds it.
  const posted = await deps.redis.hget(redisKeys(deps.prefix).digestRun(jobId), 'messageId');
  if (posted !== null) return posted;
  const channel = deps.replyChannelFor(target);
  const toolbox = await deps.connectToolbox(target, jobId);
  let text: string;
  try {
    text = digestMarkdown(await gatherDigest({ toolbox, namespaces: deps.namespacesFor(digest, target), since, until }), {
      name: digest.name,
      scheduledAt,
    });
  } finally {
    await toolbox.close().catch(() => undefined);
  }
  const summary = await deps.summarize?.(text, target).catch((error: unknown) => {
    log.warn({ err: error }, 'the model could not summarise the digest; posting it without a summary');
    return undefined;
  });
  return channel.postRoot(channel.format(summary === undefined ? text : `**Summary** _(AI)_\n${summary}\n\n${text}`));
}

/** A scheduler's job is `repeat:<scheduler>:<epoch ms>`: the time it was due. */
function scheduledTime(job: Job): string {
  const due = /:(\d{10,})$/.exec(job.id ?? '')?.[1];
  return seconds(due === undefined ? job.timestamp : Number(due));
}

const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
