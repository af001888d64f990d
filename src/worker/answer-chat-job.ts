import type Anthropic from '@anthropic-ai/sdk';
import type { Job } from 'bullmq';
import type { Toolbox } from '../contract/toolbox.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ChannelBudget } from '../budget/channel-budget.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import type { JobStartGate } from '../queue/job-start-gate.ts';
import type { ApprovalSettings } from '../approval/approval-settings.ts';
import type { ApprovalStore } from '../approval/approval-store.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { IncidentRecorder } from '../incidents/incident-recorder.ts';
import type { ClusterName } from './cluster-name.ts';
import type { ReplyStateStore } from './reply-state.ts';
import { answer } from './steps/answer.ts';
import { openAnswering, type AnsweringContext } from './steps/answering-context.ts';
import { deliver } from './steps/deliver.ts';
import { failedReply } from './steps/failed-reply.ts';
import { openJob } from './steps/job-context.ts';
import { connectJobToolbox, type JobTools } from './steps/job-toolbox.ts';
import type { JobReply } from './steps/job-reply.ts';
import { postNotice } from './steps/notice.ts';
import { preflight } from './steps/preflight.ts';
import { record } from './steps/record.ts';
import { openThread } from './steps/thread.ts';

export interface AnswerChatJobDeps {
  /** Absent when ANTHROPIC_API_KEY is not set: questions then get a clear "AI is not configured" answer. */
  anthropic: Anthropic | undefined;
  model: string;
  maxSteps: number;
  /** AGENT_MAX_TOKENS_PER_ANSWER: the loop makes no further model call once the answer's tokens pass it. */
  maxAnswerTokens: number;
  /** AGENT_TOOL_TIMEOUT_MS: how long the loop waits for one tool call before the model is told it timed out (absent: no limit). */
  toolTimeoutMs?: number | undefined;
  /** CHANNEL_DAILY_TOKENS: checked before a model answer starts, charged after every model call. */
  channelBudget: ChannelBudget;
  /**
   * A toolbox acting as `chatUser` (the X-Ai4k8s-User identity) on the MCP server; undefined names nobody. It gets the
   * job too, for the worker-side tools whose answers depend on where the question was asked (incidents_search).
   */
  connectToolbox: (chatUser: string | undefined, job: ChatJob) => Promise<Toolbox>;
  audit: AuditLog;
  /** The cluster named in answers and audit events: a name, or where to learn it (CLUSTER_NAME, else the MCP server's kube context). */
  cluster: string | ClusterName;
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
  /**
   * JOB_LOCK_MS. With the job's lock token, each progress edit first renews the lock; an attempt that no longer holds
   * it (Redis came back without its take, or another worker has the job now) stops editing, so a late edit of a stale
   * attempt never turns a delivered answer back into "Working on it…". Absent: progress is edited unchecked.
   */
  lockMs?: number | undefined;
  /** Incident memory (src/incidents): told of each delivered model answer (findings, applied fixes). */
  incidents?: Pick<IncidentRecorder, 'answered'> | undefined;
}

/** What BullMQ hands the processor beside the job: its lock token and the job's abort signal. */
export interface JobRun {
  token?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Answers one queued question, in steps over one job context (src/worker/steps): open the job (nothing to do when
 * cancelled or done), open its thread, preflight (a notice, a fixed reply, direct mode or the model), connect the tools, answer, then
 * deliver and record the reply. Every message goes through the post ledger (intent before, id after), so a retry
 * (crash, stall, re-delivery) finds what an earlier attempt posted and never posts twice. A failed answer becomes
 * an error reply, a deferral (model or tool server away) or a rethrow (`failedReply`).
 */
export async function answerChatJob(job: Job<ChatJob>, deps: AnswerChatJobDeps, run: JobRun = {}): Promise<void> {
  const opened = await openJob({ job, deps, run });
  if (opened === undefined) return;
  const threaded = { ...opened, ...(await openThread(opened)) };
  const verdict = await preflight(threaded);
  if (verdict.kind === 'notice') return await postNotice(threaded, verdict.text);
  const ctx = await openAnswering(threaded);
  if (verdict.kind === 'reply') return await finish(ctx, verdict.reply);
  let tools: JobTools | undefined;
  try {
    tools = await connectJobToolbox(ctx);
    await finish(ctx, await answer(ctx, verdict, tools));
  } catch (error) {
    await finish(ctx, await failedReply(ctx, error));
  } finally {
    await ctx.progress.stop();
    await tools?.toolbox.close().catch(() => undefined);
  }
}

async function finish(ctx: AnsweringContext, reply: JobReply): Promise<void> {
  await deliver(ctx, reply);
  await record(ctx, reply);
}
