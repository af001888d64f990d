import { z } from 'zod';
import { diagnoseObject } from '../../../diagnose/diagnose-object.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import { DEFAULT_OUTPUT_TOKENS } from '../../fit-output-budget.ts';
import { defineTool, READ_ONLY, type ToolContext, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { renderDiagnosis } from './diagnose-render.ts';
import { namespaceName } from './list-arguments.ts';
import { resolveOrExplain } from './resources.ts';

export interface DiagnoseArguments {
  kind: string;
  apiVersion?: string | undefined;
  namespace?: string | undefined;
  name: string;
}

/**
 * diagnose: the verdict first, then the evidence, for any object a user complains about. The kind is
 * resolved as kubectl does (short names, plurals, CRDs); the graph around the object is walked and the
 * diagnosis rules (src/diagnose/rules) name the root cause.
 */
export async function diagnose(
  kube: KubeClient,
  { kind, apiVersion, namespace, name }: DiagnoseArguments,
  { deniesKind, outputTokens = DEFAULT_OUTPUT_TOKENS }: Pick<ToolContext, 'deniesKind' | 'outputTokens'> = {},
): Promise<ToolResult> {
  const resource = await resolveOrExplain(kube, { kind, apiVersion }, deniesKind);
  if (resource.group === '' && resource.resource === 'secrets') {
    throw new ToolFailure('diagnose does not look inside Secrets: diagnose the Pod, Ingress or workload that uses the Secret instead.', {
      code: 'tool_input_invalid',
    });
  }
  if (resource.namespaced && namespace === undefined) {
    throw new ToolFailure(`${resource.kind} is namespaced: pass namespace.`, { code: 'tool_input_invalid' });
  }
  const lister = `resources_list with kind "${resource.kind}"${resource.namespaced ? ` and namespace "${namespace ?? ''}"` : ''}`;
  const diagnosis = await diagnoseObject({
    kube,
    resource,
    namespace: resource.namespaced ? namespace : undefined,
    name,
    deniesKind,
  }).catch(withNotFoundHint(`Use ${lister} to see the names there.`));
  return renderDiagnosis(diagnosis, { budgetTokens: outputTokens });
}

export function diagnoseTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'diagnose',
      title: 'Diagnose why something is failing',
      description:
        'Answers "why is this failing?" in one call, for whatever the user complains about: a Pod, Deployment, StatefulSet, ' +
        'DaemonSet, ReplicaSet, Job, CronJob, Service, Ingress, PersistentVolumeClaim, Node, HorizontalPodAutoscaler, ' +
        'Namespace, or any other kind with status conditions (a CRD such as Certificate). It walks the objects around it ' +
        '(owners → pods, Service → endpoints → pods, Ingress → Service, pod → node, volume claims, ConfigMaps and Secrets ' +
        'it uses, autoscaler → metrics) and returns a one-line verdict naming the root cause first, then the evidence ' +
        '(states, spec values, events, the decisive log line), the next step, other findings, events and log excerpts. ' +
        'Use this before pod_get, pod_logs and events_list.',
      inputSchema: {
        kind: z
          .string()
          .min(1)
          .max(253)
          .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, {
            error: 'expected a kind ("Deployment"), a plural ("deployments"), a short name ("svc") or "<plural>.<group>"',
          })
          .describe(
            'What to diagnose: Pod, Deployment, Service, Ingress, PersistentVolumeClaim, Node, HorizontalPodAutoscaler, Namespace, a CRD kind... Short names (svc, pvc, hpa) work.',
          ),
        apiVersion: z
          .string()
          .max(253)
          .regex(/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/, { error: 'expected "v1" or "<group>/<version>", e.g. "apps/v1"' })
          .optional()
          .describe('"<group>/<version>" when a kind name is ambiguous; the preferred version when omitted.'),
        namespace: namespaceName.optional().describe('Namespace of the object; omit for Node, Namespace and other cluster-scoped kinds.'),
        name: z.string().min(1).max(253).describe('Name of the object.'),
      },
      annotations: READ_ONLY,
      handler: (args, { kube, deniesKind, outputTokens }) => diagnose(kube, args, { deniesKind, outputTokens }),
    }),
  ];
}
