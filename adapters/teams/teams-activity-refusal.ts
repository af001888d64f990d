import type { TeamsActivity } from './teams-activity-job.ts';

export interface TeamsActivityRefusalOptions {
  activity: TeamsActivity;
  /** The connector's mode: only emulator mode serves the Bot Framework Emulator's `emulator` channel. */
  mode: 'authenticated' | 'emulator';
  /** The tenants served (TEAMS_ALLOWED_TENANTS); undefined: any. */
  allowedTenants: readonly string[] | undefined;
}

/**
 * Why an authenticated, well-formed activity is still not served, or undefined when it is:
 * - its channel is not Microsoft Teams. The Bot Connector signs Web Chat, Direct Line and other channels' activities
 *   with the same keys, and there the client names its own user, so `from.aadObjectId` proves nothing;
 * - its tenant is not allowed: the one in `conversation.tenantId` and the one in `channelData.tenant.id` must both be
 *   allowed where present, and at least one must be.
 */
export function teamsActivityRefusal({ activity, mode, allowedTenants }: TeamsActivityRefusalOptions): string | undefined {
  const channels = mode === 'emulator' ? ['msteams', 'emulator'] : ['msteams'];
  if (!channels.includes(activity.channelId)) return `channel ${activity.channelId} is not served (only ${channels.join(' and ')})`;
  if (allowedTenants === undefined) return undefined;
  const tenants = [activity.conversation.tenantId, activity.channelData?.tenant?.id].filter(
    (t): t is string => t !== undefined && t !== '',
  );
  if (tenants.length === 0) return 'the activity names no tenant, and only listed tenants are served (TEAMS_ALLOWED_TENANTS)';
  const foreign = tenants.find((t) => !allowedTenants.includes(t));
  return foreign === undefined ? undefined : `tenant ${foreign} is not served (TEAMS_ALLOWED_TENANTS)`;
}
