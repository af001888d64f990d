import { Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { channelBudget } from '../budget/channel-budget.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { approvalSettingsFrom } from '../approval/approval-settings.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { CHAT_QUEUE } from '../queue/chat-queue.ts';
import { createApprovalQueue } from '../queue/approval-queue.ts';
import { scheduleApprovalExpiry } from '../approval/schedule-approval-expiry.ts';
import { jobStartGate } from '../queue/job-start-gate.ts';
import { logErrors } from '../queue/log-errors.ts';
import { createModelClients } from '../model/create-model-clients.ts';
import { abortableChannel } from './abortable-channel.ts';
import { answerChatJob } from './answer-chat-job.ts';
import { handBackOnShutdown } from './hand-back-on-shutdown.ts';
import { incidentMemoryForChat } from '../incidents/incident-memory-for-chat.ts';
import { replyStateStore } from './reply-state.ts';
import { reportUnfinishedJob } from './report-unfinished-job.ts';
import { stopJobsOnLostLock } from './stop-jobs-on-lost-lock.ts';
import type { WorkerServices } from './worker-services.ts';

export interface StartChatWorkerOptions {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  services: WorkerServices;
}

/** The BullMQ worker that answers chat jobs. */
export function startChatWorker({ config, logger, redis, services }: StartChatWorkerOptions): Worker<ChatJob> {
  // Every model call of every worker goes through one limiter shared in Redis (decision 015), which also does the retrying.
  const models =
    config.ANTHROPIC_API_KEY === undefined
      ? undefined
      : createModelClients({
          apiKey: config.ANTHROPIC_API_KEY,
          baseURL: config.ANTHROPIC_BASE_URL,
          redis,
          prefix: services.prefix,
          limits: {
            maxInFlight: config.MODEL_MAX_IN_FLIGHT,
            requestsPerMinute: config.MODEL_REQUESTS_PER_MINUTE,
            inputTokensPerMinute: config.MODEL_INPUT_TOKENS_PER_MINUTE,
            outputTokensPerMinute: config.MODEL_OUTPUT_TOKENS_PER_MINUTE,
          },
          retryWindowMs: config.MODEL_RETRY_WINDOW_MS,
          logger,
        });
  const { prefix, toolboxes } = services;
  const replyState = replyStateStore(redis, prefix);
  const memory = conversationStore({
    redis,
    prefix,
    ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    tokenBudget: config.CONVERSATION_TOKEN_BUDGET,
  });
  const budget = channelBudget({ redis, prefix, dailyTokens: config.CHANNEL_DAILY_TOKENS });
  // Read and validated once, by loadConfig: a broken policy file stops the process before any role starts.
  const { policy } = config;
  // The approval cards' expiry timers are delayed jobs on the approval queue.
  const approvalQueue = createApprovalQueue({ connection: redis, prefix, logger });
  const incidents = incidentMemoryForChat({ config, redis, prefix, policy, memory, slackWorkspace: services.slackWorkspace, logger });
  const startGate = jobStartGate(redis, prefix);
  const replyChannelFor = (data: ChatJob) => services.replyChannelFor(data.replyTarget);
  // Three parameters: BullMQ then gives each job an abort signal (worker.cancelJob / cancelAllJobs). The signal
  // reaches the chat calls too; a job stopped at shutdown, or taken while closing, is handed back at once.
  let closing = false;
  const worker = new Worker<ChatJob>(
    CHAT_QUEUE,
    (job, token, signal) =>
      handBackOnShutdown({ job, token, signal, closing: () => closing }, () =>
        answerChatJob(
          job,
          {
            // An alert investigation's model calls yield to people's questions when the limiter is saturated.
            anthropic: models?.client(job.data.purpose === 'alert_investigation' ? 'background' : 'interactive'),
            model: config.ANTHROPIC_MODEL,
            maxSteps: config.AGENT_MAX_STEPS,
            maxAnswerTokens: config.AGENT_MAX_TOKENS_PER_ANSWER,
            toolTimeoutMs: config.AGENT_TOOL_TIMEOUT_MS,
            channelBudget: budget,
            connectToolbox: async (chatUser, job) => incidents.withTools(await toolboxes.acquire(chatUser), job),
            audit: services.audit,
            cluster: services.cluster,
            replyChannelFor: (data) => abortableChannel(replyChannelFor(data), signal),
            replyState,
            startGate,
            retryWindowMs: config.RETRY_WINDOW_SECONDS * 1000,
            lockMs: config.JOB_LOCK_MS,
            memory,
            approvals: approvalStore(redis, prefix),
            approvalSettings: approvalSettingsFrom(config, policy),
            policy,
            scheduleApprovalExpiry: (token, expiresAt) => scheduleApprovalExpiry(approvalQueue, token, expiresAt),
            incidents: incidents.recorder,
            logger,
          },
          { token, signal },
        ),
      ),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => {
    logger.warn({ jobId: job?.id, err: error }, 'job attempt failed');
    // Attempts exhausted, stalled too often or unrecoverable: the thread is told, once.
    if (job !== undefined)
      reportUnfinishedJob({ job, replyState, replyChannelFor, logger }).catch((e: unknown) =>
        logger.error({ err: e, jobId: job.id }, 'could not report an unfinished job'),
      );
  });
  // Another worker may take a job whose lock this one could not renew: stop it here rather than answer twice
  // (unless Redis lost the job itself: then this worker finishes it).
  stopJobsOnLostLock({ worker, replyState, logger });
  logErrors(worker, logger, 'chat worker');
  worker.on('closing', () => {
    closing = true;
  });
  worker.on('closed', () => models?.close());
  worker.on('closed', () => {
    approvalQueue.close().catch((error: unknown) => logger.warn({ err: error }, 'could not close the approval queue'));
  });
  return worker;
}
