import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { CHAT_QUEUE, chatJobId, createChatQueue, enqueueChatJob } from '../../src/queue/chat-queue.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { deletePrefix } from './delete-prefix.ts';
import { forEachConcurrently } from './for-each-concurrently.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

export interface BareQueueRun {
  wallMs: number;
  completed: number;
  /** Per job, from just before `add` to the worker's `completed` event. */
  latenciesMs: number[];
}

export interface BareQueueOptions {
  redisUrl: string;
  jobs: number;
  /** The product worker's concurrency, so the floor has the same parallelism. */
  concurrency: number;
  senders: number;
  timeoutMs: number;
}

/**
 * The queue's own ceiling: the same chat jobs, job options and Redis through BullMQ, with a processor
 * that does nothing.
 */
export async function measureBareQueue({ redisUrl, jobs, concurrency, senders, timeoutMs }: BareQueueOptions): Promise<BareQueueRun> {
  const prefix = uniqueName('bench-floor');
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = createChatQueue({ connection, prefix, logger: createLogger({ level: 'silent' }) });
  const worker = new Worker<ChatJob>(CHAT_QUEUE, () => Promise.resolve(), {
    connection: workerConnection,
    prefix: redisKeys(prefix).queuePrefix,
    concurrency,
  });
  const addedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let lastCompletedAt = 0;
  let resolveAll = () => {};
  const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
  worker.on('completed', (job) => {
    lastCompletedAt = performance.now();
    latenciesMs.push(lastCompletedAt - (addedAt.get(job.id ?? '') ?? lastCompletedAt));
    if (latenciesMs.length === jobs) resolveAll();
  });
  try {
    await worker.waitUntilReady();
    const started = performance.now();
    await forEachConcurrently(jobs, senders, async (index) => {
      const job = floorJob(prefix, index);
      addedAt.set(chatJobId(job), performance.now());
      await enqueueChatJob(queue, job);
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return { wallMs: lastCompletedAt - started, completed: latenciesMs.length, latenciesMs };
  } finally {
    await worker.close();
    await queue.close();
    await deletePrefix(connection, prefix);
    await Promise.all([connection.quit(), workerConnection.quit()]);
  }
}

function floorJob(prefix: string, index: number): ChatJob {
  const triggerId = `${prefix}.${index}`;
  return {
    platform: 'slack',
    deliveryId: `command:T0AI4K8S:${triggerId}`,
    conversationKey: `slack:T0AI4K8S:C0SHOP0001:command:${triggerId}`,
    replyTarget: { platform: 'slack', teamId: 'T0AI4K8S', channel: 'C0SHOP0001' },
    user: { id: 'U0ONCALL01', name: 'oncall' },
    text: `bench #${index}: why is checkout crashing in shop?`,
    receivedAt: new Date().toISOString(),
  };
}
