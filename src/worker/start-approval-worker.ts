import { Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { approvalStore } from '../approval/approval-store.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import { APPROVAL_QUEUE } from '../queue/approval-queue.ts';
import { logErrors } from '../queue/log-errors.ts';
import { createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import { resolveApprovalJob } from './resolve-approval-job.ts';
import type { WorkerServices } from './worker-services.ts';

export interface StartApprovalWorkerOptions {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  services: WorkerServices;
}

/** The BullMQ worker that carries out approved actions and reports denied or expired ones. */
export function startApprovalWorker({ config, logger, redis, services }: StartApprovalWorkerOptions): Worker<ApprovalJob> {
  // With a model, each decision continues the conversation as a chat job in the thread; direct mode has no loop to continue.
  const chatQueue =
    config.ANTHROPIC_API_KEY === undefined ? undefined : createChatQueue({ connection: redis, prefix: services.prefix, logger });
  const worker = new Worker<ApprovalJob>(
    APPROVAL_QUEUE,
    (job) =>
      resolveApprovalJob(job, {
        store: approvalStore(redis, services.prefix),
        connectToolbox: (chatUser) => services.toolboxes.acquire(chatUser),
        replyChannelFor: services.replyChannelFor,
        audit: services.audit,
        cluster: services.cluster,
        continueConversation: chatQueue === undefined ? undefined : (chatJob) => enqueueChatJob(chatQueue, chatJob),
        logger,
      }),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'approval job attempt failed'));
  logErrors(worker, logger, 'approval worker');
  worker.on('closed', () => {
    chatQueue?.close().catch((error: unknown) => logger.warn({ err: error }, 'could not close the chat queue'));
  });
  return worker;
}
