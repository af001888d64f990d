/**
 * A Slack listener failed (e.g. the job could not be enqueued). Raised from the App's error handler so the
 * receiver tells Slack to deliver the request again (HTTP 500, or no Socket Mode ack); anything else bolt
 * throws while routing a request means the payload itself was malformed, and is ignored instead.
 */
export class SlackListenerError extends Error {
  override readonly name = 'SlackListenerError';
  readonly code = 'slack_listener_failed';
  constructor(cause: unknown) {
    super(`a Slack listener failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
