import type { ApprovalCard } from '../../chat/approval-card.ts';
import { formatWithMention } from '../../chat/format-with-mention.ts';
import type { ApprovalContext } from './approval-context.ts';
import { outcomeUnknownText, type ActionResult } from './execute-action.ts';

/** Replaces the card with its outcome (no buttons); a retry updates it again, which changes nothing. */
export async function updateCard(
  { token, stored, decision, decidedBy, decidedByName, channel }: ApprovalContext,
  result: ActionResult | undefined,
): Promise<void> {
  if (stored.cardId === undefined) return;
  const { action } = stored;
  const card: ApprovalCard = {
    token,
    tool: action.tool,
    argumentsText: JSON.stringify(action.arguments),
    preview: action.preview,
    requesterId: action.requester.id,
    expiresAt: action.expiresAt,
    outcome: { status: decision, by: decidedBy, byName: decidedByName, result: result === undefined ? undefined : firstLines(result.text) },
  };
  await channel.updateApproval(stored.cardId, card);
}

/** Says the outcome in the thread once (`outcomePosted`), naming the decider by a mention of their verified id. */
export async function postOutcome(ctx: ApprovalContext, result: ActionResult | undefined): Promise<void> {
  const { stored, channel, decidedBy, deps, token } = ctx;
  if (stored.outcomePosted) return;
  // The mention goes in after the untrusted result is formatted.
  const text = formatWithMention(channel, decidedBy ?? '', (mention) => outcomeMessage(ctx, result, mention));
  await channel.postInThread(stored.action.threadId, text);
  await deps.store.setField(token, 'outcomePosted', '1');
}

function outcomeMessage(
  { stored, decision, decidedBy: by, decidedByName: byName }: ApprovalContext,
  result: ActionResult | undefined,
  mention: string,
): string {
  const what = `\`${stored.action.tool}\``;
  const who = byName ?? (by === undefined ? 'someone' : by.includes(':') ? by : mention);
  if (decision === 'denied') return `🚫 ${who} denied ${what}. Nothing was changed.`;
  if (decision === 'expired') return `⌛ The approval for ${what} expired. Nothing was changed.`;
  const text = result?.text ?? outcomeUnknownText;
  if (result?.isError === true) return `⚠️ ${what} approved by ${who} did not complete: ${text}`;
  return `✅ ${what} approved by ${who} and applied:\n\`\`\`\n${text}\n\`\`\``;
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 6).join('\n').slice(0, 1_500);
}
