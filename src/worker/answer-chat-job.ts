import type Anthropic from '@anthropic-ai/sdk';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { AgentError, ModelUnavailableError, ToolServerUnavailableError } from '../agent/errors.ts';
import type { Toolbox } from '../agent/mcp-toolbox.ts';
import { retryingToolbox } from '../agent/mcp-toolbox-retries.ts';
import { noUsage, runAgent, type AgentProgress, type AgentUsage, type ModelCall } from '../agent/run-agent.ts';
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
import type { JobStartGate } from '../queue/job-start-gate.ts';
import { investigationFindingsTurn } from '../alerts/investigation-job.ts';
import { chatUserOf } from './chat-user-of.ts';
import { composeAnswerView } from './compose-answer.ts';
import { deferJob, nextDeferral } from './defer-job.ts';
import { deliverAnswer } from './deliver-answer.ts';
import { throttleProgress } from './throttle-progress.ts';
import { directAnswer, notConfiguredText } from './direct-answer.ts';
import { directCommand } from './direct-command.ts';
import { SHUTDOWN_REASON } from './job-abort.ts';
import { postLedger } from './post-ledger.ts';
import { progressText, workingText } from './progress-text.ts';
import { questionRootText } from './question-root-text.ts';
import type { ReplyStateStore } from './reply-state.ts';
import { deferredText, toolRetryText, type DeferCause } from './retry-text.ts';
import { timedChannel } from './timed-channel.ts';
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
  /** CHANNEL_DAILY_TOKENS: checked before a model answer starts, charged after every model call. */
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
  /** Whether the job may start: a gateway that could not confirm its enqueue may have cancelled it. */
  startGate: JobStartGate;
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
  /** RETRY_WINDOW_SECONDS in ms: how long a job is re-queued (model, tool server) or a tool call repeated (restarts). */
  retryWindowMs: number;
  /** Minimum time between progress edits, to stay under chat rate limits. */
  progressIntervalMs?: number;
  /** Incident memory (src/incidents): told of each delivered model answer (findings, applied fixes). */
  incidents?: Pick<IncidentRecorder, 'answered'> | undefined;
}

