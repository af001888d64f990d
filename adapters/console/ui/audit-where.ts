/** The fields of an audit row that say where it happened. */
export interface AuditPlace {
  platform: string;
  channel: string;
  cluster: string;
  /** The first words of the question the event belongs to, when the gateway could find them. */
  question?: string | undefined;
}

/**
 * How the audit view names a conversation: platform, channel and the first words of its question, then the
 * cluster — `console 3f9a1c2e… “why is checkout crashing?” @ prod`. A console conversation's channel is a long id,
 * so only its start is shown.
 */
export function auditWhere({ platform, channel, cluster, question }: AuditPlace): string {
  const shownChannel = platform === 'console' && channel.length > 12 ? `${channel.slice(0, 8)}…` : channel;
  const asked = question === undefined || question === '' ? '' : ` “${question}”`;
  return `${platform} ${shownChannel}${asked} @ ${cluster}`;
}
