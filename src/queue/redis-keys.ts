/**
 * Every Redis key ai4k8s reads or writes, in one place (decision 020).
 *
 * All keys start with the hash tag `{QUEUE_PREFIX}`, so on a Redis Cluster they share one slot: BullMQ's Lua scripts
 * (which touch many keys of a queue) and our own multi-key commands and scripts never cross slots. BullMQ's own keys
 * are `{prefix}:<queue>:…` (its prefix is `queuePrefix`); ours use family names that are never a queue name, so no key
 * of ours can fall inside BullMQ's key space.
 */

/** The queue names BullMQ keys live under (`{prefix}:chat:…`); no family of ours may use one. */
export const QUEUE_NAMES = ['chat', 'approval', 'alert', 'digest'] as const;

/** The first segment after the tag of each of our key families. */
export const KEY_FAMILIES = [
  'approval-action',
  'approval-slot',
  'grant-used',
  'conversation',
  'thread',
  'reply',
  'audit',
  'console',
  'budget',
  'alert-thread',
  'alert-lock',
  'job-start',
  'model-limiter',
  'incident',
  'incidents',
  'digest-run',
  'digest-last',
] as const;

export type RedisKeys = ReturnType<typeof redisKeys>;

export function redisKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    /** The hash tag every key starts with. */
    tag,
    /** BullMQ's `prefix` option for every queue and worker. */
    queuePrefix: tag,
    /** A pending action (hash) and its single-use execution claim. */
    approvalAction: (token: string) => `${tag}:approval-action:${token}`,
    approvalClaim: (token: string) => `${tag}:approval-action:${token}:executed`,
    /** The token of the one pending action for an action digest (a retried job posts one card). */
    approvalSlot: (digest: string) => `${tag}:approval-slot:${digest}`,
    /** An approval grant id the MCP server has honoured (single use). */
    grantUsed: (grantId: string) => `${tag}:grant-used:${grantId}`,
    /** A thread's memory (messages, tool calls and results) and the mark that the bot takes part in it. */
    conversation: (threadKey: string) => `${tag}:conversation:${threadKey}`,
    threadMark: (threadKey: string) => `${tag}:thread:${threadKey}`,
    /** What a chat job has already posted (so a retry never posts twice). */
    replyState: (jobId: string) => `${tag}:reply:${jobId}`,
    /** The audit stream. */
    audit: `${tag}:audit`,
    /** A console conversation's event stream, its metadata, and the index of recent conversations. */
    consoleConversation: (id: string) => `${tag}:console:conversation:${id}`,
    consoleConversationMeta: (id: string) => `${tag}:console:conversation:${id}:meta`,
    consoleConversations: `${tag}:console:conversations`,
    /** The marker that a keyed console event was appended (a retried job appends it once). */
    consolePosted: (id: string, eventId: string) => `${tag}:console:conversation:${id}:posted:${eventId}`,
    /** Tokens a channel has spent on one UTC day (YYYY-MM-DD). */
    budget: (channelKey: string, day: string) => `${tag}:budget:${channelKey}:${day}`,
    /** An alert group's thread per destination, and the lock held while it is created. */
    alertThread: (group: string, destination: string) => `${tag}:alert-thread:${group}:${destination}`,
    alertLock: (group: string) => `${tag}:alert-lock:${group}`,
    /** Whether a chat job may start: `started` by its first worker or `cancelled` by a gateway that could not confirm it. */
    jobStart: (jobId: string) => `${tag}:job-start:${jobId}`,
    /** The shared model limiter: limits and buckets (hash), in-flight leases and waiting workers (sorted sets). */
    modelLimiterState: `${tag}:model-limiter:state`,
    modelLimiterLeases: `${tag}:model-limiter:leases`,
    modelLimiterWaiting: `${tag}:model-limiter:waiting`,
    /** Incident memory: one incident (hash) and the index of incidents by last-seen time. */
    incident: (id: string) => `${tag}:incident:${id}`,
    incidents: `${tag}:incidents`,
    /** A digest run (since, posted message, done), the claim of the run posting it, and a schedule's last digest. */
    digestRun: (jobId: string) => `${tag}:digest-run:${jobId}`,
    digestPosting: (jobId: string) => `${tag}:digest-run:${jobId}:posting`,
    digestLast: (digest: string) => `${tag}:digest-last:${digest}`,
  };
}
