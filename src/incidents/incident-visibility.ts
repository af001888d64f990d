import { admits, type ChannelPolicy } from '../policy/channel-policy.ts';
import type { Incident } from './incident.ts';

/** Whether a channel policy limits what its channel may see (namespaces or kube contexts). */
export const isRestricted = (policy: ChannelPolicy): boolean => !admits(policy.namespaces, '*') || !admits(policy.contexts, '*');

/**
 * Whether an incident may be shown in a channel: always in its own; elsewhere only when it came from an
 * unrestricted channel and the asking channel may see its namespace (one limited to namespaces sees no
 * incident without one).
 */
export function visibleIn(incident: Incident, { channel, policy }: { channel: string; policy: ChannelPolicy }): boolean {
  if (incident.channel === channel) return true;
  if (incident.restricted) return false;
  return incident.namespace === undefined ? admits(policy.namespaces, '*') : admits(policy.namespaces, incident.namespace);
}
