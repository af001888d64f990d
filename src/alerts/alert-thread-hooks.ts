import type { Toolbox } from '../contract/toolbox.ts';
import { alertTimeline, type AlertTimeline } from './timeline/alert-timeline.ts';
import { timelineContextTurn, timelineMarkdown } from './timeline/timeline-text.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import { threadKey } from '../memory/thread-key.ts';
import { redactText } from '../redact/redact-text.ts';
import { channelIdOf, channelPolicyFor } from '../policy/channel-policy.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { AlertNotification } from '../queue/alert-job.ts';
import type { ReplyTarget } from '../queue/chat-job.ts';
import { matchRunbooks } from '../runbooks/match-runbooks.ts';
import type { Runbook } from '../runbooks/runbook-policy.ts';
import { runbookGuidance, runbookLinks } from '../runbooks/runbook-text.ts';
import { findRecurrence } from '../incidents/find-recurrence.ts';
import { incidentIdOf, labelFingerprint, workloadOf, type Incident } from '../incidents/incident.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { isRestricted, visibleIn } from '../incidents/incident-visibility.ts';
import { clip, recurrenceNote } from '../incidents/recurrence-note.ts';
import { threadLink } from '../incidents/thread-link.ts';

/** What the alert handler asks of incident memory, the timeline and runbooks; each call is safe to repeat. */
export interface AlertThreadHooks {
  /** Lines for the root message under the alert: the earlier incident it resembles, and its runbooks. */
  rootNote(options: { notification: AlertNotification; target: ReplyTarget }): Promise<string | undefined>;
  /**
   * After the thread's root and pinned alert are in place: on opening a firing thread, remembers the incident,
   * pins the runbooks' guidance and the timeline for the model and posts the timeline as the first reply; on a
   * change, records when it was last seen and when it resolved.
   */
  onThread(options: ThreadEvent): Promise<void>;
}

export interface ThreadEvent {
  notification: AlertNotification;
  /** The destination (threadTs unset: the thread is `rootId`). */
  target: ReplyTarget;
  rootId: string;
  channel: ReplyChannel;
  /** The alert job: the audit context of the timeline's tool call. */
  jobId: string;
  opened: boolean;
}

export interface AlertThreadHooksOptions {
  incidents: IncidentStore;
  memory: ConversationStore;
  policy: PolicyFile | undefined;
  runbooks: readonly Runbook[];
  /** A toolbox for the alert's investigator identity, limited by the destination channel's policy and audited. */
  connectToolbox: (target: ReplyTarget, jobId: string) => Promise<Toolbox>;
  /** ALERT_TIMELINE_MINUTES; 0: no timeline. */
  lookbackMinutes: number;
  slackWorkspaceUrl: () => Promise<string | undefined>;
  logger: Logger;
}

