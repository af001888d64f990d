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
import type { ReplyChannel, ReplyFile } from '../chat/reply-channel.ts';
import { questionNotice } from '../chat/question-notice.ts';
import { markdownView, type AnswerView } from '../chat/answer-view.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import { settleTurn } from '../memory/settle-turn.ts';
import { threadKey } from '../memory/thread-key.ts';
import { chatJobSchema, type ChatJob } from '../queue/chat-job.ts';
import { investigationFindingsTurn } from '../alerts/investigation-job.ts';
import { chatUserOf } from './chat-user-of.ts';
import { composeAnswerView } from './compose-answer.ts';
import { deliverAnswer } from './deliver-answer.ts';
import { throttleProgress } from './throttle-progress.ts';
import { directAnswer, notConfiguredText } from './direct-answer.ts';
import { directCommand } from './direct-command.ts';
import { progressText, workingText } from './progress-text.ts';
import type { ReplyStateStore } from './reply-state.ts';
import type { ApprovalSettings } from '../approval/approval-settings.ts';
import type { ApprovalStore } from '../approval/approval-store.ts';
import { approvalGate } from './approval-gate.ts';
import { untilTurnRemembered } from '../approval/until-turn-remembered.ts';
import { channelPolicyFor } from '../policy/channel-policy.ts';
import { channelPolicyToolbox } from '../policy/channel-policy-toolbox.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import { answerMonitoring } from '../monitoring/answer-monitoring.ts';
import type { IncidentRecorder } from '../incidents/incident-recorder.ts';
import { postGraphs, takesGraphs } from '../monitoring/post-graphs.ts';

export interface AnswerChatJobDeps {
  /** Absent when ANTHROPIC_API_KEY is not set: questions then get a clear "AI is not configured" answer. */
  anthropic: Anthropic | undefined;
  model: string;
  maxSteps: number;
  /** AGENT_MAX_TOKENS_PER_ANSWER: the loop makes no further model call once the answer's tokens pass it. */
  maxAnswerTokens: number;
  /** CHANNEL_DAILY_TOKENS: checked before a model answer starts, charged with its usage. */
  channelBudget: ChannelBudget;
  /**
   * A toolbox acting as `chatUser` (the X-Ai4k8s-User identity) on the MCP server; undefined names nobody. It gets the
   * job too, for the worker-side tools whose answers depend on where the question was asked (incidents_search).
   */
  connectToolbox: (chatUser: string | undefined, job: ChatJob) => Promise<Toolbox>;
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
  /** AI4K8S_POLICY: the channel's namespaces, contexts and tool tier limit every tool call (absent: no limits). */
  policy?: PolicyFile | undefined;
  /** Starts a posted approval card's expiry timer (scheduleApprovalExpiry); absent: it expires only on a late click. */
  scheduleApprovalExpiry?: ((token: string, expiresAt: number) => Promise<void>) | undefined;
  logger: Logger;
  /** Minimum time between progress edits, to stay under chat rate limits. */
  progressIntervalMs?: number;
  /** Incident memory (src/incidents): told of each delivered model answer (findings, applied fixes). */
  incidents?: Pick<IncidentRecorder, 'answered'> | undefined;
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
  // A mention without a question (or "help", or one over the limit) gets usage or a refusal; no model call.
  const notice = questionNotice(data.text, data.platform);
  if (notice !== undefined) {
    if (state.answeredChunks === 0) await channel.postInThread(threadId, channel.format(notice));
    await deps.replyState.write(jobId, { answeredChunks: '1', done: '1' });
    log.info({ outcome: 'notice' }, 'answered with usage or a refusal');
    return;
  }
  const progressId = state.progressId ?? (await postProgress(channel, threadId, jobId, deps));

  // Progress edits at a bounded rate, latest state wins; stopped before the answer replaces the message.
  const progress = throttleProgress<AgentProgress>({
    intervalMs: deps.progressIntervalMs ?? 1_000,
    send: (p) => channel.update(progressId, channel.format(progressText(p))),
    onError: (error) => log.warn({ err: error }, 'progress update failed'),
  });

