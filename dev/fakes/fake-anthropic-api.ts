import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicId, type ContentBlock } from './anthropic-blocks.ts';
import { fakeRateLimits, type FakeRateLimitOptions } from './anthropic-rate-limits.ts';
import { checkMessagesRequest } from './anthropic-request-checks.ts';
import { readRequestBody } from './read-request-body.ts';
import { createStateWaiters } from './state-waiters.ts';

export { text, toolUse, type ContentBlock, type TextBlock, type ToolUseBlock } from './anthropic-blocks.ts';

/**
 * A local stand-in for Anthropic's Messages API (`POST /v1/messages`, non-streaming) for end-to-end tests
 * and benchmarks, used by the real `@anthropic-ai/sdk` client (`baseURL: fake.url`). Each test scripts
 * the model's turns; the fake checks every request the way the real API does (auth, version header,
 * required fields, tool_use/tool_result pairing), answers in the real response and error shapes, and
 * records what it saw and every rule a request broke.
 */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  service_tier: 'standard';
}

export interface ScriptedReply {
  content: ContentBlock[];
  stop_reason?: StopReason;
  usage?: Partial<Usage>;
  /** The request answered by this step must offer tools (`true`) or these tools by name. */
  expectTools?: true | string[];
}

export interface ScriptedError {
  error: { status: 429 | 529 | 500; type?: string; message?: string; retryAfter?: number };
}

/** The request body as sent (validated before a step sees it). */
export type MessagesRequest = Record<string, unknown> & { model: string; max_tokens: number; messages: unknown[] };

export type ScriptStep =
  ScriptedReply | ScriptedError | ((request: MessagesRequest) => ScriptedReply | ScriptedError | Promise<ScriptedReply | ScriptedError>);

export interface RecordedRequest {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
  /** HTTP status the fake answered. */
  status: number;
}

export interface Violation {
  requestIndex: number;
  /** `invalid_request`: the API would refuse it; `script`: the test's script could not answer it. */
  kind: 'invalid_request' | 'script';
  message: string;
}

export interface FakeAnthropicApiOptions {
  /** The key the fake accepts, as `x-api-key` or `Authorization: Bearer` (default `sk-ant-fake-key`). */
  apiKey?: string;
  /** Every request must offer tools. */
  requireTools?: boolean;
  /** Milliseconds each admitted request takes before its answer (a model turn's latency); refusals are immediate. */
  latencyMs?: number;
  /**
   * Rate limits enforced as the real API does (token buckets per minute, optionally requests in flight), answered
   * 429 with `retry-after`; every answer carries `anthropic-ratelimit-*` headers. Unset limits are generous.
   */
  rateLimits?: FakeRateLimitOptions;
}