export function alertThreadHooks({
  incidents,
  memory,
  policy,
  runbooks,
  connectToolbox,
  lookbackMinutes,
  slackWorkspaceUrl,
  logger,
}: AlertThreadHooksOptions): AlertThreadHooks {
  const facts = (notification: AlertNotification) => {
    const labels = notification.commonLabels;
    const firing = notification.alerts
      .filter((alert) => alert.status === 'firing')
      .map((alert) => alert.startsAt)
      .sort();
    return {
      alertname: labels.alertname ?? notification.groupLabels.alertname,
      fingerprint: labelFingerprint(labels),
      namespace: labels.namespace,
      workload: workloadOf(labels) ?? workloadOf(notification.alerts[0]?.labels ?? {}),
      startedAt: firing[0] ?? notification.alerts.map((alert) => alert.startsAt).sort()[0] ?? new Date().toISOString(),
    };
  };

  return {
    async rootNote({ notification, target }) {
      const lines: string[] = [];
      const { alertname, fingerprint, namespace, workload, startedAt } = facts(notification);
      const where = { channel: channelIdOf(target), policy: channelPolicyFor(policy, target) };
      const earlier = findRecurrence(
        (await incidents.recent()).filter((incident) => visibleIn(incident, where)),
        { alertname, fingerprint, namespace, workload, startedAt },
      );
      if (earlier !== undefined) lines.push(recurrenceNote(earlier));
      const links = runbookLinks(matchRunbooks(runbooks, notification));
      if (links !== undefined) lines.push(links);
      return lines.length === 0 ? undefined : lines.join('\n');
    },

    async onThread({ notification, target, rootId, channel, jobId, opened }) {
      const conversationKey = threadKey(target, rootId);
      const id = incidentIdOf(conversationKey);
      const { alertname, fingerprint, namespace, workload, startedAt } = facts(notification);
      const now = new Date().toISOString();
      const resolvedAt =
        notification.status === 'resolved'
          ? (notification.alerts
              .map((alert) => alert.endsAt)
              .sort()
              .at(-1) ?? now)
          : undefined;
      const link = threadLink(target, rootId, { slackWorkspaceUrl: await slackWorkspaceUrl() });
      const incident = await incidents.update(id, (current): Incident => ({
        ...(current ?? {
          id,
          kind: 'alert' as const,
          threadKey: conversationKey,
          channel: channelIdOf(target),
          restricted: isRestricted(channelPolicyFor(policy, target)),
          ...(link === undefined ? {} : { link }),
          title: clip(redactText(alertname ?? 'alert group'), 120),
          ...(alertname === undefined ? {} : { alertname: clip(redactText(alertname), 120) }),
          fingerprint,
          labels: Object.fromEntries(
            Object.entries(notification.commonLabels).map(([name, value]) => [name, clip(redactText(value), 200)]),
          ),
          ...(namespace === undefined ? {} : { namespace }),
          ...(workload === undefined ? {} : { workload }),
          startedAt,
          fixes: [],
        }),
        lastSeenAt: now,
        ...(resolvedAt === undefined ? {} : { resolvedAt }),
      }));
      if (!opened || notification.status !== 'firing' || incident === undefined) return;
      const guidance = runbookGuidance(matchRunbooks(runbooks, notification));
      if (lookbackMinutes === 0) {
        if (guidance !== undefined)
          await memory.pin(conversationKey, `timeline:${id}`, timelineContextTurn(undefined, guidance), 'timeline');
        return;
      }
      if (incident.timelineId !== undefined) return;
      const timeline = await timelineFor({ notification, target, jobId, workload });
      // Pinned before it is posted: a retry after a crash in between posts it without pinning a second copy.
      await memory.pin(conversationKey, `timeline:${id}`, timelineContextTurn(timeline, guidance), 'timeline');
      const timelineId = await channel.postInThread(rootId, channel.format(timelineMarkdown(timeline)));
      await incidents.update(id, (current) =>
        current === undefined
          ? undefined
          : {
              ...current,
              timelineId,
              ...(timeline.culprit === undefined
                ? {}
                : {
                    culprit: clip(
                      redactText(
                        `${timeline.culprit.item.type} ${timeline.culprit.item.kind} ${timeline.culprit.item.name}: ${timeline.culprit.item.summary}`,
                      ),
                      300,
                    ),
                  }),
            },
      );
    },
  };

  async function timelineFor({
    notification,
    target,
    jobId,
    workload,
  }: {
    notification: AlertNotification;
    target: ReplyTarget;
    jobId: string;
    workload: string | undefined;
  }): Promise<AlertTimeline> {
    let toolbox: Toolbox | undefined;
    try {
      toolbox = await connectToolbox(target, jobId);
      return await alertTimeline({ toolbox, notification, workload, lookbackMinutes });
    } catch (error) {
      // The thread still gets its timeline message, saying why it is empty, rather than the alert job failing.
      logger.warn({ err: error, groupKey: notification.groupKey }, 'could not list the changes for an alert timeline');
      const startedAt = facts(notification).startedAt;
      return {
        namespace: notification.commonLabels.namespace,
        workload,
        startedAt,
        since: startedAt,
        until: new Date().toISOString(),
        items: [],
        total: 0,
        unknown: [],
        culprit: undefined,
        failure: 'the tool server could not be reached',
      };
    } finally {
      await toolbox?.close().catch(() => undefined);
    }
  }
}