/** What BullMQ hands the processor beside the job: its lock token and the job's abort signal. */
export interface JobRun {
  token?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A tool call waits for a restart at most this long inside the loop (bounded by the retry window). */
const TOOL_RETRY_WINDOW_MS = 60_000;

/**
 * Answers one queued question. Every message goes through the post ledger (intent before, id after), so a
 * retry (crash, stall, re-delivery) finds what an earlier attempt posted and never posts twice. A model or
 * tool server that is away re-queues the job with a delay (the progress message says so) until the retry
 * window is spent; a restart of the tool server or the cluster repeats the tool call. Each model call is
 * charged and audited as it returns; the job's signal stops the loop (shutdown, lock lost).
 */
export async function answerChatJob(job: Job<ChatJob>, deps: AnswerChatJobDeps, run: JobRun = {}): Promise<void> {
  const parsed = chatJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed chat job: ${parsed.error.message}`);
  const data = parsed.data;
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, platform: data.platform, attempt: job.attemptsMade + 1 });
  if ((await deps.startGate.claim(jobId)) === 'cancelled') {
    log.info({ outcome: 'cancelled' }, 'not answered: the gateway cancelled this question after an unconfirmed enqueue');
    return;
  }
  const state = await deps.replyState.read(jobId);
  if (state.done) {
    log.info('already answered; nothing to do');
    return;
  }
  const started = performance.now();
  const chatTime = { ms: 0 };
  const channel = timedChannel(deps.replyChannelFor(data), chatTime);
  const ledger = postLedger({ store: deps.replyState, jobId, state, channel, logger: log });
  const threadId = data.replyTarget.threadTs ?? (await ledger.once('root', {}, (key) => channel.postRoot(questionRootText(channel, data), key)));
  // From here on the bot takes part in the thread: a follow-up there (no mention needed) continues it.
  const conversationKey = threadKey(data.replyTarget, threadId);
  await deps.memory.markThread(conversationKey);
  // A mention without a question (or "help", or one over the limit) gets usage or a refusal; no model call.
  const notice = questionNotice(data.text, data.platform);
  if (notice !== undefined) {
    await ledger.once('notice', { threadId }, (key) => channel.postInThread(threadId, channel.format(notice), key));
    await deps.replyState.write(jobId, { answeredChunks: '1', done: '1' });
    log.info({ outcome: 'notice' }, 'answered with usage or a refusal');
    return;
  }
  const progressId = await ledger.once('progress', { threadId }, (key) => channel.postInThread(threadId, workingText, key));

  // Progress edits at a bounded rate, latest state wins; stopped before the answer replaces the message.
  let lastProgress: AgentProgress = { step: 0, running: [], done: [] };
  const progress = throttleProgress<{ agent: AgentProgress; notice?: string }>({
    intervalMs: deps.progressIntervalMs ?? 1_000,
    send: ({ agent, notice }) => channel.update(progressId, channel.format(notice === undefined ? progressText(agent) : `${progressText(agent)}\n${notice}`)),
    onError: (error) => log.warn({ err: error }, 'progress update failed'),
  });
  const showProgress = (agent: AgentProgress) => {
    lastProgress = agent;
    progress.push({ agent });
  };

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
      ledger,
      answer: typeof answer === 'string' ? markdownView(answer) : answer,
      alreadySent: state.answeredChunks,
      recordSent: (count) => deps.replyState.write(jobId, { answeredChunks: String(count) }),
      uploadSkipped: state.uploadSkipped,
      recordUploadSkipped: () => deps.replyState.write(jobId, { uploadSkipped: '1' }),
      onUploadRefused: (error) => log.warn({ err: error, reason: error.reason }, 'the chat platform refused the answer file; answering without it'),
    });
    // Range-query graphs follow the answer; the ledger and graphsPosted keep a retried job from uploading one twice.
    const upload = channel.uploadFile;
    const graphChannel: ReplyChannel =
      upload === undefined
        ? channel
        : { ...channel, uploadFile: async (at, file) => void (await ledger.once(`graph:${graphs.indexOf(file)}`, { threadId: at, kind: 'upload' }, (_key, recordFileId) => upload(at, file, { onFileId: recordFileId }))) };
    await postGraphs({ channel: graphChannel, threadId, files: graphs, alreadyPosted: state.graphsPosted, recordPosted: (count) => deps.replyState.write(jobId, { graphsPosted: String(count) }), logger: log });
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
  const budgetKey = `${data.platform}:${data.replyTarget.channel}`;
  // Charged and audited as each call returns, so an attempt that fails, is killed or stalls later has paid.
  const chargeModelCall = async (call: ModelCall) => {
    await deps.channelBudget.add(budgetKey, call.usage.inputTokens + call.usage.outputTokens);
    await deps.audit.record({ ...context, at: new Date().toISOString(), durationMs: Math.round(call.durationMs), kind: 'model_call', result: 'ok', model: call.model, step: call.step, usage: call.usage });
  };
  // The channel policy sits inside the audit, so a refused call is audited like any failed one; every repeat
  // of a call held up by a restart is audited too.
  const limited = async () => channelPolicyToolbox({ toolbox: await deps.connectToolbox(chatUserOf(data), data), policy: channelPolicyFor(deps.policy, data.replyTarget) });
  const connect = async () =>
    retryingToolbox({
      toolbox: auditedToolbox({ toolbox: await limited(), audit: deps.audit, context }),
      windowMs: Math.min(TOOL_RETRY_WINDOW_MS, deps.retryWindowMs),
      onRetry: (retry) => {
        log.warn({ tool: retry.tool, cause: retry.cause, delayMs: retry.delayMs }, 'tool call held up by a restart; retrying');
        progress.push({ agent: lastProgress, notice: toolRetryText(retry) });
      },
    });
  // Approval cards go through the ledger too: a retried job finds the card it posted, by the approval token.
  const cardChannel: ReplyChannel = {
    ...channel,
    postApproval: (at, card) => ledger.once(`approval:${card.token}`, { threadId: at }, (key) => channel.postApproval(at, card, key)),
  };
  const gated = (toolbox: Toolbox) =>
    approvalGate({
      toolbox,
      store: deps.approvals,
      settings: deps.approvalSettings,
      channel: cardChannel,
      job: data,
      jobId,
      threadId,
      conversationKey,
      chatUser: chatUserOf(data),
      audit: deps.audit,
      auditContext: context,
      scheduleExpiry: deps.scheduleApprovalExpiry,
    });
  /** Re-queues the job with a delay (the progress message says until when), or answers with the error once the window is spent. */
  const deferOrAnswer = async (error: AgentError, cause: DeferCause) => {
    const delayMs = nextDeferral({ state, cause, windowMs: deps.retryWindowMs });
    if (delayMs !== undefined && run.token !== undefined) {
      log.warn({ err: error, code: error.code, delayMs, deferrals: state.deferrals + 1 }, 'deferred: retrying later');
      await progress.stop();
      await channel.update(progressId, channel.format(`${workingText}\n${deferredText(cause, new Date(Date.now() + delayMs))}`)).catch((e: unknown) => log.warn({ err: e }, 'progress update failed'));
      await recordAnswer(undefined, `${error.code}_retrying`);
      await deferJob({ job, token: run.token, store: deps.replyState, jobId, state, delayMs });
    }
    log.warn({ err: error, code: error.code, deferrals: state.deferrals }, 'could not answer; retries spent');
    await recordAnswer(undefined, error.code);
    await finish(`⚠️ ${error.userMessage}`);
  };

  const command = deps.anthropic === undefined ? directCommand(data.text) : undefined;
  if (deps.anthropic === undefined && command === undefined) {
    await finish(notConfiguredText(data.replyTarget.platform));
    await recordAnswer(noUsage());
    return;
  }
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
      const outcome = await toolbox.call('kubectl', { command: line }, run.signal);
      run.signal?.throwIfAborted();
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
      onProgress: showProgress,
      onModelCall: chargeModelCall,
      signal: run.signal,
    });
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
    if (run.signal?.aborted === true) {
      // Shutdown or a lost lock stopped the attempt: nothing more is posted. At shutdown the job goes back to the
      // queue at once, without using an attempt, for another worker; a lost lock means another worker has it.
      log.warn({ reason: String(run.signal.reason) }, 'answer stopped by its abort signal');
      if (run.signal.reason === SHUTDOWN_REASON && run.token !== undefined) {
        await job.moveToDelayed(Date.now(), run.token);
        throw new DelayedError('handed back at shutdown');
      }
      throw error;
    }
    if (error instanceof ModelUnavailableError) return await deferOrAnswer(error, error.status === 429 ? 'model_rate_limited' : 'model_unavailable');
    if (error instanceof ToolServerUnavailableError) return await deferOrAnswer(error, 'tool_server');
    if (error instanceof AgentError) {
      log.warn({ err: error, code: error.code }, 'could not answer');
      await recordAnswer(undefined, error.code);
      await finish(`⚠️ ${error.userMessage}`);
      return;
    }
    // Retried by the queue (attempts and backoff); a job that can never finish is reported by reportUnfinishedJob.
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.error({ err: error, lastAttempt }, 'answer failed');
    await recordAnswer(undefined, lastAttempt ? 'internal_error' : 'internal_error_retrying');
    throw error;
  } finally {
    await progress.stop();
    await toolbox?.close().catch(() => undefined);
  }
}

const channelBudgetSpentText = (dailyTokens: number) =>
  `⚠️ This channel has used its daily AI budget (${dailyTokens.toLocaleString('en-US')} tokens), so I did not ask the model. It resets at 00:00 UTC.`;
