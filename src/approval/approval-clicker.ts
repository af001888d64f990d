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
 * Whether two chat users are the same person. Slack user ids (U…, W…) are unique across workspaces, and in an
 * Enterprise Grid org or a Slack Connect channel the workspace a click names (`team.id`, `user.team_id`) can differ
 * from the one the question came through, so Slack users compare by user id alone. Teams (AAD object id in a
 * tenant) and the console (a name in its realm) compare exactly.
 */
export function sameChatUser(
  a: { platform: string; teamId: string; id: string },
  b: { platform: string; teamId: string; id: string },
): boolean {
  if (a.platform !== b.platform || a.id !== b.id) return false;
  return a.platform === 'slack' || a.teamId === b.teamId;
}

/**
 * Whether an approver entry names `clicker`: a chat user id `<platform>:<team>:<user>` names that user (on Slack
 * whatever workspace the click names, see sameChatUser); a bare id (APPROVERS' Slack user ids, U0123) names that
 * Slack user.
 */
export function approverMatches(entry: string, clicker: ApprovalClicker): boolean {
  if (!entry.includes(':')) return clicker.platform === 'slack' && entry === clicker.id;
  const named = parseChatUserId(entry);
  return named !== undefined && sameChatUser(named, clicker);
}

/** `<platform>:<team>:<user>` split into its parts (the team has no colon; the user may have them). */
function parseChatUserId(entry: string): { platform: string; teamId: string; id: string } | undefined {
  const match = /^([^:]+):([^:]*):(.+)$/.exec(entry);
  return match === null ? undefined : { platform: match[1] ?? '', teamId: match[2] ?? '', id: match[3] ?? '' };
}

/** An approver entry as the clicker's platform shows it: a Slack mention on Slack, the id elsewhere. */
export function mentionOf(entry: string, platform: Platform): string {
  if (platform !== 'slack') return entry;
  if (!entry.includes(':')) return `<@${entry}>`;
  const [entryPlatform, , user] = entry.split(':');
  return entryPlatform === 'slack' && user !== undefined ? `<@${user}>` : entry;
}
