import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { mcpToolboxPool } from '../agent/mcp-toolbox-pool.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { auditLog } from '../audit/audit-log.ts';
import { createSlackClient } from '../chat/slack/create-slack-client.ts';
import { slackReplyChannel } from '../chat/slack/slack-reply-channel.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import { APPROVAL_QUEUE } from '../queue/approval-queue.ts';
import { resolveApprovalJob } from './resolve-approval-job.ts';

export interface StartApprovalWorkerOptions {
  config: Config;
  logger: Logger;
  redis: Redis;
}

/** The BullMQ worker that carries out approved actions and reports denied or expired ones. */
export function startApprovalWorker({ config, logger, redis }: StartApprovalWorkerOptions): Worker<ApprovalJob> {
  const { MCP_URL: mcpUrl, MCP_TOKEN: mcpToken } = config;
  if (mcpUrl === undefined || mcpToken === undefined) throw new Error('MCP_URL and MCP_TOKEN are required by the worker');
  const slack = config.SLACK_BOT_TOKEN === undefined ? undefined : createSlackClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger });
  const prefix = config.QUEUE_PREFIX;
  const toolboxes = mcpToolboxPool({ url: mcpUrl, token: mcpToken });
  const worker = new Worker<ApprovalJob>(
    APPROVAL_QUEUE,
    (job) =>
      resolveApprovalJob(job, {
        store: approvalStore(redis, prefix),
        connectToolbox: (chatUser) => toolboxes.acquire(chatUser),
        replyChannelFor: (target) => {
          if (slack === undefined) throw new Error('an approval for Slack arrived but SLACK_BOT_TOKEN is not set on this worker');
          return slackReplyChannel({ client: slack, channel: target.channel });
        },
        audit: auditLog({ redis, prefix, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
        cluster: new URL(mcpUrl).host || 'default',
        executeDelayMs: config.APPROVAL_EXECUTE_DELAY_MS,
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
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'approval job attempt failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'approval worker error'));
  worker.on('closed', () => void toolboxes.close());
  return worker;
}
