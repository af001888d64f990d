import Anthropic from '@anthropic-ai/sdk';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { mcpToolboxPool } from '../agent/mcp-toolbox-pool.ts';
import { auditLog } from '../audit/audit-log.ts';
import { channelBudget } from '../budget/channel-budget.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { createSlackClient } from '../chat/slack/create-slack-client.ts';
import { slackReplyChannel } from '../chat/slack/slack-reply-channel.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { CHAT_QUEUE } from '../queue/chat-queue.ts';
import { answerChatJob } from './answer-chat-job.ts';
import { replyStateStore } from './reply-state.ts';

export interface StartChatWorkerOptions {
  config: Config;
  logger: Logger;
  redis: Redis;
}

/** The BullMQ worker that answers chat jobs; a stalled job (its worker died) is retried by another worker. */
export function startChatWorker({ config, logger, redis }: StartChatWorkerOptions): Worker<ChatJob> {
  const { MCP_URL: mcpUrl, MCP_TOKEN: mcpToken } = config;
  if (mcpUrl === undefined || mcpToken === undefined) throw new Error('MCP_URL and MCP_TOKEN are required by the worker'); // loadConfig checks first
  const anthropic =
    config.ANTHROPIC_API_KEY === undefined
      ? undefined
      : new Anthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, maxRetries: 3, timeout: 120_000 });
  const slack = config.SLACK_BOT_TOKEN === undefined ? undefined : createSlackClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger });
  const prefix = config.QUEUE_PREFIX;
  const replyState = replyStateStore(redis, prefix);
  const memory = conversationStore({ redis, prefix, ttlSeconds: config.CONVERSATION_TTL_SECONDS, tokenBudget: config.CONVERSATION_TOKEN_BUDGET });
  const toolboxes = mcpToolboxPool({ url: mcpUrl, token: mcpToken });
  const audit = auditLog({ redis, prefix, maxEvents: config.AUDIT_MAX_EVENTS, logger });
  const cluster = new URL(mcpUrl).host || 'default';
  const budget = channelBudget({ redis, prefix, dailyTokens: config.CHANNEL_DAILY_TOKENS });
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
        audit,
        cluster,
        replyChannelFor: (data) => {
          if (slack === undefined) throw new Error('a Slack job arrived but SLACK_BOT_TOKEN is not set on this worker');
          return slackReplyChannel({ client: slack, channel: data.replyTarget.channel });
        },
        replyState,
        memory,
        approvals: approvalStore(redis, prefix),
        approvalSettings: { approvers: config.APPROVERS, selfAllowed: config.APPROVAL_SELF_ALLOWED, ttlSeconds: config.APPROVAL_TTL_SECONDS },
        logger,
      }),
    {
      connection: redis,
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: Math.max(1_000, Math.floor(config.JOB_LOCK_MS / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'job attempt failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('closed', () => void toolboxes.close());
  return worker;
}
