import { MAX_QUESTION_CHARS } from '../chat/question-notice.ts';
import { untrustedFenceClosing } from '../contract/fence-untrusted.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import type { PendingAction } from '../queue/pending-action.ts';

/** The outcome is the follow-up's question, so it must stay under the question limit; arguments are cut first. */
const OUTCOME_CHARS = MAX_QUESTION_CHARS - 100;
const ARGS_CHARS = 300;

export interface ContinuationJobOptions {
  action: PendingAction;
  decision: ApprovalJob['decision'];
  decidedBy: string | undefined;
  /** The applied call's result, for an approval. */
  result: { text: string; isError: boolean } | undefined;
  now?: Date;
}

/**
 * The chat job that lets the model continue a thread after a human decided its write: the same thread, memory and
 * requester (so the same Kubernetes identity), with the outcome as the next user turn. Its delivery id derives from
 * the approval token, so however often the approval job runs, the conversation continues once.
 */
export function continuationJob({ action, decision, decidedBy, result, now = new Date() }: ContinuationJobOptions): ChatJob {
  return {
    platform: action.replyTarget.platform,
    deliveryId: `approval-outcome:${action.token}`,
    conversationKey: action.conversationKey,
    replyTarget: { ...action.replyTarget, threadTs: action.threadId },
    user: action.requester,
    text: outcomeForModel({ action, decision, decidedBy, result }),
    receivedAt: now.toISOString(),
    continuation: { approvalToken: action.token, afterJobId: action.jobId },
  };
}

/** What the model is told happened to the write it asked for, and what to do next. */
export function outcomeForModel({ action, decision, decidedBy, result }: Omit<ContinuationJobOptions, 'now'>): string {
  const args = JSON.stringify(action.arguments);
  const call = `${action.tool} ${args.length > ARGS_CHARS ? `${args.slice(0, ARGS_CHARS)}…` : args}`;
  const who = decidedBy === undefined ? 'someone' : decidedBy.includes(':') ? decidedBy : `<@${decidedBy}>`;
  const header = '[approval outcome — this message comes from ai4k8s, not from the user]';
  switch (decision) {
    case 'denied':
      return `${header}\n${who} denied ${call}. Nothing was changed. Acknowledge it briefly; do not ask for the same change again unless the user asks.`;
    case 'expired':
      return `${header}\nThe approval for ${call} expired before anyone approved it. Nothing was changed. Tell the user briefly; they can ask again for a fresh approval.`;
    case 'approved': {
      const failed = result === undefined || result.isError;
      const lead = `${header}\n${who} approved ${call}${failed ? ', but it did not complete:' : ' and it was applied:'}\n`;
      const next = failed
        ? "\nTell the user what went wrong; check the cluster's current state with read tools before suggesting anything."
        : '\nVerify with read tools that the change had the intended effect (e.g. the rollout or the replicas now), then tell the user briefly.';
      const room = OUTCOME_CHARS - lead.length - next.length;
      const text = result?.text ?? 'the outcome is unknown';
      return `${lead}${text.length > room ? shortened(text, room) : text}${next}`;
    }
  }
}

/**
 * A result cut to `room` characters. Cutting inside an untrusted-data fence would leave cluster text unfenced, so
 * the cut keeps only the tool's own lines before the first fence; the model can read the rest again.
 */
function shortened(text: string, room: number): string {
  const lines = text.split('\n');
  const fence = lines.findIndex((line) => untrustedFenceClosing(line) !== undefined);
  const own = (fence === -1 ? lines : lines.slice(0, Math.max(0, fence - 1))).join('\n');
  const note = fence === -1 ? '\n… (result shortened)' : '\n… (result shortened; its cluster data is left out, read it again if needed)';
  return `${own.slice(0, Math.max(0, room - note.length))}${note}`;
}
