import { KubeError, KubeNotFoundError } from '../kube/errors.ts';

/**
 * Errors of the MCP layer. ToolFailure is a domain failure a tool reports to the model as an isError
 * result; ToolListError is a programming mistake in the tool list, raised at start-up.
 */
export type McpErrorCode = 'tool_input_invalid' | 'tool_refused' | 'tool_failed' | 'tool_list_invalid';

export class ToolFailure extends Error {
  override readonly name = 'ToolFailure';
  readonly code: McpErrorCode;
  constructor(message: string, { code = 'tool_failed', cause }: { code?: McpErrorCode; cause?: unknown } = {}) {
    super(message, { cause });
    this.code = code;
  }
}

export class ToolListError extends Error {
  override readonly name = 'ToolListError';
  readonly code = 'tool_list_invalid';
}

/** Is this a failure to report to the model (rather than a bug to throw)? */
export function isDomainError(error: unknown): error is ToolFailure | KubeError {
  return error instanceof ToolFailure || error instanceof KubeError;
}

/**
 * For `.catch(withNotFoundHint(...))` after a kube call: adds what the model can do next to a 404
 * ("use pods_list to see pods there"); every other error passes through unchanged.
 */
export function withNotFoundHint(hint: string): (error: unknown) => never {
  return (error: unknown): never => {
    if (error instanceof KubeNotFoundError) {
      throw new ToolFailure(`${error.message}. ${hint}`, { cause: error });
    }
    throw error;
  };
}
