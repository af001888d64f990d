import { UnrecoverableError, type Job } from 'bullmq';
import { PostLookupError } from '../chat/errors.ts';
import type { PostKey, ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import { threadKey } from '../memory/thread-key.ts';
import { alertJobSchema, type AlertNotification } from '../queue/alert-job.ts';
import type { ChatJob, ReplyTarget } from '../queue/chat-job.ts';
import { destinationId, routeAlert, type AlertDestination, type AlertRoutes } from './alert-routes.ts';
import { alertChangeText, alertContextText, alertRootText } from './alert-text.ts';
import type { AlertThreadStore } from './alert-thread-store.ts';
import { investigationJob } from './investigation-job.ts';
import type { AlertThreadHooks } from './alert-thread-hooks.ts';
import { isNewEpisode } from './new-episode.ts';

export interface HandleAlertJobDeps {
  routes: AlertRoutes;
  threads: AlertThreadStore;
  memory: ConversationStore;
  replyChannelFor: (target: ReplyTarget) => ReplyChannel;
  /** The Slack workspace of the bot, as Slack events name it (`team_id`): part of the thread's conversation key. */
  slackTeamId: () => Promise<string>;
  /** Enqueues an automatic investigation (a chat job); the job id dedupes it. */
  enqueueInvestigation: (job: ChatJob) => Promise<string>;
  /** Incident memory, the timeline of changes and runbooks (src/incidents); absent: plain alert threads. */
  incidents?: AlertThreadHooks | undefined;
  logger: Logger;
}

/**
 * One Alertmanager notification: for each routed destination, opens the group's thread (root message,
 * alert pinned in the thread memory) or, when the group changed, updates the root, adds a line and
 * replaces the pinned alert with its latest state; then, if
 * the policy says so, asks for an investigation. A destination that fails fails the job (retried); the
 * ones already done see no change the second time and do nothing.
 */
export async function handleAlertJob(job: Job, deps: HandleAlertJobDeps): Promise<void> {
  const parsed = alertJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed alert job: ${parsed.error.message}`);
  const { notification, receivedAt } = parsed.data;
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, groupKey: notification.groupKey, status: notification.status });
  const routing = routeAlert(deps.routes, notification);
  if (routing.destinations.length === 0) {
    log.warn('alert notification not routed: no policy route matched and no ALERTS_SLACK_CHANNEL / ALERTS_TEAMS_CONVERSATION');
    return;
  }
  const failures: unknown[] = [];
  await deps.threads.withGroupLock(notification.groupKey, async () => {
    for (const destination of routing.destinations) {
      try {
        await notifyDestination({ notification, receivedAt, jobId, destination, investigate: routing.investigate, deps, log });
      } catch (error) {
        log.error({ err: error, destination: destinationId(destination) }, 'alert thread update failed');
        failures.push(error);
      }
    }
  });
  if (failures.length > 0) throw failures[0];
}

/** The digest of a thread whose root is posted but whose opening (memory) is not yet complete. */
const OPENING = '';

interface NotifyOptions {
  notification: AlertNotification;
  receivedAt: string;
  jobId: string;
  destination: AlertDestination;
  investigate: boolean;
  deps: HandleAlertJobDeps;
  log: Logger;
}

async function notifyDestination({ notification, receivedAt, jobId, destination, investigate, deps, log }: NotifyOptions): Promise<void> {
  const where = destinationId(destination);
  // A Teams reference without a conversationType is a channel (the shape ALERTS_TEAMS_CONVERSATION documents):
  // without it the reply channel would post every line of the thread as a new post instead of into the reply chain.
  const target: ReplyTarget =
    destination.platform === 'slack'
      ? { platform: 'slack', teamId: await deps.slackTeamId(), channel: destination.channel }
      : { ...destination, conversationType: destination.conversationType ?? 'channel' };
  const channel = deps.replyChannelFor(target);
  const digest = groupDigest(notification);
  const stored = await deps.threads.read(notification.groupKey, where);
  // A group that resolved and fires again is a new incident: a new thread, whose root can link the last one.
  const existing = stored !== undefined && isNewEpisode(stored, notification, receivedAt) ? undefined : stored;
  const note = await deps.incidents?.rootNote({ notification, target });
  const rootText = channel.format(note === undefined ? alertRootText(notification) : `${alertRootText(notification)}\n${note}`);
  let rootId: string;
  if (existing === undefined || existing.digest === OPENING) {
    // An opening cut short after the root was posted finishes on that root instead of posting another; one cut
    // short between the chat call and the record finds the root by its key (decision 014).
    // A new episode's root is another post than the first episode's: its key names the thread it follows.
    const part = stored !== undefined && existing === undefined ? `root-after:${stored.rootId}` : 'root';
    rootId =
      existing?.rootId ?? (await postOnce({ deps, notification, where, channel, log, part }, (key) => channel.postRoot(rootText, key)));
    if (existing === undefined) await deps.threads.write(notification.groupKey, where, { rootId, digest: OPENING, receivedAt });
    else await channel.update(rootId, rootText);
    await deps.memory.pin(threadKey(target, rootId), `alert:${jobId}`, contextTurn(notification, 'opened'));
    await deps.incidents?.onThread({ notification, target, rootId, channel, jobId, opened: true });
    await deps.threads.write(notification.groupKey, where, { rootId, digest, receivedAt });
    log.info({ destination: where, rootId }, 'alert thread opened');
  } else {
    rootId = existing.rootId;
    if (existing.receivedAt >= receivedAt || existing.digest === digest) {
      await deps.threads.touch(notification.groupKey, where);
      log.info({ destination: where, stale: existing.receivedAt >= receivedAt }, 'alert thread unchanged');
      return;
    }
    await channel.update(rootId, rootText);
    await postOnce({ deps, notification, where, channel, log, part: `change:${jobId}`, threadId: rootId }, (key) =>
      channel.postInThread(rootId, channel.format(alertChangeText(notification)), key),
    );
    // Memory before the record: a retry after a failure here redoes the update rather than skip the memory.
    // The group's latest state replaces the pinned context: one alert at the start of the thread, never a stack of them.
    await deps.memory.pin(threadKey(target, rootId), `alert:${jobId}`, contextTurn(notification, 'changed'));
    await deps.incidents?.onThread({ notification, target, rootId, channel, jobId, opened: false });
    await deps.threads.write(notification.groupKey, where, { rootId, digest, receivedAt });
    log.info({ destination: where, rootId }, 'alert thread updated');
  }
  // The bot takes part in the thread: a follow-up there needs no mention.
  const conversationKey = threadKey(target, rootId);
  await deps.memory.markThread(conversationKey);
  if (investigate && notification.status === 'firing') {
    const chatJob = investigationJob({ notification, target: { ...target, threadTs: rootId }, conversationKey, destination: where });
    if (chatJob !== undefined)
      log.info({ destination: where, investigationJobId: await deps.enqueueInvestigation(chatJob) }, 'alert investigation queued');
  }
}

interface PostOnceOptions {
  deps: HandleAlertJobDeps;
  notification: AlertNotification;
  where: string;
  channel: ReplyChannel;
  log: Logger;
  part: string;
  threadId?: string;
}

/**
 * Posts once across retries: an intent recorded by an attempt that died before recording what it posted is
 * looked up on the platform (Slack: by message metadata) before posting again.
 */
async function postOnce(
  { deps, notification, where, channel, log, part, threadId }: PostOnceOptions,
  post: (key: PostKey) => Promise<string>,
): Promise<string> {
  const key = { job: deps.threads.postJob(notification.groupKey, where), part };
  const since = await deps.threads.intent(notification.groupKey, where, part);
  if (since !== undefined && channel.findPosted !== undefined) {
    try {
      const found = await channel.findPosted(key, { since, ...(threadId === undefined ? {} : { threadId }) });
      log.info({ destination: where, part, found: found !== undefined }, 'looked up what an earlier attempt posted');
      if (found !== undefined) return found;
    } catch (error) {
      if (!(error instanceof PostLookupError)) throw error;
      log.warn({ err: error, destination: where, part }, 'cannot look up an earlier attempt’s post; posting again');
    }
  }
  await deps.threads.recordIntent(notification.groupKey, where, part, Date.now());
  return post(key);
}

/**
 * A user/assistant pair, so the thread's history keeps alternating roles when a question follows. It is pinned:
 * compaction of a long thread drops older answers, never the alert the thread is about.
 */
function contextTurn(notification: AlertNotification, event: 'opened' | 'changed') {
  return [
    { role: 'user' as const, content: alertContextText(notification, event) },
    { role: 'assistant' as const, content: 'Noted; I will use this alert as context for questions in this thread.' },
  ];
}

/** What the thread shows of a group: its status and each alert's identity and status. */
function groupDigest(notification: AlertNotification): string {
  const alerts = notification.alerts
    .map((alert) => `${alert.fingerprint || JSON.stringify(alert.labels)}=${alert.status}@${alert.startsAt}`)
    .sort();
  return `${notification.status}|${alerts.join(',')}`;
}
