import type { ToolDefinition } from '../tool-definition.ts';
import { clusterTools } from './core/cluster.ts';
import { containerTools } from './core/containers.ts';
import { deploymentTools } from './core/deployments.ts';
import { nodeTools } from './core/nodes.ts';
import { podTools } from './core/pods.ts';
import { serviceTools } from './core/services.ts';
import { kubectlTools } from './kubectl/kubectl.ts';

/** Every tool of the server, in the order tools/list shows them. Add a toolset here, nowhere else. */
export function allTools(): ToolDefinition[] {
  return [
    ...clusterTools(),
    ...nodeTools(),
    ...podTools(),
    ...containerTools(),
    ...deploymentTools(),
    ...serviceTools(),
    ...kubectlTools(),
  ];
}
