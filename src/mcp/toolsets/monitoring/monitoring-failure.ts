import { ToolFailure } from '../../errors.ts';
import {
  MonitoringBadRequestError,
  MonitoringError,
  MonitoringServerError,
  MonitoringUnauthorizedError,
  MonitoringUnreachableError,
} from '../../../monitoring/errors.ts';
import type { ToolResult } from '../../tool-definition.ts';

/**
 * Runs a monitoring tool's body, turning the monitoring layer's errors into ToolFailure (an isError result
 * with what the model can do next). Anything else is a bug and passes through.
 */
export async function asMonitoringTool(run: () => Promise<ToolResult>, hints: { badRequest?: string } = {}): Promise<ToolResult> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof MonitoringError)) throw error;
    throw new ToolFailure(explainMonitoringError(error, hints), { cause: error, code: 'tool_failed' });
  }
}

export function explainMonitoringError(error: MonitoringError, { badRequest }: { badRequest?: string } = {}): string {
  if (error instanceof MonitoringBadRequestError) {
    const kind = error.errorType === undefined ? '' : ` (${error.errorType})`;
    return `${error.message}${kind}. ${badRequest ?? 'Fix the argument it names and call again.'}`;
  }
  if (error instanceof MonitoringUnauthorizedError) {
    return `${error.message}. The MCP server's ${error.service} credentials are missing or lack permission; tell the user, an operator must fix them.`;
  }
  if (error instanceof MonitoringUnreachableError) {
    return `${error.message}. ${error.service} may be down or unreachable from the MCP server; retry later, and tell the user if it persists.`;
  }
  if (error instanceof MonitoringServerError)
    return `${error.message}. Retry in a moment, or ask for less (a shorter range, fewer series).`;
  return error.message;
}
