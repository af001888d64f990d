/**
 * Errors of the monitoring layer (Prometheus, Alertmanager, Grafana), one coded class per way a call can
 * fail. Tools turn them into `isError` results; `retryable` says whether the same request may succeed
 * later (429, 5xx, unreachable). Messages never carry request headers, so no token can leak through them.
 */
export type MonitoringService = 'prometheus' | 'alertmanager' | 'grafana';

export type MonitoringErrorCode =
  | 'monitoring_bad_request'
  | 'monitoring_unauthorized'
  | 'monitoring_not_found'
  | 'monitoring_request_failed'
  | 'monitoring_server_error'
  | 'monitoring_unreachable';

export abstract class MonitoringError extends Error {
  abstract readonly code: MonitoringErrorCode;
  readonly service: MonitoringService;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  readonly retryable: boolean = false;
  constructor(service: MonitoringService, message: string, { status, cause }: { status?: number; cause?: unknown } = {}) {
    super(message, { cause });
    this.service = service;
    this.status = status;
  }
}

/** 400/422: the request itself is wrong (bad PromQL, bad matcher). `errorType` is Prometheus's, e.g. bad_data. */
export class MonitoringBadRequestError extends MonitoringError {
  override readonly name = 'MonitoringBadRequestError';
  readonly code = 'monitoring_bad_request';
  readonly errorType: string | undefined;
  constructor(service: MonitoringService, message: string, options: { status: number; errorType?: string | undefined }) {
    super(service, message, options);
    this.errorType = options.errorType;
  }
}

/** 401/403: the configured credentials are missing, wrong or lack permission. */
export class MonitoringUnauthorizedError extends MonitoringError {
  override readonly name = 'MonitoringUnauthorizedError';
  readonly code = 'monitoring_unauthorized';
}

export class MonitoringNotFoundError extends MonitoringError {
  override readonly name = 'MonitoringNotFoundError';
  readonly code = 'monitoring_not_found';
}

/** Any other 4xx, or a 2xx whose body is not what the API documents. */
export class MonitoringRequestError extends MonitoringError {
  override readonly name = 'MonitoringRequestError';
  readonly code = 'monitoring_request_failed';
}

/** 429/5xx, still failing after the retries. */
export class MonitoringServerError extends MonitoringError {
  override readonly name = 'MonitoringServerError';
  readonly code = 'monitoring_server_error';
  override readonly retryable = true;
  /** From Retry-After, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(service: MonitoringService, message: string, options: { status: number; retryAfterMs?: number | undefined }) {
    super(service, message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** No answer at all: connection refused, DNS, timeout. */
export class MonitoringUnreachableError extends MonitoringError {
  override readonly name = 'MonitoringUnreachableError';
  readonly code = 'monitoring_unreachable';
  override readonly retryable = true;
}
