import { z } from 'zod';
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { listChanges } from './changes/list-changes.ts';
import { SCOPED_KINDS } from './changes/workload-scope.ts';
import { namespaceName } from './list-arguments.ts';
import { TOOL_NAMES } from '../../../contract/tool-names.ts';
import { changesListContentSchema } from '../../../contract/changes-list-content.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const changesListArguments = {
  namespace: namespaceName.optional().describe('Namespace; the whole cluster (all namespaces and nodes) when omitted.'),
  kind: z
    .enum(SCOPED_KINDS)
    .optional()
    .describe(
      'With name: only changes around this workload (its rollouts, scaling, the ConfigMaps and Secrets it uses, its Helm release).',
    ),
  name: z.string().min(1).max(253).optional().describe('The workload, with kind and namespace.'),
  since: z
    .string()
    .regex(/^((\d+[smhd])+|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2}))$/, {
      error: 'expected a duration such as 30m, 2h or 1d, or an RFC 3339 time',
    })
    .default('1h')
    .describe('Start of the window: a duration back from until (e.g. "2h") or an RFC 3339 time (default 1h).'),
  until: z
    .string()
    .regex(RFC3339, { error: 'expected an RFC 3339 time such as 2025-01-31T09:30:00Z' })
    .optional()
    .describe('End of the window, RFC 3339 (default now).'),
  limit: z.number().int().min(1).max(200).default(50).describe('Most changes to return, newest first (default 50).'),
};

export function changeTools(): ToolDefinition[] {
  return [
    defineTool({
      name: TOOL_NAMES.changesList,
      title: 'What changed',
      description:
        'What changed in a namespace, the cluster, or around one workload in a time window, newest first: rollouts (new ' +
        'ReplicaSet / ControllerRevision revisions with the pod-template diff: images, env names, resources, command/args, ' +
        'probes; the field manager that applied it), scaling and HPA decisions, new and deleting objects, ConfigMap and Secret ' +
        'updates (keys only, never values), node condition changes, taints and cordons, Helm releases, and Argo CD / Flux syncs ' +
        'where installed. Each item says how it was derived; what the API no longer keeps is listed as unknown. Use it first ' +
        'for "what changed?" and when an alert starts.',
      inputSchema: changesListArguments,
      outputSchema: changesListContentSchema,
      annotations: READ_ONLY,
      handler: (args, { kube }) => listChanges(kube, args),
    }),
  ];
}
