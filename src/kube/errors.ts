import { ApiException } from '@kubernetes/client-node';
import { retryAfterMs } from '../http/retry-after-ms.ts';
import { clipText } from './clip-text.ts';

/**
 * Errors from the Kubernetes layer, one coded class per way a call can fail. Tools turn them into
 * `isError` results the model can act on; callers that retry read `retryable` and `retryAfterMs`.
 */
export type KubeErrorCode =
  | 'kube_not_found'
  | 'kube_forbidden'
  | 'kube_unauthorized'
  | 'kube_conflict'
  | 'kube_invalid'
  | 'kube_bad_request'
  | 'kube_request_failed'
  | 'kube_server_error'
  | 'kube_unreachable'
  | 'kube_config_invalid';

export abstract class KubeError extends Error {
  abstract readonly code: KubeErrorCode;
  /** True when the same request may succeed later (429, 5xx, cluster unreachable). */
  readonly retryable: boolean = false;
  /** From Retry-After, when the API server sent one. */
  readonly retryAfterMs: number | undefined = undefined;
  /** HTTP status from the API server, when there was a response. */
  readonly status: number | undefined = undefined;
}

abstract class KubeStatusError extends KubeError {
  override readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

export class KubeNotFoundError extends KubeStatusError {
  override readonly name = 'KubeNotFoundError';
  readonly code = 'kube_not_found';
}

export class KubeForbiddenError extends KubeStatusError {
  override readonly name = 'KubeForbiddenError';
  readonly code = 'kube_forbidden';
}

export class KubeUnauthorizedError extends KubeStatusError {
  override readonly name = 'KubeUnauthorizedError';
  readonly code = 'kube_unauthorized';
}

export class KubeConflictError extends KubeStatusError {
  override readonly name = 'KubeConflictError';
  readonly code = 'kube_conflict';
}

/** 422: the object or request failed validation. */
export class KubeInvalidError extends KubeStatusError {
  override readonly name = 'KubeInvalidError';
  readonly code = 'kube_invalid';
}

/** 400: e.g. a malformed label selector, or a container name missing for a multi-container pod. */
export class KubeBadRequestError extends KubeStatusError {
  override readonly name = 'KubeBadRequestError';
  readonly code = 'kube_bad_request';
}

/** Any other 4xx: not retried. */
export class KubeRequestError extends KubeStatusError {
  override readonly name = 'KubeRequestError';
  readonly code = 'kube_request_failed';
}

/** 429 or 5xx: the API server is overloaded or failing; retried, honouring Retry-After. */
export class KubeServerError extends KubeStatusError {
  override readonly name = 'KubeServerError';
  readonly code = 'kube_server_error';
  override readonly retryable = true;
  override readonly retryAfterMs: number | undefined;
  constructor(status: number, message: string, retryAfterMs: number | undefined, options?: ErrorOptions) {
    super(status, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** No HTTP answer at all: connection refused or reset, DNS, TLS, or a timeout. */
export class ClusterUnreachableError extends KubeError {
  override readonly name = 'ClusterUnreachableError';
  readonly code = 'kube_unreachable';
  override readonly retryable = true;
  constructor(
    readonly server: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot reach the Kubernetes API at ${server}: ${reason}`, options);
  }
}

/** The kubeconfig is missing, unreadable or has no usable context. Raised at start-up. */
export class KubeConfigError extends KubeError {
  override readonly name = 'KubeConfigError';
  readonly code = 'kube_config_invalid';
}

/** Network error codes that mean "no answer from the API server" (node, undici and node-fetch spellings). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Maps what @kubernetes/client-node throws to a KubeError; returns undefined for anything else
 * (a bug, which the caller rethrows).
 */
export function toKubeError(error: unknown, { server }: { server: string }): KubeError | undefined {
  if (error instanceof KubeError) return error;
  if (error instanceof ApiException) return fromApiException(error as ApiException<unknown>);
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return new ClusterUnreachableError(server, 'no answer before the request timed out', { cause: error });
  }
  const code = networkCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new ClusterUnreachableError(server, `${code} (${firstLine(error.message)})`, { cause: error });
  }
  return undefined;
}

function fromApiException(error: ApiException<unknown>): KubeError {
  const status = error.code;
  const message = statusMessage(error.body) ?? defaultMessage(status);
  const options = { cause: error };
  switch (status) {
    case 400:
      return new KubeBadRequestError(status, message, options);
    case 401:
      return new KubeUnauthorizedError(status, message, options);
    case 403:
      return new KubeForbiddenError(status, message, options);
    case 404:
      return new KubeNotFoundError(status, message, options);
    case 409:
      return new KubeConflictError(status, message, options);
    case 422:
      return new KubeInvalidError(status, message, options);
  }
  if (status === 429 || status >= 500) {
    return new KubeServerError(status, message, retryAfterMs(headerValue(error.headers, 'retry-after')), options);
  }
  return new KubeRequestError(status, message, options);
}

/** The `message` of a Kubernetes Status body, which client-node hands over as text or as an object. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return body.trim() === '' ? undefined : firstLine(body);
    }
  }
  if (value !== null && typeof value === 'object' && 'message' in value && typeof value.message === 'string') {
    return value.message;
  }
  return undefined;
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Unauthorized: the API server rejected the credentials';
  return `the API server answered HTTP ${status}`;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function networkCode(error: Error): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return clipText(end === -1 ? text : text.slice(0, end), 300);
}
