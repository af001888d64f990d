/**
 * What an approval card's Approve / Deny buttons carry back: `<token>.<digest>`, the digest being actionDigest of the
 * action the card shows. The platform delivers it signed (Slack) or authenticated (Teams, console), so the gateway
 * can tell whether the action stored under the token is still the one the human saw.
 */
export function approvalButtonValue(token: string, digest: string | undefined): string {
  return digest === undefined ? token : `${token}.${digest}`;
}

/** The token and digest of a button value (untrusted: both are checked by decideApproval). */
export function parseApprovalButtonValue(value: string): { token: string; digest: string | undefined } {
  const dot = value.indexOf('.');
  return dot === -1 ? { token: value, digest: undefined } : { token: value.slice(0, dot), digest: value.slice(dot + 1) };
}