  /**
   * Delivers the answer, then records the turn (once per job id), so a retry neither re-posts nor duplicates history.
   * An alert investigation's `findings` (its answer text) are also pinned in the thread, replacing earlier ones.
   */
  const finish = async (answer: string | AnswerView, turn?: Anthropic.MessageParam[], graphs: readonly ReplyFile[] = [], findings?: string) => {
    await progress.stop();
    await deliverAnswer({
      channel,
      threadId,
      progressId,
      answer: typeof answer === 'string' ? markdownView(answer) : answer,
      alreadySent: state.answeredChunks,
      recordSent: (count) => deps.replyState.write(jobId, { answeredChunks: String(count) }),
      uploadSkipped: state.uploadSkipped,
      recordUploadSkipped: () => deps.replyState.write(jobId, { uploadSkipped: '1' }),
      onUploadRefused: (error) => log.warn({ err: error, reason: error.reason }, 'the chat platform refused the answer file; answering without it'),
    });
    // Range-query graphs follow the answer; graphsPosted keeps a retried job from uploading one twice.
    await postGraphs({ channel, threadId, files: graphs, alreadyPosted: state.graphsPosted, recordPosted: (count) => deps.replyState.write(jobId, { graphsPosted: String(count) }), logger: log });
    if (turn !== undefined) await deps.memory.append(conversationKey, jobId, settleTurn(turn), { fetchedAs: chatUserOf(data) });
    // Before `done`: a retry after a crash here still pins; the job id makes a second pin a no-op.
    if (findings !== undefined && findings.trim() !== '') await deps.memory.pin(conversationKey, `investigation:${jobId}`, investigationFindingsTurn(findings), 'investigation');
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
  // The channel policy sits inside the audit, so a refused call is audited like any failed one.
  const limited = async () => channelPolicyToolbox({ toolbox: await deps.connectToolbox(chatUserOf(data), data), policy: channelPolicyFor(deps.policy, data.replyTarget) });
  const connect = async () => auditedToolbox({ toolbox: await limited(), audit: deps.audit, context });
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
      scheduleExpiry: deps.scheduleApprovalExpiry,
    });

  const command = deps.anthropic === undefined ? directCommand(data.text) : undefined;
  if (deps.anthropic === undefined && command === undefined) {
    await finish(notConfiguredText(data.replyTarget.platform));
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
    if (data.continuation !== undefined) await untilTurnRemembered({ memory: deps.memory, conversationKey, jobId: data.continuation.afterJobId });
    const history = await deps.memory.history(conversationKey, { reader: chatUserOf(data) });
    const answer = await runAgent({
      anthropic: deps.anthropic,
      model: deps.model,
      system: systemPrompt(),
      question: data.text,
      history,
      toolbox: gated(toolbox),
      maxSteps: deps.maxSteps,
      maxAnswerTokens: deps.maxAnswerTokens,
      onProgress: progress.push,
    });
    await deps.channelBudget.add(budgetKey, answer.usage.inputTokens + answer.usage.outputTokens);
    // Grafana links and graphs of the range queries the model ran; snapshot delete URLs go to the audit log first.
    const monitoring = answerMonitoring(answer.toolCalls, { charts: takesGraphs(channel) });
    for (const event of monitoring.snapshotEvents(context)) await deps.audit.record(event);
    const view = monitoring.withLinks(composeAnswerView(answer, { maxSteps: deps.maxSteps, maxAnswerTokens: deps.maxAnswerTokens }, deps.cluster));
    await finish(view, answer.transcript, monitoring.graphs, data.purpose === 'alert_investigation' ? answer.text : undefined);
    await deps.incidents?.answered({ job: data, conversationKey, threadId, text: answer.text });
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
    await progress.stop();
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
    ...(channel.updateAnswer === undefined ? {} : { updateAnswer: timed(channel.updateAnswer) }),
    ...(channel.uploadFile === undefined ? {} : { uploadFile: timed(channel.uploadFile) }),
  };
}
