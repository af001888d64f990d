import type { AlertNotification } from '../queue/alert-job.ts';
import type { Runbook } from './runbook-policy.ts';

/** A runbook that applies to an alert: from the policy file (guidance and link) or the alert's own runbook_url (link). */
export interface MatchedRunbook {
  name: string;
  url?: string;
  markdown?: string;
  source: 'policy' | 'alert';
}

/**
 * The runbooks of an alert group: the policy's entries whose match holds for the group (alertname, namespace and
 * labels, all that are given), then each distinct `runbook_url` annotation of its alerts (http(s) only).
 */
export function matchRunbooks(runbooks: readonly Runbook[], notification: AlertNotification): MatchedRunbook[] {
  const labels = notification.commonLabels;
  const alertnames = new Set(
    [labels.alertname, ...notification.alerts.map((alert) => alert.labels.alertname)].filter((name): name is string => name !== undefined),
  );
  const namespace = labels.namespace;
  const matched: MatchedRunbook[] = runbooks
    .filter(({ match }) => {
      if (match.alertnames !== undefined && !match.alertnames.some((name) => alertnames.has(name))) return false;
      if (match.namespaces !== undefined && (namespace === undefined || !match.namespaces.includes(namespace))) return false;
      return Object.entries(match.labels ?? {}).every(([name, value]) => labels[name] === value);
    })
    .map((runbook) => ({
      name: runbook.name,
      ...(runbook.url === undefined ? {} : { url: runbook.url }),
      ...(runbook.markdown === undefined ? {} : { markdown: runbook.markdown }),
      source: 'policy' as const,
    }));
  const urls = new Set(
    [notification.commonAnnotations.runbook_url, ...notification.alerts.map((alert) => alert.annotations.runbook_url)].filter(
      (url): url is string => url !== undefined && /^https?:\/\/\S+$/.test(url),
    ),
  );
  for (const url of urls) if (!matched.some((runbook) => runbook.url === url)) matched.push({ name: 'runbook_url', url, source: 'alert' });
  return matched;
}
