import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/create-logger.ts';
import {
  ClusterUnreachableError,
  KubeBadRequestError,
  KubeForbiddenError,
  KubeInvalidError,
  KubeServerError,
  KubeUnauthorizedError,
  type KubeError,
} from '../kube/errors.ts';
import { isDomainError, type ToolFailure } from './errors.ts';
import { DEFAULT_OUTPUT_TOKENS, fitOutputBudget } from './fit-output-budget.ts';
import { narrowingAdvice } from './narrowing-advice.ts';
import { redactToolResult } from './redact-tool-result.ts';
import { renderResultParts } from './render-result-parts.ts';
import { own, resultParts } from './result-parts.ts';
import type { ToolContext, ToolDefinition, ToolResult } from './tool-definition.ts';
import { windowResultParts } from './window-result-parts.ts';

/**
 * Characters of a result worked on (redacted, fenced, fitted): more than the budget can show, since no
 * estimate gives more than 8 characters a token, plus a margin for the fences and the hint.
 */
export const windowChars = (budgetTokens: number): number => budgetTokens * 8 + 4096;

export interface RunToolOptions {
  tool: ToolDefinition;
  args: unknown;
  context: ToolContext;
  logger?: Logger;
}

/**
 * Runs a tool's handler and shapes its answer as an MCP CallToolResult. A domain failure (Kubernetes
 * said no, or the cluster is away) becomes an isError result the model can act on; a bug is logged and
 * rethrown. Every answer, whatever the tool, then goes through the same steps here, so a new tool cannot
 * forget one: cut to a window the budget could show (at a line or token boundary), redacted once, its
 * untrusted parts fenced (a plain string is untrusted whole), and fitted to the output budget.
 */
export async function runTool({ tool, args, context, logger }: RunToolOptions): Promise<CallToolResult> {
  const budgetTokens = context.outputTokens ?? DEFAULT_OUTPUT_TOKENS;
  let result: ToolResult;
  try {
    // The SDK has already validated args against tool.inputSchema.
    result = await tool.handler(args as never, { ...context, outputTokens: budgetTokens });
  } catch (error) {
    if (!isDomainError(error)) {
      logger?.error({ err: error, tool: tool.name }, 'tool failed unexpectedly');
      throw error;
    }
    logger?.debug({ tool: tool.name, code: error.code }, 'tool returned a domain error');
    result = { text: [own(explainError(error))], isError: true, structuredContent: { error: { code: error.code } } };
  }
  const windowed = windowResultParts({ parts: resultParts(result.text, `output of ${tool.name}`), maxChars: windowChars(budgetTokens) });
  const redacted = redactToolResult({ ...result, text: windowed.parts });
  return toCallToolResult(redacted, { tool, budgetTokens, omittedBefore: windowed.omittedLines });
}

function toCallToolResult(
  result: ToolResult & { text: ReturnType<typeof resultParts> },
  { tool, budgetTokens, omittedBefore }: { tool: ToolDefinition; budgetTokens: number; omittedBefore: number },
): CallToolResult {
  const continueToken = result.structuredContent?.continue;
  const fitted = fitOutputBudget({
    text: renderResultParts(result.text),
    budgetTokens,
    continueToken: typeof continueToken === 'string' ? continueToken : undefined,
    narrowWith: narrowingAdvice(tool.inputSchema),
    omittedBefore,
  });
  const out: CallToolResult = { content: [{ type: 'text', text: fitted.text }] };
  if (result.structuredContent !== undefined) {
    out.structuredContent =
      fitted.omittedLines > 0
        ? { ...result.structuredContent, outputCut: { omittedLines: fitted.omittedLines, budgetTokens } }
        : result.structuredContent;
  }
  if (result.isError === true) out.isError = true;
  return out;
}

/** The message plus what the model can do about it. */
export function explainError(error: KubeError | ToolFailure): string {
  if (error instanceof ClusterUnreachableError) {
    return `${error.message}. The cluster may be down or unreachable from the MCP server; retry later, and tell the user if it persists.`;
  }
  if (error instanceof KubeForbiddenError) {
    return `forbidden: ${error.message}. The Kubernetes identity in use lacks RBAC permission for this; try a namespace or resource it may read, or ask a cluster admin.`;
  }
  if (error instanceof KubeUnauthorizedError) {
    return `unauthorized: ${error.message}. The API server rejected the MCP server's credentials (expired or wrong token in the kubeconfig).`;
  }
  if (error instanceof KubeBadRequestError || error instanceof KubeInvalidError) {
    return `the API server rejected the request: ${error.message}. Fix the argument it names and call again.`;
  }
  if (error instanceof KubeServerError) {
    return `the API server failed (HTTP ${error.status}): ${error.message}. Retry in a moment.`;
  }
  return error.message;
}
