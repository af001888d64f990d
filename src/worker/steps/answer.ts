import type Anthropic from '@anthropic-ai/sdk';
import type { Toolbox } from '../../contract/toolbox.ts';
import { noUsage, runAgent, type ModelCall } from '../../agent/run-agent.ts';
import { maxSteps, tokenBudget } from '../../agent/stop-conditions.ts';
import { systemPrompt } from '../../agent/system-prompt.ts';
import { untilTurnRemembered } from '../../approval/until-turn-remembered.ts';
import type { ReplyChannel } from '../../chat/reply-channel.ts';
import { TOOL_NAMES } from '../../contract/tool-names.ts';
import { answerMonitoring } from '../../graphs/answer-monitoring.ts';
import { takesGraphs } from '../../graphs/post-graphs.ts';
import { approvalGate } from '../approval-gate.ts';
import { chatUserOf } from '../chat-user-of.ts';
import { composeAnswerView } from '../compose-answer.ts';
import { directAnswer } from '../direct-answer.ts';
import type { AnsweringContext } from './answering-context.ts';
import type { JobTools } from './job-toolbox.ts';
import type { JobReply } from './job-reply.ts';
import { budgetKeyOf } from './preflight.ts';

/** How `answer` answers: a kubectl-style command (direct mode), or the model. */
export type AnswerBy = { kind: 'direct'; command: string } | { kind: 'model'; anthropic: Anthropic };

/**
 * Answers the question with the job's tools (`connectJobToolbox`; the caller closes them once the reply is
 * delivered): direct mode runs the command through the kubectl tool (which refuses what it does not allow);
 * otherwise the model's tool loop runs, its writes held for approval, each model call charged and audited as it
 * returns. Errors are thrown for `failedReply`.
 */
export async function answer(ctx: AnsweringContext, by: AnswerBy, tools: JobTools): Promise<JobReply> {
  if (by.kind === 'model') return await modelAnswer(ctx, by.anthropic, tools);
  const outcome = await tools.toolbox.call(TOOL_NAMES.kubectl, { command: by.command }, ctx.run.signal);
  ctx.run.signal?.throwIfAborted();
  return {
    answer: directAnswer(by.command, outcome, ctx.cluster),
    audit: { usage: noUsage() },
    logged: { fields: { outcome: 'direct', isError: outcome.isError }, message: 'answered' },
  };
}

async function modelAnswer(ctx: AnsweringContext, anthropic: Anthropic, { toolbox, connectMs }: JobTools): Promise<JobReply> {
  const { deps, data, channel, conversationKey, auditContext, progress, run } = ctx;
  if (data.continuation !== undefined)
    await untilTurnRemembered({ memory: deps.memory, conversationKey, jobId: data.continuation.afterJobId });
  const history = await deps.memory.history(conversationKey, { reader: chatUserOf(data) });
  const agentToolbox = gatedToolbox(ctx, toolbox);
  const answer = await runAgent({
    anthropic,
    model: deps.model,
    system: systemPrompt(agentToolbox),
    question: data.text,
    history,
    toolbox: agentToolbox,
    stopWhen: [maxSteps(deps.maxSteps), tokenBudget(deps.maxAnswerTokens)],
    ...(deps.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: deps.toolTimeoutMs }),
    onProgress: (agent) => progress.show(agent),
    // Charged, then audited, as each call returns, so an attempt that fails, is killed or stalls later has paid.
    onStepFinish: [(call) => chargeChannel(ctx, call), (call) => auditModelCall(ctx, call)],
    signal: run.signal,
  });
  // Grafana links and graphs of the range queries the model ran; snapshot delete URLs go to the audit log first.
  const monitoring = answerMonitoring(answer.toolCalls, { charts: takesGraphs(channel) });
  for (const event of monitoring.snapshotEvents(auditContext)) await deps.audit.record(event);
  const limits = { maxSteps: deps.maxSteps, maxAnswerTokens: deps.maxAnswerTokens };
  return {
    answer: monitoring.withLinks(composeAnswerView(answer, limits, ctx.cluster)),
    turn: answer.transcript,
    graphs: monitoring.graphs,
    ...(data.purpose === 'alert_investigation' ? { findings: answer.text } : {}),
    answeredText: answer.text,
    audit: { usage: answer.usage },
    logged: {
      fields: {
        outcome: answer.outcome,
        steps: answer.steps,
        tools: answer.toolCalls.length,
        historyMessages: history.length,
        usage: answer.usage,
      },
      message: 'answered',
      timings: { mcpConnectMs: connectMs, modelMs: Math.round(answer.timings.modelMs), toolsMs: Math.round(answer.timings.toolsMs) },
    },
  };
}

/** The channel's daily token budget pays for each model call. */
async function chargeChannel({ deps, data }: AnsweringContext, call: ModelCall): Promise<void> {
  await deps.channelBudget.add(budgetKeyOf(data), call.usage.inputTokens + call.usage.outputTokens);
}

/** Each model call is a `model_call` audit event (and through it a /metrics count). */
async function auditModelCall({ deps, auditContext }: AnsweringContext, call: ModelCall): Promise<void> {
  await deps.audit.record({
    ...auditContext,
    at: new Date().toISOString(),
    durationMs: Math.round(call.durationMs),
    kind: 'model_call',
    result: 'ok',
    model: call.model,
    step: call.step,
    usage: call.usage,
  });
}

/** A write the model asks for becomes an approval card; cards go through the ledger, found again by their token. */
function gatedToolbox(
  { deps, data, jobId, threadId, conversationKey, channel, ledger, auditContext }: AnsweringContext,
  toolbox: Toolbox,
): Toolbox {
  const cardChannel: ReplyChannel = {
    ...channel,
    postApproval: (at, card) => ledger.once(`approval:${card.token}`, { threadId: at }, (key) => channel.postApproval(at, card, key)),
  };
  return approvalGate({
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
    auditContext,
    scheduleExpiry: deps.scheduleApprovalExpiry,
  });
}
