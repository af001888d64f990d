import type { ApprovalCard, ConsoleApi } from './console-api.ts';
import { el } from './dom.ts';

export interface ApprovalCardOptions {
  card: ApprovalCard;
  /** Whether the signed-in user may decide (a verified identity); the API refuses otherwise anyway. */
  canApprove: boolean;
  conversationId: string | null;
  api: ConsoleApi;
}

/** An approval card: the exact action, who asked, and Approve / Deny for a verified user, or its outcome once decided. */
export function renderApprovalCard(target: HTMLElement, { card, canApprove, conversationId, api }: ApprovalCardOptions): void {
  const outcome = card.outcome;
  const expired = outcome === undefined && Date.now() > card.expiresAt;
  target.classList.toggle('decided', outcome !== undefined || expired);
  const parts: HTMLElement[] = [
    el('h4', `Approval needed: ${card.tool}`),
    el(
      'div',
      `Asked by ${card.requesterId}${outcome === undefined ? ` · expires ${new Date(card.expiresAt).toLocaleTimeString()}` : ''}`,
      'who',
    ),
    el('pre', card.preview),
    el('pre', card.argumentsText, 'args'),
  ];
  if (outcome !== undefined) {
    const verb = outcome.status === 'approved' ? 'Approved' : outcome.status === 'denied' ? 'Denied' : 'Expired';
    parts.push(el('p', verb + (outcome.by ? ` by ${outcome.by}` : ''), 'card-outcome'));
    if (outcome.result) parts.push(el('pre', outcome.result));
  } else if (expired) {
    parts.push(el('p', 'Expired: nothing was changed.', 'card-outcome'));
  } else if (!canApprove) {
    // The API refuses it too: deciding needs a verified identity, which the shared token is not.
    parts.push(
      el('p', 'Approving or denying needs a verified identity: your own console account or single sign-on.', 'card-note unverified'),
    );
  } else {
    const actions = el('div', undefined, 'actions');
    const note = el('p', '', 'error card-note');
    const buttons = (disabled: boolean) => {
      for (const b of actions.querySelectorAll('button')) b.disabled = disabled;
    };
    for (const [label, decision, cls] of [
      ['Approve', 'approved', 'approve'],
      ['Deny', 'denied', 'deny'],
    ] as const) {
      const button = el('button', label, cls);
      button.type = 'button';
      button.addEventListener('click', () => {
        buttons(true);
        void api<{ done?: boolean }>('/console/api/approval', {
          token: card.token,
          digest: card.actionDigest,
          decision,
          conversationId,
        }).then((result) => {
          if (result.ok && result.data.done === true) note.textContent = `Decision sent: ${decision}.`;
          else {
            note.textContent = `Not done: ${result.data.message ?? result.data.error ?? result.status}`;
            buttons(false);
          }
        });
      });
      actions.append(button);
    }
    parts.push(actions, note);
  }
  target.replaceChildren(...parts);
}
