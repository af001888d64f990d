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

/**
 * No HTTP answer at all: connection refused or reset, DNS, TLS, or a timeout. The message is short and
 * coded for the model ("the Kubernetes API did not answer (connection reset: ECONNRESET, retried 3×)"): the
 * API server's URL and the transport's own wording stay in `server` and `cause`, for logs.
 */
export class ClusterUnreachableError extends KubeError {
  override readonly name = 'ClusterUnreachableError';
  readonly code = 'kube_unreachable';
  override readonly retryable = true;
  /** A reset, refused or cut connection, which a read can simply try again (not a timeout, DNS or TLS failure). */
  readonly transient: boolean;
  /** Calls made, the retries included. */
  readonly attempts: number;
  constructor(
    readonly server: string,
    readonly reason: string,
    { transient = false, attempts = 1, cause }: { transient?: boolean; attempts?: number; cause?: unknown } = {},
  ) {
    super(`the Kubernetes API did not answer (${reason}${attempts > 1 ? `, retried ${attempts - 1}×` : ''})`, { cause });
    this.transient = transient;
    this.attempts = attempts;
  }

  /** The same failure, counted after `attempts` calls. */
  afterAttempts(attempts: number): ClusterUnreachableError {
    return new ClusterUnreachableError(this.server, this.reason, { transient: this.transient, attempts, cause: this.cause });
  }
}

/** The kubeconfig is missing, unreadable or has no usable context. Raised at start-up. */
export class KubeConfigError extends KubeError {
  override readonly name = 'KubeConfigError';
  readonly code = 'kube_config_invalid';
}

/**
 * Network error codes that mean "no answer from the API server" (node, undici and node-fetch spellings), with
 * the words the model reads. `transient` ones are a connection that broke and is worth a second try.
 */
const UNREACHABLE: Record<string, { reason: string; transient: boolean }> = {
  ECONNREFUSED: { reason: 'connection refused', transient: true },
  ECONNRESET: { reason: 'connection reset', transient: true },
  ECONNABORTED: { reason: 'connection reset', transient: true },
  EPIPE: { reason: 'connection reset', transient: true },
  ERR_STREAM_PREMATURE_CLOSE: { reason: 'connection closed mid-answer', transient: true },
  UND_ERR_SOCKET: { reason: 'connection reset', transient: true },
  ERR_KUBE_TRANSPORT: { reason: 'transport error', transient: true },
  Z_DATA_ERROR: { reason: 'answer cut short', transient: true },
  Z_BUF_ERROR: { reason: 'answer cut short', transient: true },
  ETIMEDOUT: { reason: 'connect timed out', transient: true },
  UND_ERR_CONNECT_TIMEOUT: { reason: 'connect timed out', transient: true },
  EAI_AGAIN: { reason: 'DNS lookup failed', transient: true },
  ENOTFOUND: { reason: 'DNS lookup failed', transient: false },
  EHOSTUNREACH: { reason: 'host unreachable', transient: false },
  ENETUNREACH: { reason: 'network unreachable', transient: false },
  DEPTH_ZERO_SELF_SIGNED_CERT: { reason: 'TLS certificate not trusted', transient: false },
  SELF_SIGNED_CERT_IN_CHAIN: { reason: 'TLS certificate not trusted', transient: false },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { reason: 'TLS certificate not trusted', transient: false },
  CERT_HAS_EXPIRED: { reason: 'TLS certificate expired', transient: false },
  ERR_TLS_CERT_ALTNAME_INVALID: { reason: 'TLS certificate names another host', transient: false },
};

/**
 * Maps what @kubernetes/client-node throws to a KubeError; returns undefined for anything else
 * (a bug, which the caller rethrows).
 */
export function toKubeError(error: unknown, { server }: { server: string }): KubeError | undefined {
  if (error instanceof KubeError) return error;
  if (error instanceof ApiException) return fromApiException(error as ApiException<unknown>);
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'TimeoutError') return new ClusterUnreachableError(server, 'timed out', { cause: error });
  if (error.name === 'AbortError') return new ClusterUnreachableError(server, 'cancelled', { cause: error });
  const code = networkCode(error);
  const known = code === undefined ? undefined : UNREACHABLE[code];
  if (code === undefined || known === undefined) return undefined;
  return new ClusterUnreachableError(server, `${known.reason}: ${code}`, { transient: known.transient, cause: error });
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
