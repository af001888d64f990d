import type Anthropic from '@anthropic-ai/sdk';
import { UnrecoverableError, type Job } from 'bullmq';
import { AgentError } from '../agent/errors.ts';
import type { Toolbox } from '../agent/mcp-toolbox.ts';
import { runAgent, type AgentProgress, type AgentUsage } from '../agent/run-agent.ts';
import type { AuditContext } from '../audit/audit-event.ts';
import type { ChannelBudget } from '../budget/channel-budget.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { auditedToolbox } from '../audit/audited-toolbox.ts';
import { systemPrompt } from '../agent/system-prompt.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import { splitMessage } from '../chat/split-message.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import { settleTurn } from '../memory/settle-turn.ts';
import { threadKey } from '../memory/thread-key.ts';
import { chatJobSchema, type ChatJob } from '../queue/chat-job.ts';
import { chatUserOf } from './chat-user-of.ts';
import { composeAnswer } from './compose-answer.ts';
import { directAnswer, notConfiguredText } from './direct-answer.ts';
import { directCommand } from './direct-command.ts';
import { progressText, workingText } from './progress-text.ts';
import type { ReplyStateStore } from './reply-state.ts';
import type { ApprovalSettings } from '../approval/approval-settings.ts';
import type { ApprovalStore } from '../approval/approval-store.ts';
import { approvalGate } from './approval-gate.ts';

export interface AnswerChatJobDeps {
  /** Absent when ANTHROPIC_API_KEY is not set: questions then get a clear "AI is not configured" answer. */
  anthropic: Anthropic | undefined;
  model: string;
  maxSteps: number;
  /** AGENT_MAX_TOKENS_PER_ANSWER: the loop makes no further model call once the answer's tokens pass it. */
  maxAnswerTokens: number;
  /** CHANNEL_DAILY_TOKENS: checked before a model answer starts, charged with its usage. */
  channelBudget: ChannelBudget;
  /** A toolbox acting as `chatUser` (the X-Ai4k8s-User identity) on the MCP server; undefined names nobody. */
  connectToolbox: (chatUser: string | undefined) => Promise<Toolbox>;
  audit: AuditLog;
  /** The audit events' cluster: the MCP server's host, as the worker cannot see its cluster. */
  cluster: string;
  replyChannelFor: (job: ChatJob) => ReplyChannel;
  replyState: ReplyStateStore;
  /** Thread memory: earlier turns of the thread go to the model; this answer's turn is added after delivery. */
  memory: ConversationStore;
  /** Pending actions: a write the model asks for becomes an Approve / Deny card instead of running. */
  approvals: ApprovalStore;
  approvalSettings: ApprovalSettings;
  logger: Logger;
  /** Minimum time between progress edits, to stay under chat rate limits. */
  progressIntervalMs?: number;
}

/**
 * Answers one queued question. Every message it posts is recorded in the reply state first-thing after
 * posting, so a retry (crash, stall, re-delivery) reuses the root and progress messages and never posts
 * the answer twice.
 */
