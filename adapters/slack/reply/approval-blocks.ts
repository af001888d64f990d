import type { KnownBlock } from '@slack/web-api';
import { approvalButtonValue } from './approval-button-value.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID, type ApprovalCard } from '../../../src/chat/approval-card.ts';
import { escapeCode, withoutBroadcastWords } from './markdown-to-mrkdwn.ts';

/** Section text is limited to 3,000 characters. */
const SECTION_CHARS = 2_800;

/**
 * The approval card as Block Kit: the action and its preview, then the buttons or the outcome. The arguments,
 * the preview and the result are model and cluster text: escaped, so nothing in them is a mention or a link;
 * the requester and the decider are our own mentions of verified ids.
 */
export function approvalBlocks(card: ApprovalCard): KnownBlock[] {
  const action = clip(`*<@${card.requesterId}> asked to run \`${escapeCode(card.tool)}\`*\n\`\`\`${escapeCode(card.argumentsText)}\`\`\``);
  const preview = clip(`*Preview (dry run, nothing changed yet):*\n\`\`\`${escapeCode(card.preview)}\`\`\``);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: action } },
    { type: 'section', text: { type: 'mrkdwn', text: preview } },
  ];
  if (card.outcome === undefined) {
    blocks.push(
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Needs a human approval · expires <!date^${Math.floor(card.expiresAt / 1000)}^{time}|${new Date(card.expiresAt).toISOString()}>`,
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'ai4k8s_approval',
        elements: [
          {
            type: 'button',
            action_id: APPROVE_ACTION_ID,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'primary',
            value: approvalButtonValue(card.token, card.actionDigest),
          },
          {
            type: 'button',
            action_id: DENY_ACTION_ID,
            text: { type: 'plain_text', text: 'Deny' },
            style: 'danger',
            value: approvalButtonValue(card.token, card.actionDigest),
          },
        ],
      },
    );
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(approvalOutcomeText(card)) } });
  }
  return blocks;
}

/** The plain-text fallback (notifications, screen readers) that also carries the whole card, nothing in it a ping. */
export function approvalText(card: ApprovalCard): string {
  const inert = (text: string) => withoutBroadcastWords(escapeCode(text));
  const head = `Approval needed: <@${card.requesterId}> asked to run ${inert(card.tool)} ${inert(card.argumentsText)}\nPreview: ${inert(card.preview)}`;
  return card.outcome === undefined ? head : `${head}\n${approvalOutcomeText(card)}`;
}

function approvalOutcomeText({ outcome }: ApprovalCard): string {
  if (outcome === undefined) return '';
  const by = outcome.by === undefined ? '' : ` by <@${outcome.by}>`;
  const result = outcome.result === undefined ? '' : `\n\`\`\`${escapeCode(outcome.result)}\`\`\``;
  if (outcome.status === 'approved') return `✅ Approved${by}.${result}`;
  if (outcome.status === 'denied') return `🚫 Denied${by}. Nothing was changed.`;
  return '⌛ Expired before anyone approved it. Nothing was changed.';
}

function clip(text: string): string {
  return text.length <= SECTION_CHARS ? text : `${text.slice(0, SECTION_CHARS - 4)}…\`\`\``;
}
