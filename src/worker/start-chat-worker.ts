import Anthropic from '@anthropic-ai/sdk';
import { Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { channelBudget } from '../budget/channel-budget.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { approvalSettingsFrom } from '../approval/approval-settings.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { CHAT_QUEUE } from '../queue/chat-queue.ts';
import { createApprovalQueue } from '../queue/approval-queue.ts';
import { scheduleApprovalExpiry } from '../approval/schedule-approval-expiry.ts';
import { answerChatJob } from './answer-chat-job.ts';
import { replyStateStore } from './reply-state.ts';
import type { WorkerServices } from './worker-services.ts';

export interface StartChatWorkerOptions {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  services: WorkerServices;
}

/** The BullMQ worker that answers chat jobs. */
export function startChatWorker({ config, logger, redis, services }: StartChatWorkerOptions): Worker<ChatJob> {
  const anthropic =
    config.ANTHROPIC_API_KEY === undefined
      ? undefined
      : new Anthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, maxRetries: 3, timeout: 120_000 });
  const { prefix, toolboxes } = services;
  const replyState = replyStateStore(redis, prefix);
  const memory = conversationStore({ redis, prefix, ttlSeconds: config.CONVERSATION_TTL_SECONDS, tokenBudget: config.CONVERSATION_TOKEN_BUDGET });
  const budget = channelBudget({ redis, prefix, dailyTokens: config.CHANNEL_DAILY_TOKENS });
  // Read (and validated) once at start: a broken policy file stops the worker here, naming the key.
  const policy = config.AI4K8S_POLICY === undefined ? undefined : loadPolicy(config.AI4K8S_POLICY);
  // The approval cards' expiry timers are delayed jobs on the approval queue.
  const approvalQueue = createApprovalQueue({ connection: redis, prefix });
  const worker = new Worker<ChatJob>(
    CHAT_QUEUE,
    (job) =>
      answerChatJob(job, {
        anthropic,
        model: config.ANTHROPIC_MODEL,
        maxSteps: config.AGENT_MAX_STEPS,
        maxAnswerTokens: config.AGENT_MAX_TOKENS_PER_ANSWER,
        channelBudget: budget,
        connectToolbox: (chatUser) => toolboxes.acquire(chatUser),
        audit: services.audit,
        cluster: services.cluster,
        replyChannelFor: (data) => services.replyChannelFor(data.replyTarget),
        replyState,
        memory,
        approvals: approvalStore(redis, prefix),
        approvalSettings: approvalSettingsFrom(config, policy),
        policy,
        scheduleApprovalExpiry: (token, expiresAt) => scheduleApprovalExpiry(approvalQueue, token, expiresAt),
        logger,
      }),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'job attempt failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('closed', () => {
    approvalQueue.close().catch((error: unknown) => logger.warn({ err: error }, 'could not close the approval queue'));
  });
  return worker;
}