export async function answerChatJob(job: Job<ChatJob>, deps: AnswerChatJobDeps): Promise<void> {
  const parsed = chatJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed chat job: ${parsed.error.message}`);
  const data = parsed.data;
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, platform: data.platform, attempt: job.attemptsMade + 1 });
  const state = await deps.replyState.read(jobId);
  if (state.done) {
    log.info('already answered; nothing to do');
    return;
  }
  const started = performance.now();
  const chatTime = { ms: 0 };
  const channel = timedChannel(deps.replyChannelFor(data), chatTime);
  const threadId = data.replyTarget.threadTs ?? state.rootId ?? (await postRoot(channel, data, jobId, deps));
  // From here on the bot takes part in the thread: a follow-up there (no mention needed) continues it.
  const conversationKey = threadKey(data.replyTarget, threadId);
  await deps.memory.markThread(conversationKey);
  const progressId = state.progressId ?? (await postProgress(channel, threadId, jobId, deps));

  /** Delivers the answer, then records the turn (once per job id), so a retry neither re-posts nor duplicates history. */
  const finish = async (markdown: string, turn?: Anthropic.MessageParam[]) => {
    await deliverAnswer({ channel, threadId, progressId, markdown, jobId, deps, alreadySent: state.answeredChunks });
    if (turn !== undefined) await deps.memory.append(conversationKey, jobId, settleTurn(turn));
    await deps.replyState.write(jobId, { done: '1' });
  };

  const context: AuditContext = { platform: data.platform, channel: data.replyTarget.channel, user: data.user.id, jobId, cluster: deps.cluster };
  const recordAnswer = (usage: AgentUsage | undefined, error?: string) =>
    deps.audit.record({
      ...context,
      at: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      ...(error === undefined
        ? { kind: 'answer' as const, result: 'ok' as const, usage: usage ?? noUsage() }
        : { kind: 'answer_failed' as const, result: 'error' as const, error, ...(usage === undefined ? {} : { usage }) }),
    });
  const connect = async () => auditedToolbox({ toolbox: await deps.connectToolbox(chatUserOf(data)), audit: deps.audit, context });
  const gated = (toolbox: Toolbox) =>
    approvalGate({
      toolbox,
      store: deps.approvals,
      settings: deps.approvalSettings,
      channel,
      job: data,
      jobId,
      threadId,
      conversationKey,
      chatUser: chatUserOf(data),
      audit: deps.audit,
      auditContext: context,
    });

  const command = deps.anthropic === undefined ? directCommand(data.text) : undefined;
  if (deps.anthropic === undefined && command === undefined) {
    await finish(notConfiguredText);
    await recordAnswer(noUsage());
    return;
  }
  const budgetKey = `${data.platform}:${data.replyTarget.channel}`;
  if (deps.anthropic !== undefined && (await deps.channelBudget.isSpent(budgetKey))) {
    await finish(channelBudgetSpentText(deps.channelBudget.dailyTokens));
    await recordAnswer(undefined, 'channel_budget_spent');
    log.info({ outcome: 'channel_budget_spent' }, 'not answered: the channel spent its daily token budget');
    return;
  }
  const reportProgress = throttledProgress(channel, progressId, deps.progressIntervalMs ?? 1_000, log);
  let toolbox: Toolbox | undefined;
  try {
    const connectStarted = performance.now();
    toolbox = await connect();
    const connectMs = performance.now() - connectStarted;
    if (command !== undefined || deps.anthropic === undefined) {
      // Direct mode (no model): the kubectl tool parses the command and refuses what it does not allow.
      const line = command ?? '';
      const outcome = await toolbox.call('kubectl', { command: line });
      await finish(directAnswer(line, outcome));
      await recordAnswer(noUsage());
      log.info({ outcome: 'direct', isError: outcome.isError }, 'answered');
      return;
    }
    const history = await deps.memory.history(conversationKey);
    const answer = await runAgent({
      anthropic: deps.anthropic,
      model: deps.model,
      system: systemPrompt(),
      question: data.text,
      history,
      toolbox: gated(toolbox),
      maxSteps: deps.maxSteps,
      maxAnswerTokens: deps.maxAnswerTokens,
      onProgress: reportProgress,
    });
    await deps.channelBudget.add(budgetKey, answer.usage.inputTokens + answer.usage.outputTokens);
    await finish(composeAnswer(answer, { maxSteps: deps.maxSteps, maxAnswerTokens: deps.maxAnswerTokens }), answer.transcript);
    await recordAnswer(answer.usage);
    const timings = {
      queueWaitMs: Math.max(0, (job.processedOn ?? job.timestamp) - job.timestamp),
      mcpConnectMs: Math.round(connectMs),
      modelMs: Math.round(answer.timings.modelMs),
      toolsMs: Math.round(answer.timings.toolsMs),
      chatMs: Math.round(chatTime.ms),
      totalMs: Math.round(performance.now() - started),
    };
    log.info({ outcome: answer.outcome, steps: answer.steps, tools: answer.toolCalls.length, historyMessages: history.length, usage: answer.usage, timings }, 'answered');
  } catch (error) {
    if (error instanceof AgentError) {
      log.warn({ err: error, code: error.code }, 'could not answer');
      await recordAnswer(undefined, error.code);
      await finish(`⚠️ ${error.userMessage}`);
      return;
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.error({ err: error, lastAttempt }, 'answer failed');
    await recordAnswer(undefined, lastAttempt ? 'internal_error' : 'internal_error_retrying');
    if (lastAttempt) await finish(`⚠️ Sorry, something went wrong while answering and retries ran out (reference: \`${jobId}\`).`);
    throw error;
  } finally {
    await toolbox?.close().catch(() => undefined);
  }
}

const channelBudgetSpentText = (dailyTokens: number) =>
  `⚠️ This channel has used its daily AI budget (${dailyTokens.toLocaleString('en-US')} tokens), so I did not ask the model. It resets at 00:00 UTC.`;

const noUsage = (): AgentUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

async function postRoot(channel: ReplyChannel, data: ChatJob, jobId: string, deps: AnswerChatJobDeps): Promise<string> {
  const rootId = await channel.postRoot(`${channel.format(data.text)} — asked by <@${data.user.id}>`);
  await deps.replyState.write(jobId, { rootId });
  return rootId;
}

async function postProgress(channel: ReplyChannel, threadId: string, jobId: string, deps: AnswerChatJobDeps): Promise<string> {
  const progressId = await channel.postInThread(threadId, workingText);
  await deps.replyState.write(jobId, { progressId });
  return progressId;
}

interface DeliverAnswerOptions {
  channel: ReplyChannel;
  threadId: string;
  progressId: string;
  markdown: string;
  jobId: string;
  deps: AnswerChatJobDeps;
  alreadySent: number;
}

/** The first chunk replaces the progress message; the rest follow in the thread. Resumes after a crash. */
async function deliverAnswer({ channel, threadId, progressId, markdown, jobId, deps, alreadySent }: DeliverAnswerOptions): Promise<void> {
  const chunks = splitMessage(channel.format(markdown), channel.maxMessageChars);
  for (let i = alreadySent; i < chunks.length; i += 1) {
    const chunk = chunks[i] ?? '';
    if (i === 0) await channel.update(progressId, chunk);
    else await channel.postInThread(threadId, chunk);
    await deps.replyState.write(jobId, { answeredChunks: String(i + 1) });
  }
}

/** Wraps a reply channel to add up the time spent talking to the chat platform. */
function timedChannel(channel: ReplyChannel, total: { ms: number }): ReplyChannel {
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        total.ms += performance.now() - started;
      }
    };
  return {
    ...channel,
    postRoot: timed(channel.postRoot),
    postInThread: timed(channel.postInThread),
    update: timed(channel.update),
  };
}

function throttledProgress(channel: ReplyChannel, progressId: string, intervalMs: number, log: Logger) {
  let last = 0;
  return async (progress: AgentProgress) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    // Progress is best effort: a failed edit must not fail the answer.
    await channel.update(progressId, channel.format(progressText(progress))).catch((error: unknown) => {
      log.warn({ err: error }, 'progress update failed');
    });
  };
}
