import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';
import { fenceUntrusted } from '../contract/fence-untrusted.ts';
import { channelIdOf, channelPolicyFor } from '../policy/channel-policy.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import type { Incident } from './incident.ts';
import type { IncidentStore } from './incident-store.ts';
import { visibleIn } from './incident-visibility.ts';

export const INCIDENTS_SEARCH = 'incidents_search';

const inputSchema = z.strictObject({
  query: z.string().max(200).optional(),
  alertname: z.string().max(200).optional(),
  namespace: z.string().max(63).optional(),
  limit: z.number().int().min(1).max(20).default(5),
});

/** The tool as the model sees it (a worker-side tool: incidents live in Redis, and channel policy is known here). */
export const incidentsSearchTool: Anthropic.Tool = {
  name: INCIDENTS_SEARCH,
  description:
    'Search incidents: past alert threads (and question threads where a fix was applied) that ai4k8s remembers, newest first: ' +
    'when, the alert, namespace and workload, the cause found then, the fix applied and a link to the thread. Use it to answer ' +
    '"have we seen this before?" and before explaining a recurring alert. Only incidents this channel may see are searched.',
  input_schema: {
    type: 'object',
    properties: {
      query: {
        type: 'string',
        maxLength: 200,
        description: 'Words that must all appear (alert, cause, fix, labels, workload), e.g. "checkout oom".',
      },
      alertname: { type: 'string', maxLength: 200, description: 'Only incidents of this alert, e.g. "KubePodCrashLooping".' },
      namespace: { type: 'string', maxLength: 63, description: 'Only incidents in this namespace.' },
      limit: { type: 'integer', minimum: 1, maximum: 20, default: 5, description: 'Most incidents to return (default 5).' },
    },
  },
};

export interface WithIncidentSearchOptions {
  toolbox: Toolbox;
  incidents: IncidentStore;
  /** The job asking: its channel decides which incidents may be shown. */
  job: ChatJob;
  policy: PolicyFile | undefined;
}

/** The MCP toolbox plus incidents_search, answered here; every other call goes to the MCP server as before. */
export function withIncidentSearch({ toolbox, incidents, job, policy }: WithIncidentSearchOptions): Toolbox {
  const where = { channel: channelIdOf(job.replyTarget), policy: channelPolicyFor(policy, job.replyTarget) };
  return {
    ...toolbox,
    tools: [...toolbox.tools.filter((tool) => tool.name !== INCIDENTS_SEARCH), incidentsSearchTool],
    hints: new Map([...(toolbox.hints ?? new Map()), [INCIDENTS_SEARCH, { readOnlyHint: true, destructiveHint: false }]]),
    call: async (name, input, signal) => {
      if (name !== INCIDENTS_SEARCH) return toolbox.call(name, input, signal);
      const parsed = inputSchema.safeParse(input ?? {});
      if (!parsed.success)
        return {
          isError: true,
          text: `incidents_search: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ')}`,
        };
      return searchIncidents(
        (await incidents.recent()).filter((incident) => visibleIn(incident, where)),
        parsed.data,
      );
    },
  };
}

export function searchIncidents(
  incidents: readonly Incident[],
  { query, alertname, namespace, limit }: z.output<typeof inputSchema>,
): ToolOutcome {
  const words = (query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  const found = incidents
    .filter((incident) => alertname === undefined || incident.alertname?.toLowerCase() === alertname.toLowerCase())
    .filter((incident) => namespace === undefined || incident.namespace === namespace)
    .filter((incident) => {
      const haystack = [
        incident.title,
        incident.alertname,
        incident.namespace,
        incident.workload,
        incident.cause,
        incident.culprit,
        ...incident.fixes,
        ...Object.values(incident.labels),
      ]
        .filter((part) => part !== undefined)
        .join(' ')
        .toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
    .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  const shown = found.slice(0, limit);
  if (shown.length === 0)
    return {
      isError: false,
      text: 'No remembered incidents match (only incidents this channel may see are searched).',
      structuredContent: { incidents: [] },
    };
  const rows = shown.map((incident) =>
    [
      `- ${incident.startedAt} ${incident.kind === 'alert' ? `alert ${incident.alertname ?? incident.title}` : `question "${incident.title}"`}`,
      incident.namespace === undefined ? '' : ` in ${incident.namespace}${incident.workload === undefined ? '' : `/${incident.workload}`}`,
      incident.resolvedAt === undefined ? ' (not seen resolved)' : ` (resolved ${incident.resolvedAt})`,
      `; cause: ${incident.cause ?? incident.culprit ?? 'not recorded'}`,
      incident.fixes.length === 0 ? '' : `; fix: ${incident.fixes.join('; ')}`,
      `; thread: ${incident.link ?? incident.threadKey}`,
    ].join(''),
  );
  return {
    isError: false,
    text: `${found.length} remembered incident${found.length === 1 ? '' : 's'} match${found.length === 1 ? 'es' : ''}, newest first${found.length > shown.length ? ` (${shown.length} shown)` : ''}:\n${fenceUntrusted({ source: 'incident memory: earlier findings (model output from cluster data) and alert labels', text: rows.join('\n') })}`,
    structuredContent: {
      incidents: shown.map(
        ({ id, kind, alertname: name, namespace: ns, workload, startedAt, resolvedAt, cause, culprit, fixes, link }) => ({
          id,
          kind,
          alertname: name,
          namespace: ns,
          workload,
          startedAt,
          resolvedAt,
          cause,
          culprit,
          fixes,
          link,
        }),
      ),
    },
  };
}
