import { z } from 'zod';
import { parseDuration } from '../../../kube/parse-duration.ts';
import type { AlertmanagerClient, SilenceMatcher } from '../../../monitoring/alertmanager-client.ts';
import type { MonitoringClients } from '../../../monitoring/monitoring-clients.ts';
import { ToolFailure } from '../../errors.ts';
import { defineTool, writeAnnotations, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { dryRunArgument, writeResult, type WritePreview } from '../write/write-result.ts';
import { asMonitoringTool } from './monitoring-failure.ts';
import { writeContentSchema } from '../../../contract/write-content.ts';

const MAX_SILENCE_MS = 7 * 24 * 3_600_000;

const matcherArgument = z.object({
  name: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: 'expected a label name' })
    .describe('Label name, e.g. alertname.'),
  value: z.string().max(300).describe('Label value (a regex when isRegex).'),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true).describe('false: the label must NOT match.'),
});

/** Alertmanager write tools; none without ALERTMANAGER_URL (and, like every write tool, offered only with MCP_ENABLE_WRITE_TOOLS). */
export function silenceWriteTools(monitoring: MonitoringClients = {}): ToolDefinition[] {
  const alertmanager = monitoring.alertmanager;
  if (alertmanager === undefined) return [];
  return [
    defineTool({
      name: 'silence_create',
      title: 'Silence alerts (Alertmanager)',
      description:
        'Creates an Alertmanager silence for alerts matching all the matchers, for a duration. Previews by default (the matchers, ' +
        'the window and which alerts firing now it would silence); dryRun: false creates it.',
      inputSchema: {
        matchers: z
          .array(matcherArgument)
          .min(1)
          .max(20)
          .describe('All must hold; at least one must not match the empty string (Alertmanager rule).'),
        duration: z
          .string()
          .regex(/^(\d+[smhd])+$/, { error: 'expected a duration like 30m, 2h or 1d' })
          .default('1h')
          .describe('How long, from now; at most 7d.'),
        comment: z.string().min(3).max(500).describe('Why: shown to everyone who sees the silence.'),
        dryRun: dryRunArgument,
      },
      outputSchema: writeContentSchema,
      // A silence hides notifications but deletes or stops nothing, and it expires by itself. Each call makes a new one.
      annotations: writeAnnotations({ destructive: false, idempotent: false }),
      handler: (args, { signal }) =>
        asMonitoringTool(() => createSilence(alertmanager, { ...args, signal }), {
          badRequest: 'Alertmanager rejected the silence: fix the matchers (at least one must not match an empty value) and call again.',
        }),
    }),
  ];
}

async function createSilence(
  alertmanager: AlertmanagerClient,
  {
    matchers,
    duration,
    comment,
    dryRun,
    signal,
  }: { matchers: SilenceMatcher[]; duration: string; comment: string; dryRun: boolean; signal: AbortSignal | undefined },
): Promise<ToolResult> {
  const ms = parseDuration(duration);
  if (ms === undefined || ms <= 0 || ms > MAX_SILENCE_MS)
    throw new ToolFailure(`duration "${duration}" must be from 1s to 7d`, { code: 'tool_input_invalid' });
  const selector = `{${matchers.map(matcherText).join(', ')}}`;
  const startsAt = new Date();
  const endsAt = new Date(startsAt.getTime() + ms);
  const firing = await alertmanager.alerts({ matchers: matchers.map(matcherText), active: true, silenced: false, inhibited: true, signal });
  const names = [...new Set(firing.map((a) => a.labels.alertname ?? '?'))];
  const preview: WritePreview = {
    summary: `silence alerts matching ${selector} for ${duration} (until ${endsAt.toISOString().replace(/\.\d+Z$/, 'Z')}); ${firing.length} alert${firing.length === 1 ? '' : 's'} firing now would be silenced`,
    target: { kind: 'Silence', name: selector, context: 'alertmanager' },
    changes: [{ field: 'silence', before: 'none', after: `${selector} for ${duration}` }],
    details: [
      `comment: ${comment}`,
      ...(names.length > 0 ? [`alerts: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`] : []),
    ],
  };
  if (dryRun) return writeResult({ tool: 'silence_create', preview, applied: false });
  const id = await alertmanager.createSilence(
    { matchers, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), createdBy: 'ai4k8s', comment },
    { signal },
  );
  const result = writeResult({
    tool: 'silence_create',
    preview,
    applied: true,
    outcome: [`silence ${id} created; it expires by itself at ${endsAt.toISOString()}.`],
  });
  return { ...result, structuredContent: { ...result.structuredContent, silenceId: id } };
}

/** A matcher as Alertmanager's filter syntax writes it: name="value", name!~"regex". */
export function matcherText({ name, value, isRegex, isEqual }: SilenceMatcher): string {
  const op = `${isEqual ? '=' : '!'}${isRegex ? '~' : isEqual ? '' : '='}`;
  return `${name}${op}${JSON.stringify(value)}`;
}
