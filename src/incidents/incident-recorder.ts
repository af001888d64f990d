import type Anthropic from '@anthropic-ai/sdk';
import type { ApprovalStore } from '../approval/approval-store.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import { redactText } from '../redact/redact-text.ts';
import { channelIdOf, channelPolicyFor } from '../policy/channel-policy.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { findingsOf } from './findings-of.ts';
import { incidentIdOf, type Incident } from './incident.ts';
import type { IncidentStore } from './incident-store.ts';
import { isRestricted } from './incident-visibility.ts';
import { clip } from './recurrence-note.ts';
import { threadLink } from './thread-link.ts';

export interface IncidentRecorderOptions {
  incidents: IncidentStore;
  approvals: ApprovalStore;
  memory: ConversationStore;
  policy: PolicyFile | undefined;
  slackWorkspaceUrl: () => Promise<string | undefined>;
  logger: Logger;
}

export interface AnsweredOptions {
  job: ChatJob;
  conversationKey: string;
  /** The thread's root message id. */
  threadId: string;
  /** The model's answer text. */
  text: string;
}

/**
 * What the chat worker tells incident memory after an answer was delivered: an alert investigation's findings
 * become its incident's cause (a first answer in an alert thread does, when no investigation ran), and an
 * approved action that ran becomes a fix — of the thread's incident, or of a new question incident when the
 * thread had none. Never throws: memory is a help, not part of the answer.
 */
export function incidentRecorder({ incidents, approvals, memory, policy, slackWorkspaceUrl, logger }: IncidentRecorderOptions) {
  return {
    async answered({ job, conversationKey, threadId, text }: AnsweredOptions): Promise<void> {
      try {
        const id = incidentIdOf(conversationKey);
        const findings = findingsOf(text);
        const fix = job.continuation === undefined ? undefined : await appliedFix(approvals, job.continuation.approvalToken);
        if (fix === undefined && findings === undefined) return;
        const now = new Date().toISOString();
        const existing = await incidents.read(id);
        if (existing === undefined && fix === undefined) return;
        const earlier = existing === undefined ? await previousFindings(memory, conversationKey, job.text) : undefined;
        const link = existing?.link ?? threadLink(job.replyTarget, threadId, { slackWorkspaceUrl: await slackWorkspaceUrl() });
        await incidents.update(id, (current) => {
          const base: Incident = current ?? {
            id,
            kind: 'question',
            threadKey: conversationKey,
            channel: channelIdOf(job.replyTarget),
            restricted: isRestricted(channelPolicyFor(policy, job.replyTarget)),
            ...(link === undefined ? {} : { link }),
            title: clip(earlier ?? findings ?? 'question thread', 120),
            labels: {},
            ...(fix?.namespace === undefined ? {} : { namespace: fix.namespace }),
            ...(fix?.workload === undefined ? {} : { workload: fix.workload }),
            startedAt: job.receivedAt,
            lastSeenAt: now,
            ...(earlier === undefined ? {} : { cause: earlier }),
            fixes: [],
          };
          const takesCause =
            findings !== undefined && fix === undefined && (job.purpose === 'alert_investigation' || base.cause === undefined);
          return {
            ...base,
            lastSeenAt: now,
            ...(takesCause ? { cause: findings } : {}),
            fixes: fix === undefined || base.fixes.includes(fix.text) ? base.fixes : [...base.fixes, fix.text],
          };
        });
      } catch (error) {
        logger.warn({ err: error, conversationKey }, 'could not record the answer in incident memory');
      }
    },
  };
}

export type IncidentRecorder = ReturnType<typeof incidentRecorder>;

/** An approved action that ran without error, as a fix: "rollout_undo shop/checkout". */
async function appliedFix(
  approvals: ApprovalStore,
  token: string,
): Promise<{ text: string; namespace?: string; workload?: string } | undefined> {
  const stored = await approvals.read(token);
  if (stored === undefined || stored.status !== 'approved' || stored.result === undefined || stored.result.isError) return undefined;
  const args = stored.action.arguments;
  const namespace = typeof args.namespace === 'string' ? args.namespace : undefined;
  const name = typeof args.name === 'string' ? args.name : undefined;
  const extra = Object.entries(args)
    .filter(
      ([key, value]) =>
        !['namespace', 'name', 'dryRun', 'context'].includes(key) &&
        (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'),
    )
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
  const target = [namespace, name].filter((part) => part !== undefined).join('/');
  return {
    text: clip(redactText(`${stored.action.tool}${target === '' ? '' : ` ${target}`}${extra === '' ? '' : ` ${extra}`}`), 160),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { workload: name }),
  };
}

/**
 * The findings of the thread's last answer before this one (whose turn starts with `question`): what a question
 * thread had found when the fix was asked for.
 */
async function previousFindings(memory: ConversationStore, conversationKey: string, question: string): Promise<string | undefined> {
  // Only the assistant's own text is read here, never a tool result: no reader identity is needed.
  const history: Anthropic.MessageParam[] = await memory.history(conversationKey, { reader: undefined });
  const turnStart = history.findLastIndex((message) => message.role === 'user' && message.content === question);
  for (const message of history.slice(0, turnStart === -1 ? history.length : turnStart).reverse()) {
    if (message.role !== 'assistant') continue;
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
    const findings = findingsOf(text);
    if (findings !== undefined) return findings;
  }
  return undefined;
}
