import { ConfigError } from '../config/errors.ts';
import {
  alertPolicySchema,
  slackChannelId,
  teamsConversationSchema,
  type AlertPolicy,
  type TeamsConversation,
} from '../policy/alert-policy.ts';
import type { AlertNotification } from '../queue/alert-job.ts';

/** Where an alert group gets a thread: one Slack channel or one Teams conversation. */
export type AlertDestination = { platform: 'slack'; channel: string } | ({ platform: 'teams' } & TeamsConversation);

export interface AlertRoutes {
  policy: AlertPolicy;
  fallback: AlertDestination[];
}

export interface LoadAlertRoutesOptions {
  /** The `alerts:` section of AI4K8S_POLICY, validated by loadConfig; undefined without a policy file. */
  policy: AlertPolicy | undefined;
  /** ALERTS_SLACK_CHANNEL. */
  slackChannel: string | undefined;
  /** ALERTS_TEAMS_CONVERSATION: a JSON conversation reference (serviceUrl, teamId, channel, bot). */
  teamsConversation: string | undefined;
}

/** The alert routing, built once at worker start; a bad ALERTS_* value fails the start naming the setting. */
export function loadAlertRoutes({ policy, slackChannel, teamsConversation }: LoadAlertRoutesOptions): AlertRoutes {
  const fallback: AlertDestination[] = [];
  if (slackChannel !== undefined) {
    const parsed = slackChannelId.safeParse(slackChannel);
    if (!parsed.success) throw new ConfigError([`ALERTS_SLACK_CHANNEL: ${parsed.error.issues[0]?.message ?? 'invalid'}`]);
    fallback.push({ platform: 'slack', channel: parsed.data });
  }
  if (teamsConversation !== undefined) {
    let parsed: ReturnType<typeof teamsConversationSchema.safeParse>;
    try {
      parsed = teamsConversationSchema.safeParse(JSON.parse(teamsConversation));
    } catch {
      throw new ConfigError([
        'ALERTS_TEAMS_CONVERSATION: expected a JSON conversation reference {"serviceUrl","teamId","channel","bot":{"id"}}',
      ]);
    }
    if (!parsed.success)
      throw new ConfigError([
        `ALERTS_TEAMS_CONVERSATION: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      ]);
    fallback.push({ platform: 'teams', ...parsed.data });
  }
  return { policy: policy ?? alertPolicySchema.parse({}), fallback };
}

export interface AlertRouting {
  destinations: AlertDestination[];
  investigate: boolean;
}

/**
 * Routes are tried in order; the first match wins unless it says `continue`. A route without a
 * destination only stops the search (a way to drop groups). No match: the ALERTS_* fallback.
 */
export function routeAlert(routes: AlertRoutes, notification: AlertNotification): AlertRouting {
  const destinations: AlertDestination[] = [];
  let matched = false;
  for (const route of routes.policy.routes) {
    if (!matches(route, notification, notification.commonLabels)) continue;
    matched = true;
    if (route.slackChannel !== undefined) destinations.push({ platform: 'slack', channel: route.slackChannel });
    if (route.teamsConversation !== undefined) destinations.push({ platform: 'teams', ...route.teamsConversation });
    if (!route.continue) break;
  }
  const firing = notification.alerts.filter((alert) => alert.status === 'firing');
  const investigate = routes.policy.investigate.some((rule) =>
    firing.some(
      (alert) =>
        matches(rule, notification, alert.labels) && (rule.severity === undefined || rule.severity.includes(alert.labels.severity ?? '')),
    ),
  );
  return { destinations: uniqueDestinations(matched ? destinations : routes.fallback), investigate };
}

function matches(
  rule: { receiver?: string | undefined; labels?: Record<string, string> | undefined },
  notification: AlertNotification,
  labels: Record<string, string>,
): boolean {
  if (rule.receiver !== undefined && rule.receiver !== notification.receiver) return false;
  return Object.entries(rule.labels ?? {}).every(([name, value]) => labels[name] === value);
}

/** A stable id of a destination, for the thread's Redis key. */
export function destinationId(destination: AlertDestination): string {
  return destination.platform === 'slack' ? `slack:${destination.channel}` : `teams:${destination.teamId}:${destination.channel}`;
}

function uniqueDestinations(destinations: AlertDestination[]): AlertDestination[] {
  const seen = new Set<string>();
  return destinations.filter((destination) => {
    const id = destinationId(destination);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
