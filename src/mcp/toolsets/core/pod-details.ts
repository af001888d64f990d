import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { getPod, objectArguments } from './get-pod.ts';

/** pod_get apart from pods.ts, whose list tool carries the output-budget paging. */
export function podDetailTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'pod_get',
      title: 'Get a pod',
      description:
        'One pod as short YAML: status, owner chain (Pod → ReplicaSet → Deployment ...), node, IPs, conditions that are not ' +
        "True, each container's state, restarts and last termination (reason and exit code), requests and limits, then its " +
        'recent events, Warnings first. For "why is it failing" prefer diagnose, which adds log tails.',
      inputSchema: objectArguments,
      annotations: READ_ONLY,
      handler: (args, { kube }) => getPod(kube, args),
    }),
  ];
}
