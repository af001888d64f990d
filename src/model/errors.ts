/**
 * Errors of the model-call layer. The middleware turns both into the agent's ModelUnavailableError when a
 * call finally gives up; they never reach the user as such.
 */
export type ModelErrorCode = 'model_limiter_deadline' | 'model_limiter_closed';

export abstract class ModelLimiterError extends Error {
  abstract readonly code: ModelErrorCode;
}

/**
 * A retried call did not get a slot before its retry window closed. (Not named "timeout": the SDK reads an
 * error whose text says so as its own request timeout.)
 */
export class ModelLimiterDeadlineError extends ModelLimiterError {
  override readonly name = 'ModelLimiterDeadlineError';
  readonly code = 'model_limiter_deadline';
  constructor(readonly waitedMs: number) {
    super(`no model call slot within ${Math.round(waitedMs)} ms`);
  }
}

/** The worker is shutting down: calls still waiting for a slot are not started. */
export class ModelLimiterClosedError extends ModelLimiterError {
  override readonly name = 'ModelLimiterClosedError';
  readonly code = 'model_limiter_closed';
  constructor() {
    super('the model limiter is closed');
  }
}
