import { APPROVE_ACTION_ID, DENY_ACTION_ID, type ApprovalCard } from '../../../src/chat/approval-card.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Teams messages are capped at about 28 KB; a preview longer than this is cut with a note. */
const BLOCK_CHARS = 2_800;

/** What an Approve / Deny button submits; Teams delivers it as the `value` of a message activity. */
export interface ApprovalSubmitData {
  ai4k8sAction: typeof APPROVE_ACTION_ID | typeof DENY_ACTION_ID;
  token: string;
  /** actionDigest of the action the card shows (absent on cards from before approval grants). */
  digest?: string;
}

type CardElement = Record<string, unknown>;

/**
 * The approval card as an Adaptive Card (schema 1.4, which Teams renders): the action, its dry-run preview, then
 * Approve / Deny (Action.Submit carrying the token) while pending, or the outcome and who decided once decided.
 */
export function approvalAdaptiveCard(card: ApprovalCard): { contentType: string; content: CardElement } {
  const body: CardElement[] = [
    { type: 'TextBlock', text: card.outcome === undefined ? 'Approval needed' : 'Approval', weight: 'Bolder', size: 'Medium' },
    { type: 'TextBlock', text: `${inert(card.requesterId)} asked to run **${inert(card.tool)}**`, wrap: true },
    monospace(card.argumentsText),
    { type: 'TextBlock', text: 'Preview (dry run, nothing changed yet):', wrap: true, weight: 'Bolder', spacing: 'Medium' },
    monospace(card.preview),
  ];
  const content: CardElement = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
  };
  if (card.outcome === undefined) {
    const expires = new Date(card.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    body.push({
      type: 'TextBlock',
      text: `Needs a human approval · expires {{TIME(${expires})}}`,
      isSubtle: true,
      wrap: true,
      spacing: 'Medium',
    });
    content.actions = [submit('Approve', APPROVE_ACTION_ID, card, 'positive'), submit('Deny', DENY_ACTION_ID, card, 'destructive')];
  } else {
    body.push({ type: 'TextBlock', text: outcomeText(card.outcome), wrap: true, weight: 'Bolder', spacing: 'Medium' });
    if (card.outcome.result !== undefined) body.push(monospace(card.outcome.result));
  }
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/** The card's plain-text summary, sent as the activity's text (notifications and screen readers). */
export function approvalSummary(card: ApprovalCard): string {
  const head = `Approval needed: ${card.requesterId} asked to run ${card.tool}`;
  return card.outcome === undefined ? head : `${head}. ${outcomeText(card.outcome)}`;
}

function outcomeText(outcome: NonNullable<ApprovalCard['outcome']>): string {
  const who = outcome.byName === undefined ? outcome.by : inert(outcome.byName);
  const by = who === undefined ? '' : ` by ${who}`;
  if (outcome.status === 'approved') return `✅ Approved${by}.`;
  if (outcome.status === 'denied') return `🚫 Denied${by}. Nothing was changed.`;
  return '⌛ Expired before anyone approved it. Nothing was changed.';
}

function submit(
  title: string,
  action: ApprovalSubmitData['ai4k8sAction'],
  { token, actionDigest }: ApprovalCard,
  style: string,
): CardElement {
  const data: ApprovalSubmitData = { ai4k8sAction: action, token, ...(actionDigest === undefined ? {} : { digest: actionDigest }) };
  return { type: 'Action.Submit', title, style, data };
}

function monospace(text: string): CardElement {
  const clipped = text.length <= BLOCK_CHARS ? text : `${text.slice(0, BLOCK_CHARS)}… (cut)`;
  return { type: 'TextBlock', text: inert(clipped), fontType: 'Monospace', wrap: true };
}

/**
 * A TextBlock renders Markdown links and evaluates `{{DATE(…)}}`/`{{TIME(…)}}`: in model and cluster text (the
 * arguments, the preview, the result) a zero-width space breaks `](` and `{{`, so a label cannot hide a URL and
 * nothing is evaluated. A bare URL still shows, as itself.
 */
function inert(text: string): string {
  return text.replaceAll('](', ']\u200B(').replaceAll('{{', '{\u200B{');
}
