/** Errors the agent layer raises across its boundary; the worker turns each into a clear message in the thread. */
export abstract class AgentError extends Error {
  abstract readonly code: string;
  /** What the user reads in the thread: no stack, no internals. */
  abstract readonly userMessage: string;
}

/** The model API kept failing (429/529/5xx/network) after the SDK's retries. Not retried again by the queue. */
export class ModelUnavailableError extends AgentError {
  override readonly name = 'ModelUnavailableError';
  readonly code = 'model_unavailable';
  readonly userMessage: string;
  constructor(
    readonly status: number | undefined,
    cause: unknown,
  ) {
    super(`model API unavailable (status ${status ?? 'none'})`, { cause });
    this.userMessage =
      status === 429
        ? 'The AI model is rate-limiting us right now and retries ran out. Please ask again in a minute.'
        : 'The AI model is unavailable right now (it kept failing after several retries). Please ask again in a few minutes.';
  }
}

/** The model API refused the request itself (bad key, bad request): retrying will not help. */
export class ModelRejectedError extends AgentError {
  override readonly name = 'ModelRejectedError';
  readonly code = 'model_rejected';
  readonly userMessage: string;
  constructor(
    readonly status: number | undefined,
    cause: unknown,
  ) {
    super(`model API rejected the request (status ${status ?? 'none'})`, { cause });
    this.userMessage =
      status === 401 || status === 403
        ? 'The AI model refused our credentials (check ANTHROPIC_API_KEY). Nothing was changed in the cluster.'
        : 'The AI model rejected the request. An operator can find details in the worker log.';
  }
}

/** The MCP server could not be reached or refused us, so no cluster tool can run. */
export class ToolServerUnavailableError extends AgentError {
  override readonly name = 'ToolServerUnavailableError';
  readonly code = 'tool_server_unavailable';
  readonly userMessage: string;
  constructor(
    readonly url: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`MCP server at ${url} unavailable: ${reason}`, { cause });
    this.userMessage = `I can't reach the ai4k8s tool server (MCP), so I can't look at the cluster right now (${reason}). An operator should check the \`mcp\` role.`;
  }
}