export interface FakeAnthropicApi {
  /** Base URL for the SDK's `baseURL`. */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly Violation[];
  /** Appends steps; each request that passes the checks takes the next one. */
  script(...steps: ScriptStep[]): void;
  /** Steps not yet used. */
  pending(): number;
  /** Most requests being answered at once so far. */
  peakInFlight(): number;
  /** Changes the latency and rate limits from now on (fresh buckets), e.g. for a stack started with defaults. */
  configure(options: Pick<FakeAnthropicApiOptions, 'latencyMs' | 'rateLimits'>): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Forgets requests, violations and the remaining script. */
  reset(): void;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startFakeAnthropicApi(options: FakeAnthropicApiOptions = {}): Promise<FakeAnthropicApi> {
  const apiKey = options.apiKey ?? 'sk-ant-fake-key';
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const steps: ScriptStep[] = [];
  const waiters = createStateWaiters(() => describe(requests, violations, steps.length));
  let limits = fakeRateLimits(options.rateLimits);
  let latencyMs = options.latencyMs ?? 0;

  const violation = (requestIndex: number, kind: Violation['kind'], message: string, status: number): Answer => {
    violations.push({ requestIndex, kind, message });
    return errorAnswer(status, message);
  };

  const answer = async (request: IncomingMessage, index: number, raw: string, record: RecordedRequest): Promise<Answer> => {
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://x').pathname !== '/v1/messages') {
      return errorAnswer(404, 'Not found');
    }
    const presented = request.headers['x-api-key'] ?? /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined) return errorAnswer(401, 'x-api-key header is required');
    if (presented !== apiKey) return errorAnswer(401, 'invalid x-api-key');
    if (request.headers['anthropic-version'] === undefined) return errorAnswer(400, 'anthropic-version: header is required');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return violation(index, 'invalid_request', 'There was an issue with the request body: invalid JSON', 400);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return violation(index, 'invalid_request', 'The request body is not a JSON object', 400);
    }
    record.body = body as Record<string, unknown>;
    if (record.body.stream === true) {
      return violation(index, 'script', 'stream: the fake Anthropic API does not stream; call messages.create without stream', 400);
    }
    const problem = checkMessagesRequest(record.body, { requireTools: options.requireTools === true });
    if (problem !== undefined) return violation(index, 'invalid_request', problem, 400);
    const requestBody = record.body as MessagesRequest;

    const admission = limits.admit({ inputTokens: inputTokensOf(requestBody), maxTokens: requestBody.max_tokens });
    if (!admission.admitted) {
      return errorAnswer(429, admission.message, 'rate_limit_error', {
        'retry-after': String(admission.retryAfterSeconds),
        ...limits.headers(),
      });
    }
    let outputTokens = 0;
    try {
      const answered = await scripted(index, requestBody);
      outputTokens = (answered.body as { usage?: { output_tokens?: number } }).usage?.output_tokens ?? 0;
      if (latencyMs > 0) await sleep(latencyMs);
      return answered;
    } finally {
      admission.finish(outputTokens);
    }
  };

  /** The next scripted step's answer to an admitted request (or the violation it makes). */
  const scripted = async (index: number, requestBody: MessagesRequest): Promise<Answer> => {
    const step = steps.shift();
    if (step === undefined) return violation(index, 'script', 'the fake Anthropic API has no scripted response left for this request', 500);
    let spec: ScriptedReply | ScriptedError;
    try {
      spec = typeof step === 'function' ? await step(requestBody) : step;
    } catch (error) {
      return violation(index, 'script', `a scripted step threw: ${error instanceof Error ? error.message : String(error)}`, 500);
    }
    if ('error' in spec) {
      const { status, type, message, retryAfter } = spec.error;
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
      return errorAnswer(status, message ?? defaultMessage(status), type, headers);
    }
    const offered = offeredTools(requestBody);
    const expected = spec.expectTools === true ? [] : (spec.expectTools ?? []);
    if (spec.expectTools !== undefined && offered.size === 0) {
      return violation(index, 'invalid_request', 'tools: the script expected this request to offer tools, but it has none', 400);
    }
    const notOffered = expected.filter((name) => !offered.has(name));
    if (notOffered.length > 0) {
      return violation(index, 'invalid_request', `tools: the script expected these tools to be offered: ${notOffered.join(', ')}`, 400);
    }
    const unknown = spec.content.filter((b) => b.type === 'tool_use' && !offered.has(b.name));
    if (unknown.length > 0) {
      const names = unknown.map((b) => (b.type === 'tool_use' ? b.name : '')).join(', ');
      return violation(index, 'script', `the script calls tools the request did not offer: ${names}`, 500);
    }
    return { status: 200, body: message(requestBody, spec) };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const raw = await readRequestBody(request);
    const record: RecordedRequest = { body: {}, headers: request.headers, at: Date.now(), status: 0 };
    const index = requests.push(record) - 1;
    const result = await answer(request, index, raw, record);
    record.status = result.status;
    const requestId = (result.body as { request_id?: string }).request_id ?? anthropicId('req_011C');
    const rateLimitHeaders = result.status === 200 ? limits.headers() : {};
    response.writeHead(result.status, {
      'content-type': 'application/json',
      'request-id': requestId,
      ...rateLimitHeaders,
      ...result.headers,
    });
    response.end(JSON.stringify(result.body));
    waiters.changed();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(errorAnswer(500, `the fake Anthropic API failed: ${message}`).body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    violations,
    script: (...added) => void steps.push(...added),
    pending: () => steps.length,
    peakInFlight: () => limits.peakInFlight(),
    configure: (changed) => {
      latencyMs = changed.latencyMs ?? latencyMs;
      if (changed.rateLimits !== undefined) limits = fakeRateLimits(changed.rateLimits);
    },
    waitForRequests: (count, timeoutMs = 5000) =>
      waiters.waitFor(() => (requests.length >= count ? [...requests] : undefined), timeoutMs, `${count} requests`),
    reset() {
      requests.length = 0;
      violations.length = 0;
      steps.length = 0;
    },
    async stop() {
      waiters.cancelAll('the fake Anthropic API stopped');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function message(request: MessagesRequest, spec: ScriptedReply): Record<string, unknown> {
  const hasToolUse = spec.content.some((b) => b.type === 'tool_use');
  const estimated = Math.max(1, Math.ceil(JSON.stringify(spec.content).length / 4));
  const usage: Usage = {
    input_tokens: inputTokensOf(request),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: Math.min(estimated, request.max_tokens),
    service_tier: 'standard',
    ...spec.usage,
  };
  return {
    id: anthropicId('msg_01'),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: spec.content,
    stop_reason: spec.stop_reason ?? (hasToolUse ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage,
  };
}

/** About four characters a token, as for English text and JSON. */
function inputTokensOf(request: MessagesRequest): number {
  return Math.ceil(JSON.stringify([request.system ?? '', request.tools ?? [], request.messages]).length / 4);
}

function offeredTools(request: MessagesRequest): Set<string> {
  const tools: unknown[] = Array.isArray(request.tools) ? request.tools : [];
  return new Set(tools.map((t) => (typeof t === 'object' && t !== null && 'name' in t ? String(t.name) : '')));
}

function errorAnswer(status: number, message: string, type?: string, headers: Record<string, string> = {}): Answer {
  const requestId = anthropicId('req_011C');
  return {
    status,
    headers,
    body: { type: 'error', error: { type: type ?? errorTypes[status] ?? 'api_error', message }, request_id: requestId },
  };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Number of request tokens has exceeded your per-minute rate limit';
  if (status === 529) return 'Overloaded';
  return 'Internal server error';
}

function describe(requests: readonly RecordedRequest[], violations: readonly Violation[], pending: number): string {
  const lines = requests.map((r, i) => {
    const messages = Array.isArray(r.body.messages) ? r.body.messages.length : 0;
    return `  #${i} → ${r.status} (${messages} messages)`;
  });
  for (const v of violations) lines.push(`  violation in #${v.requestIndex} (${v.kind}): ${v.message}`);
  lines.push(`  ${pending} scripted steps left`);
  return lines.join('\n');
}
