import Anthropic from '@anthropic-ai/sdk';
import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { auditedToolbox } from '../audit/audited-toolbox.ts';
import { channelBudget } from '../budget/channel-budget.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { admits, channelPolicyFor } from '../policy/channel-policy.ts';
import { channelPolicyToolbox } from '../policy/channel-policy-toolbox.ts';
import { CHAT_USER } from '../policy/policy-schema.ts';
import type { ReplyTarget } from '../queue/chat-job.ts';
import type { WorkerServices } from '../worker/worker-services.ts';
import type { DigestPolicy } from '../policy/digest-policy.ts';
import { runDigestJob, type DigestJob } from './run-digest-job.ts';
import { summarizeDigest } from './summarize-digest.ts';

export const DIGEST_QUEUE = 'digest';
/** The chat user a digest's tool calls name: map `<platform>:<team>:digest` in the identity policy. */
export const DIGEST_USER = 'digest';
const SCHEDULER_PREFIX = 'digest:';

export interface DigestWorker {
  isRunning(): boolean;
  close(): Promise<void>;
}

/**
 * Scheduled health digests (policy `digests:`). Every worker upserts the same BullMQ job schedulers (one per
 * digest, by name) and removes those no longer configured; BullMQ then makes one job per scheduled time, taken by
 * one worker, so three replicas post each digest once.
 */
export async function startDigestWorker({
  config,
  logger,
  redis,
  services,
}: {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  services: WorkerServices;
}): Promise<DigestWorker> {
  const { policy } = config;
  const digests = policy?.digests ?? [];
  const log = logger.child({ component: 'digests' });
  const queue = new Queue<DigestJob>(DIGEST_QUEUE, { connection: redis, prefix: redisKeys(services.prefix).queuePrefix });
  queue.on('error', (error) => log.error({ err: error }, 'digest queue error'));
  for (const digest of digests) {
    await queue.upsertJobScheduler(
      `${SCHEDULER_PREFIX}${digest.name}`,
      { pattern: digest.schedule, ...(digest.timezone === undefined ? {} : { tz: digest.timezone }) },
      {
        name: 'digest',
        data: { digest: digest.name },
        // Retries outlast a dead run's posting claim (POSTING_CLAIM_MS); finished jobs are kept a week (their run records the post).
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 10_000 },
          removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
        },
      },
    );
  }
  for (const scheduler of await queue.getJobSchedulers()) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !digests.some((digest) => `${SCHEDULER_PREFIX}${digest.name}` === id))
      await queue.removeJobScheduler(id);
  }
  if (digests.length === 0) {
    await queue.close();
    return { isRunning: () => true, close: () => Promise.resolve() };
  }
  const anthropic =
    config.ANTHROPIC_API_KEY === undefined
      ? undefined
      : new Anthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, maxRetries: 3, timeout: 120_000 });
  const budget = channelBudget({ redis, prefix: services.prefix, dailyTokens: config.CHANNEL_DAILY_TOKENS });
  const worker = new Worker<DigestJob>(
    DIGEST_QUEUE,
    (job) =>
      runDigestJob(job, {
        digests,
        redis,
        prefix: services.prefix,
        targetFor: async (digest: DigestPolicy): Promise<ReplyTarget> =>
          digest.teamsConversation !== undefined
            ? { platform: 'teams', ...digest.teamsConversation, conversationType: digest.teamsConversation.conversationType ?? 'channel' }
            : { platform: 'slack', teamId: (await services.slackWorkspace()).teamId, channel: digest.slackChannel ?? '' },
        replyChannelFor: services.replyChannelFor,
        connectToolbox: async (target, jobId) => {
          const chatUser = `${target.platform}:${target.teamId}:${DIGEST_USER}`;
          const toolbox = await services.toolboxes.acquire(CHAT_USER.test(chatUser) ? chatUser : undefined);
          return auditedToolbox({
            toolbox: channelPolicyToolbox({ toolbox, policy: channelPolicyFor(policy, target) }),
            audit: services.audit,
            context: {
              platform: target.platform,
              channel: target.channel,
              user: DIGEST_USER,
              jobId,
              cluster: await services.cluster.name(),
            },
          });
        },
        namespacesFor: (digest, target) => {
          if (digest.namespaces !== undefined) return digest.namespaces;
          const allowed = channelPolicyFor(policy, target).namespaces;
          return admits(allowed, '*') ? undefined : [...allowed];
        },
        summarize:
          anthropic === undefined
            ? undefined
            : (digest, target) =>
                summarizeDigest({
                  anthropic,
                  model: config.ANTHROPIC_MODEL,
                  digest,
                  channelBudget: budget,
                  budgetKey: `${target.platform}:${target.channel}`,
                }),
        logger: log,
      }),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => log.warn({ jobId: job?.id, err: error }, 'digest job attempt failed'));
  worker.on('error', (error) => log.error({ err: error }, 'digest worker error'));
  return {
    isRunning: () => worker.isRunning(),
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
