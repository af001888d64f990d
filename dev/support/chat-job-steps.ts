import { randomBytes } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { openAnswering, type AnsweringContext } from '../../src/worker/steps/answering-context.ts';
import { openJob, type OpenJobOptions } from '../../src/worker/steps/job-context.ts';
import { openThread } from '../../src/worker/steps/thread.ts';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../fakes/fake-anthropic-api.ts';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import { answerText } from '../../src/chat/answer-view.ts';
import { approvalStore } from '../../src/approval/approval-store.ts';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { auditLog } from '../../src/audit/audit-log.ts';
import { channelBudget } from '../../src/budget/channel-budget.ts';
import { createSlackClient } from '../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../adapters/slack/reply/slack-reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { conversationStore } from '../../src/memory/conversation-store.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { chatJobOptions } from '../../src/queue/chat-queue.ts';
import { jobStartGate } from '../../src/queue/job-start-gate.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import type { AnswerChatJobDeps } from '../../src/worker/answer-chat-job.ts';
import { replyStateStore } from '../../src/worker/reply-state.ts';
import type { JobReply } from '../../src/worker/steps/job-reply.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../services/shared.ts';

export const STEPS_CHANNEL = 'C0STEPS001';
export const STEPS_TEAM = 'T0STEPS001';

/**
 * What the unit tests of the chat job's steps (src/worker/steps) run against: the test Redis under a key prefix of
 * their own, the fake Slack API behind the real Slack reply channel, real stores and a real BullMQ queue.
 */
