import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkerOptions } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { mcpToolboxPool, type McpToolboxPool } from '../agent/mcp-toolbox-pool.ts';
import { auditLog, type AuditLog } from '../audit/audit-log.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { SlackWorkspace } from '../chat/slack-workspace-url.ts';
import { replyChannelFor, type ReplyChannelFactories } from '../chat/reply-channels.ts';
import type { ReplyTarget } from '../queue/chat-job.ts';
import type { Config } from '../config/schema.ts';
import { clusterName, type ClusterName } from './cluster-name.ts';
import type { Logger } from '../log/create-logger.ts';

/** What the chat and approval workers of one process share: one MCP session pool, one Slack client, one audit log. */
export interface WorkerServices {
  prefix: string;
  toolboxes: McpToolboxPool;
  audit: AuditLog;
  /** The cluster as people know it (CLUSTER_NAME, else the MCP server's kube context), for answers and audit events. */
  cluster: ClusterName;
  /** Where to reply, by the target's platform. */
  replyChannelFor: (target: ReplyTarget) => ReplyChannel;
  /** The bot's Slack workspace; throws when Slack is not configured on this worker. */
  slackWorkspace: () => Promise<SlackWorkspace>;
  /** BullMQ options both workers run with: a stalled job (its worker died) is retried by another worker. */
  queueOptions: WorkerOptions;
}

export interface CreateWorkerServicesOptions {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  /** How to write into a conversation on each configured platform (the adapters' reply channels, wired in src/roles). */
  replyChannels: ReplyChannelFactories;
  slackWorkspace: () => Promise<SlackWorkspace>;
}

export function createWorkerServices({
  config,
  logger,
  redis,
  replyChannels,
  slackWorkspace,
}: CreateWorkerServicesOptions): WorkerServices {
  const { MCP_URL: mcpUrl, MCP_TOKEN: mcpToken } = config;
  if (mcpUrl === undefined || mcpToken === undefined) throw new Error('MCP_URL and MCP_TOKEN are required by the worker'); // loadConfig checks first
  const prefix = config.QUEUE_PREFIX;
  const toolboxes = mcpToolboxPool({ url: mcpUrl, token: mcpToken });
  return {
    prefix,
    toolboxes,
    audit: auditLog({ redis, prefix, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
    cluster: clusterName({ displayName: config.CLUSTER_NAME, toolboxes, fallback: new URL(mcpUrl).host || 'default' }),
    replyChannelFor: (target) => replyChannelFor(replyChannels, target),
    slackWorkspace,
    queueOptions: {
      // Stored on every job it takes (job.processedBy): which replica answered what.
      name: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      connection: redis,
      prefix: redisKeys(prefix).queuePrefix,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: Math.max(1_000, Math.floor(config.JOB_LOCK_MS / 2)),
      maxStalledCount: 2,
    },
  };
}
