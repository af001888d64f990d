import { z } from 'zod';
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { own } from '../../result-parts.ts';
import { ALLOWED_COMMANDS, parseKubectlCommand } from '../../../contract/kubectl/parse-kubectl-command.ts';
import { runKubectlCommand } from './run-kubectl-command.ts';

export function kubectlTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'kubectl',
      title: 'Run a read-only kubectl command',
      description:
        'Runs one kubectl-style command line, read-only, answered from the Kubernetes API (no shell). Types resolve through API ' +
        'discovery as kubectl does (short names such as po, deploy, sts, ns, cm, crd; CRDs included). Allowed: ' +
        ALLOWED_COMMANDS.map((c) => `kubectl ${c}`).join('; ') +
        '. Anything else (apply, delete, edit, exec, scale, ...) is refused; Secrets show key names, never values. Prefer the dedicated tools when one fits.',
      inputSchema: {
        command: z.string().min(1).max(1000).describe('e.g. "kubectl get pods -n shop -l app=checkout"'),
      },
      annotations: READ_ONLY,
      // Kinds are resolved at run time (short names, CRDs), and each resolved kind is checked against MCP_DENIED_KINDS there.
      handler: async ({ command }, { kube, outputTokens, deniesKind }) => {
        const parsed = parseKubectlCommand(command);
        if (!parsed.ok) return { text: [own(parsed.message)], isError: true, structuredContent: { error: { code: 'tool_refused' } } };
        return runKubectlCommand({ kube, command: parsed.command, budgetTokens: outputTokens, deniesKind });
      },
    }),
  ];
}
