import type { Platform } from '../queue/chat-job.ts';

/** Who clicked Approve or Deny, as the platform names them. */
export interface ApprovalClicker {
  platform: Platform;
  /** Slack workspace (T…), Teams tenant, or the console's realm. */
  teamId: string;
  /** The platform's user id (Slack U…, Teams AAD object id, console user name). */
  id: string;
  /** Where the click happened (channel or conversation id); only used to audit a click on an unknown token. */
  channel?: string | undefined;
  /** The display name the platform sent (Teams `from.name`): shown on the card, never used to decide or audit. */
  name?: string | undefined;
}

/** `<platform>:<team>:<user>`, the form policy files and X-Ai4k8s-User use. */
export function chatUserIdOf(who: { platform: string; teamId: string; id: string }): string {
  return `${who.platform}:${who.teamId}:${who.id}`;
}

/**
 * Whether an approver entry names `clicker`: a chat user id matches exactly; a bare id (APPROVERS' Slack
 * user ids, U0123) matches that Slack user in any workspace.
 */
export function approverMatches(entry: string, clicker: ApprovalClicker): boolean {
  if (entry.includes(':')) return entry === chatUserIdOf(clicker);
  return clicker.platform === 'slack' && entry === clicker.id;
}

/** An approver entry as the clicker's platform shows it: a Slack mention on Slack, the id elsewhere. */
export function mentionOf(entry: string, platform: Platform): string {
  if (platform !== 'slack') return entry;
  if (!entry.includes(':')) return `<@${entry}>`;
  const [entryPlatform, , user] = entry.split(':');
  return entryPlatform === 'slack' && user !== undefined ? `<@${user}>` : entry;
}
