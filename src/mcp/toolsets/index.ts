import type { ToolDefinition } from '../tool-definition.ts';
import { changeTools } from './core/changes.ts';
import { clusterTools } from './core/cluster.ts';
import { containerTools } from './core/containers.ts';
import { contextTools } from './core/contexts.ts';
import { deploymentTools } from './core/deployments.ts';
import { diagnoseTools } from './core/diagnose.ts';
import { eventTools } from './core/events.ts';
import { healthTools } from './core/health.ts';
import { namespaceTools } from './core/namespaces.ts';
import { nodeTools } from './core/nodes.ts';
import { podDetailTools } from './core/pod-details.ts';
import { podTools } from './core/pods.ts';
import { resourceTools } from './core/resources.ts';
import { serviceTools } from './core/services.ts';
import { topTools } from './core/top.ts';
import { workloadTools } from './core/workloads.ts';
import { kubectlTools } from './kubectl/kubectl.ts';
import type { MonitoringClients } from '../../monitoring/monitoring-clients.ts';
import { alertTools } from './monitoring/alerts.ts';
import { prometheusTools } from './monitoring/prometheus.ts';
import { silenceWriteTools } from './monitoring/silences.ts';
import { deploymentWriteTools } from './write/deployments.ts';
import { nodeWriteTools } from './write/nodes.ts';
import { podWriteTools } from './write/pods.ts';
import { rolloutWriteTools } from './write/rollouts.ts';

/**
 * Every tool of the server, in the order tools/list shows them. Add a toolset here, nowhere else.
 * Monitoring toolsets are empty unless their backend is configured (PROMETHEUS_URL, ALERTMANAGER_URL).
 */
export function allTools({ monitoring = {} }: { monitoring?: MonitoringClients } = {}): ToolDefinition[] {
  return [
    ...clusterTools(),
    ...contextTools(),
    ...namespaceTools(),
    ...nodeTools(),
    ...podTools(),
    ...podDetailTools(),
    ...containerTools(),
    ...deploymentTools(),
    ...workloadTools(),
    ...serviceTools(),
    ...eventTools(),
    ...changeTools(),
    ...healthTools(),
    ...resourceTools(),
    ...topTools(),
    ...diagnoseTools(),
    ...kubectlTools(),
    ...prometheusTools(monitoring),
    ...alertTools(monitoring),
    // Write tools: offered only with MCP_ENABLE_WRITE_TOOLS=true (their annotations say readOnlyHint: false).
    ...deploymentWriteTools(),
    ...rolloutWriteTools(),
    ...podWriteTools(),
    ...nodeWriteTools(),
    ...silenceWriteTools(monitoring),
  ];
}
