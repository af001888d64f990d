import { retryAfterMs } from '../http/retry-after-ms.ts';
import { clipText } from '../kube/clip-text.ts';
import {
  MonitoringBadRequestError,
  MonitoringNotFoundError,
  MonitoringRequestError,
  MonitoringServerError,
  MonitoringUnauthorizedError,
  MonitoringUnreachableError,
  type MonitoringError,
  type MonitoringService,
} from './errors.ts';

export interface RequestJsonOptions {
  service: MonitoringService;
  /** Base URL of the service (a path prefix such as /prometheus is kept). */
  baseUrl: string;
  /** API path, e.g. /api/v1/query. */
  path: string;
  method?: 'GET' | 'POST';
  /** Query parameters; an array repeats the parameter (Alertmanager's filter=...&filter=...). */
  query?: Record<string, string | string[] | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /**
   * Retries of a 429/5xx answer or a connection failure. Reads are safe to repeat; writes pass 0, since a
   * 5xx may come after the change happened.
   */
  retries?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Longest Retry-After honoured; a longer one fails at once rather than holding the tool call. */
  maxRetryAfterMs?: number;
}

/**
 * One JSON request to a monitoring API with the layer's error classes: 4xx is not retried, 429/5xx is,
 * honouring Retry-After (capped). Error messages quote the service's own error text, never the request's
 * headers, so a bearer token cannot end up in a tool result.
 */
export async function requestJson<T = unknown>(options: RequestJsonOptions): Promise<T> {
  const { retries = 2, maxRetryAfterMs = 5_000 } = options;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return (await requestOnce(options)) as T;
    } catch (error) {
      const retryable = error instanceof MonitoringServerError || error instanceof MonitoringUnreachableError;
      if (!retryable || attempt >= retries || options.signal?.aborted === true) throw error;
      const retryAfter = error instanceof MonitoringServerError ? error.retryAfterMs : undefined;
      if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) throw error;
      await sleep(retryAfter ?? 200 * 2 ** attempt, options.signal);
    }
  }
}

async function requestOnce({
  service,
  baseUrl,
  path,
  method = 'GET',
  query = {},
  body,
  headers = {},
  signal,
  timeoutMs = 15_000,
}: RequestJsonOptions): Promise<unknown> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) url.searchParams.append(name, item);
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
  } catch (error) {
    if (signal?.aborted === true) throw error;
    const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : describeFetchError(error);
    throw new MonitoringUnreachableError(service, `${service} at ${url.origin} did not answer: ${reason}`, { cause: error });
  }
  const text = await response.text();
  if (response.ok) {
    try {
      return text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      throw new MonitoringRequestError(service, `${service} answered ${url.pathname} with a body that is not JSON`, {
        status: response.status,
        cause: error,
      });
    }
  }
  throw statusError(service, response, text, `${method} ${url.pathname}`);
}

function statusError(service: MonitoringService, response: Response, text: string, what: string): MonitoringError {
  const { status } = response;
  const { message, errorType } = errorDetail(text);
  const said = `${service} refused ${what} (HTTP ${status})${message === '' ? '' : `: ${message}`}`;
  if (status === 400 || status === 422) return new MonitoringBadRequestError(service, said, { status, errorType });
  if (status === 401 || status === 403) return new MonitoringUnauthorizedError(service, said, { status });
  if (status === 404) return new MonitoringNotFoundError(service, said, { status });
  if (status === 429 || status >= 500) {
    return new MonitoringServerError(service, `${service} failed ${what} (HTTP ${status})${message === '' ? '' : `: ${message}`}`, {
      status,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
  return new MonitoringRequestError(service, said, { status });
}

/** The error text of each API's error body: Prometheus {error, errorType}, Grafana {message}, Alertmanager a JSON string or {message}. */
function errorDetail(text: string): { message: string; errorType?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: clipText(text.trim(), 500) };
  }
  if (typeof parsed === 'string') return { message: clipText(parsed, 500) };
  const body = (parsed ?? {}) as { error?: unknown; errorType?: unknown; message?: unknown };
  const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : '';
  return { message: clipText(message, 500), ...(typeof body.errorType === 'string' ? { errorType: body.errorType } : {}) };
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const message = error instanceof Error ? error.message : String(error);
  return (cause === '' ? message : cause).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
