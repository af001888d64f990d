import type Anthropic from '@anthropic-ai/sdk';
import { noUsage } from '../../agent/run-agent.ts';
import { questionNotice } from '../../chat/question-notice.ts';
import type { ChatJob } from '../../queue/chat-job.ts';
import { notConfiguredText } from '../direct-answer.ts';
import { directCommand } from '../direct-command.ts';
import type { JobContext } from './job-context.ts';
import type { JobReply } from './job-reply.ts';

/**
 * How the job is answered: with usage or a refusal (no model call, nothing else posted), with a fixed reply,
 * by running a kubectl-style command (direct mode, no model), or by the model.
 */
export type Preflight =
  | { kind: 'notice'; text: string }
  | { kind: 'reply'; reply: JobReply }
  | { kind: 'direct'; command: string }
  | { kind: 'model'; anthropic: Anthropic };

/** The channel whose daily token budget a job spends. */
export const budgetKeyOf = (data: ChatJob): string => `${data.platform}:${data.replyTarget.channel}`;

/** Decides, before anything is asked of the model or the cluster, how the question is answered. */
export async function preflight({ data, deps }: Pick<JobContext, 'data' | 'deps'>): Promise<Preflight> {
  const { anthropic, channelBudget } = deps;
  // A mention without a question (or "help", or one over the limit) gets usage or a refusal.
  const notice = questionNotice(data.text, data.platform, { ai: anthropic !== undefined });
  if (notice !== undefined) return { kind: 'notice', text: notice };
  if (anthropic === undefined) {
    const command = directCommand(data.text);
    if (command !== undefined) return { kind: 'direct', command };
    return { kind: 'reply', reply: { answer: notConfiguredText(data.replyTarget.platform), audit: { usage: noUsage() } } };
  }
  if (await channelBudget.isSpent(budgetKeyOf(data))) {
    return {
      kind: 'reply',
      reply: {
        answer: channelBudgetSpentText(channelBudget.dailyTokens),
        audit: { error: 'channel_budget_spent' },
        logged: { fields: { outcome: 'channel_budget_spent' }, message: 'not answered: the channel spent its daily token budget' },
      },
    };
  }
  return { kind: 'model', anthropic };
}

export const channelBudgetSpentText = (dailyTokens: number) =>
  `⚠️ This channel has used its daily AI budget (${dailyTokens.toLocaleString('en-US')} tokens), so I did not ask the model. It resets at 00:00 UTC.`;
