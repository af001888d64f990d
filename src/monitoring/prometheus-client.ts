import { MonitoringRequestError } from './errors.ts';
import { requestJson } from './request-json.ts';

/** One labelled value of an instant vector (or a scalar/string result, with no labels). */
export interface InstantSample {
  labels: Record<string, string>;
  /** Unix seconds. */
  time: number;
  value: number;
}

/** One labelled series of a range query: points as [unix seconds, value]. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: [number, number][];
}

export interface InstantResult {
  resultType: 'vector' | 'scalar' | 'string' | 'matrix';
  samples: InstantSample[];
  /** A range selector (`up[5m]`) queried at an instant gives a matrix. */
  series: RangeSeries[];
  warnings: string[];
}

export interface RangeResult {
  series: RangeSeries[];
  warnings: string[];
}

export interface PrometheusClient {
  readonly url: string;
  query(args: { query: string; time?: number; signal?: AbortSignal | undefined }): Promise<InstantResult>;
  /** start/end in unix seconds, step in seconds. */
  queryRange(args: { query: string; start: number; end: number; step: number; signal?: AbortSignal | undefined }): Promise<RangeResult>;
}

interface ApiResponse {
  status?: string;
  data?: { resultType?: string; result?: unknown };
  warnings?: string[];
}

interface RawSample {
  metric?: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** A client of the Prometheus HTTP API v1 (instant and range queries). */
export function prometheusClient({ url, headers = {} }: { url: string; headers?: Record<string, string> }): PrometheusClient {
  const get = (path: string, query: Record<string, string>, signal: AbortSignal | undefined) =>
    requestJson<ApiResponse>({ service: 'prometheus', baseUrl: url, path, query, headers, signal });
  return {
    url,
    async query({ query, time, signal }) {
      const body = await get('/api/v1/query', { query, ...(time === undefined ? {} : { time: String(time) }) }, signal);
      const data = successData(body);
      const resultType = data.resultType as InstantResult['resultType'];
      const result = data.result;
      if (resultType === 'scalar' || resultType === 'string') {
        const [time, value] = (result ?? []) as [number, string];
        return { resultType, samples: [{ labels: {}, time, value: Number(value) }], series: [], warnings: body.warnings ?? [] };
      }
      const raw = (result ?? []) as RawSample[];
      if (resultType === 'matrix') return { resultType, samples: [], series: raw.map(toSeries), warnings: body.warnings ?? [] };
      const samples = raw.map((s) => ({ labels: s.metric ?? {}, time: s.value?.[0] ?? 0, value: Number(s.value?.[1]) }));
      return { resultType: 'vector', samples, series: [], warnings: body.warnings ?? [] };
    },
    async queryRange({ query, start, end, step, signal }) {
      const body = await get('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) }, signal);
      const data = successData(body);
      return { series: ((data.result ?? []) as RawSample[]).map(toSeries), warnings: body.warnings ?? [] };
    },
  };
}

function successData(body: ApiResponse): NonNullable<ApiResponse['data']> {
  if (body.status !== 'success' || body.data === undefined) {
    throw new MonitoringRequestError('prometheus', `prometheus answered without data (status ${String(body.status)})`);
  }
  return body.data;
}

const toSeries = (s: RawSample): RangeSeries => ({
  labels: s.metric ?? {},
  points: (s.values ?? []).map(([t, v]) => [t, Number(v)]),
});
