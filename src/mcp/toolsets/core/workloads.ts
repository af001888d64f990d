import { z } from 'zod';
import { WORKLOAD_KINDS } from '../../../kube/read-workload.ts';
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { getWorkload } from './get-workload.ts';
import { objectArguments } from './get-pod.ts';
import { rolloutHistory } from './rollout-history.ts';

export function workloadTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'workload_get',
      title: 'Get a workload',
      description:
        'One Deployment, StatefulSet, DaemonSet, Job or CronJob: spec summary (replicas, strategy, images, selector), status and ' +
        'conditions, its ReplicaSets with revisions (Deployment) or its Jobs (CronJob), and its pods counted by status with the ' +
        'unhealthy ones listed.',
      inputSchema: {
        kind: z.enum(WORKLOAD_KINDS).describe('Workload kind: Deployment, StatefulSet, DaemonSet, Job or CronJob.'),
        ...objectArguments,
      },
      annotations: READ_ONLY,
      handler: (args, { kube }) => getWorkload(kube, args),
    }),
    defineTool({
      name: 'rollout_history',
      title: 'Deployment rollout history',
      description:
        'The revisions of a Deployment, like `kubectl rollout history`: revision, change-cause, images, ready replicas and age of ' +
        'each ReplicaSet, newest first, the current revision marked.',
      inputSchema: objectArguments,
      annotations: READ_ONLY,
      handler: (args, { kube }) => rolloutHistory(kube, args),
    }),
  ];
}