export interface ChatJobStepsBench {
  redis: Redis;
  prefix: string;
  slack: FakeSlackApi;
  /** Deps as the chat worker builds them (no model, no policy), with `over` on top. */
  deps(over?: Partial<AnswerChatJobDeps>): AnswerChatJobDeps;
  /** A chat job in the queue, as BullMQ hands it to a processor. */
  addJob(over?: Partial<ChatJob>): Promise<Job<ChatJob>>;
  /** Takes the next job as a worker does (locked with `token`), so it can be moved to delayed. */
  takeJob(token: string): Promise<Job<ChatJob>>;
  auditEvents(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** A toolbox answering every call with `answer(name, input)`, for steps that need tools but no MCP server. */
export function scriptedToolbox(
  answer: (name: string, input: unknown) => { text: string; isError: boolean },
  names: readonly string[] = ['pods_list', 'kubectl'],
): Toolbox & { calls: { name: string; input: unknown }[]; closed: boolean } {
  const box = {
    tools: names.map((name) => ({ name, description: name, input_schema: { type: 'object' as const, properties: {} } })),
    hints: new Map(names.map((name) => [name, { readOnlyHint: true }])),
    calls: [] as { name: string; input: unknown }[],
    closed: false,
    call: (name: string, input: unknown) => {
      box.calls.push({ name, input });
      return Promise.resolve(answer(name, input));
    },
    close: () => {
      box.closed = true;
      return Promise.resolve();
    },
  };
  return box;
}

export async function chatJobStepsBench(): Promise<ChatJobStepsBench> {
  const redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  const prefix = uniqueName('steps');
  const slack = await startFakeSlackApi();
  const logger = createLogger({ level: 'silent' });
  const client = createSlackClient({ token: slack.token, slackApiUrl: slack.url, logger });
  const queueName = uniqueName('chat');
  const queue = new Queue<ChatJob>(queueName, { connection: redis, prefix: redisKeys(prefix).queuePrefix });
  const worker = new Worker<ChatJob>(queueName, null, { connection: redis, prefix: redisKeys(prefix).queuePrefix, autorun: false });
  const audit = auditLog({ redis, prefix, maxEvents: 1_000, logger });
  const deps = (over: Partial<AnswerChatJobDeps> = {}): AnswerChatJobDeps => ({
    anthropic: undefined,
    model: 'claude-test',
    maxSteps: 5,
    maxAnswerTokens: 100_000,
    channelBudget: channelBudget({ redis, prefix, dailyTokens: 0 }),
    connectToolbox: () => Promise.reject(new Error('this test connects no toolbox')),
    audit,
    cluster: 'steps-cluster',
    replyChannelFor: (job) => slackReplyChannel({ client, channel: job.replyTarget.channel }),
    replyState: replyStateStore(redis, prefix),
    startGate: jobStartGate(redis, prefix),
    memory: conversationStore({ redis, prefix, ttlSeconds: 600, tokenBudget: 50_000 }),
    approvals: approvalStore(redis, prefix),
    approvalSettings: { approvers: [], selfAllowed: false, ttlSeconds: 600 },
    logger,
    retryWindowMs: 60_000,
    progressIntervalMs: 0,
    ...over,
  });
  return {
    redis,
    prefix,
    slack,
    deps,
    addJob: async (over = {}) => {
      const data: ChatJob = {
        platform: 'slack',
        deliveryId: randomBytes(6).toString('hex'),
        conversationKey: 'unused',
        replyTarget: { platform: 'slack', teamId: STEPS_TEAM, channel: STEPS_CHANNEL },
        user: { id: 'U0ASKER001' },
        text: 'are the pods in shop healthy?',
        receivedAt: new Date().toISOString(),
        ...over,
      };
      return queue.add('chat', data, { ...chatJobOptions, jobId: `slack-${data.deliveryId}` });
    },
    takeJob: async (token) => {
      const job = (await worker.getNextJob(token)) as Job<ChatJob> | undefined;
      if (job === undefined) throw new Error('no job waiting in the test queue');
      return job;
    },
    auditEvents: async () => {
      const entries = await redis.xrange(redisKeys(prefix).audit, '-', '+');
      return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1] ?? '{}') as AuditEvent);
    },
    close: async () => {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await slack.stop();
      const keys = await redis.keys(`${redisKeys(prefix).tag}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** A reply's answer as Markdown. */
export const replyText = ({ answer }: Pick<JobReply, 'answer'>): string => (typeof answer === 'string' ? answer : answerText(answer));

/**
 * Something the tests of the calling `describe` share: started in its `before`, stopped in its `after`. Returns
 * the getter the tests read it through (it throws outside them).
 */
function perSuite<T>(what: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): () => T {
  let started: { value: T } | undefined;
  before(async () => {
    started = { value: await start() };
  });
  after(() => (started === undefined ? undefined : stop(started.value)));
  return () => {
    if (started === undefined) throw new Error(`${what} is used outside the tests of its describe`);
    return started.value;
  };
}

/** A bench for the calling `describe` (call it in the describe's body); its members are read when the tests run. */
export function chatJobStepsSuite(): ChatJobStepsBench {
  const bench = perSuite('the steps bench', chatJobStepsBench, (b) => b.close());
  return {
    get redis() {
      return bench().redis;
    },
    get prefix() {
      return bench().prefix;
    },
    get slack() {
      return bench().slack;
    },
    deps: (over) => bench().deps(over),
    addJob: (over) => bench().addJob(over),
    takeJob: (token) => bench().takeJob(token),
    auditEvents: () => bench().auditEvents(),
    close: () => bench().close(),
  };
}

/** The fake Anthropic API for the calling `describe` (reset before each test) and a client of it that never retries. */
export function fakeModelSuite(): { readonly model: FakeAnthropicApi; readonly anthropic: Anthropic } {
  const model = perSuite(
    'the fake model',
    () => startFakeAnthropicApi(),
    (m) => m.stop(),
  );
  const anthropic = perSuite(
    'the model client',
    () => Promise.resolve(new Anthropic({ apiKey: model().apiKey, baseURL: model().url, maxRetries: 0 })),
    () => Promise.resolve(),
  );
  beforeEach(() => model().reset());
  return {
    get model() {
      return model();
    },
    get anthropic() {
      return anthropic();
    },
  };
}

/** A job opened as an attempt opens it up to the answer step: its context, its thread, its progress message. */
export async function openUpToAnswer(options: OpenJobOptions): Promise<AnsweringContext> {
  const ctx = await openJob(options);
  if (ctx === undefined) throw new Error(`openJob found nothing to do for job ${options.job.id ?? ''}`);
  return openAnswering({ ...ctx, ...(await openThread(ctx)) });
}
