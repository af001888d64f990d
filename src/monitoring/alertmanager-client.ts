import { requestJson } from './request-json.ts';

/** An alert as Alertmanager API v2 returns it (the fields this project reads). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

/** A label matcher of a silence (API v2 shape). */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface NewSilence {
  matchers: SilenceMatcher[];
  /** ISO-8601. */
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface AlertFilter {
  /** Matchers in Alertmanager's syntax, e.g. `alertname="HighLatency"`, `severity=~"crit.*"`. */
  matchers?: string[];
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  /** Regex of receiver names. */
  receiver?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface AlertmanagerClient {
  readonly url: string;
  alerts(filter?: AlertFilter): Promise<AlertmanagerAlert[]>;
  /** Creates a silence; returns its id. Not retried: a 5xx may come after it was created. */
  createSilence(silence: NewSilence, options?: { signal?: AbortSignal | undefined }): Promise<string>;
}

/** A client of the Alertmanager API v2. */
export function alertmanagerClient({ url, headers = {} }: { url: string; headers?: Record<string, string> }): AlertmanagerClient {
  return {
    url,
    async alerts({ matchers = [], active, silenced, inhibited, receiver, signal } = {}) {
      const flag = (value: boolean | undefined) => (value === undefined ? undefined : String(value));
      const alerts = await requestJson<AlertmanagerAlert[]>({
        service: 'alertmanager',
        baseUrl: url,
        path: '/api/v2/alerts',
        query: { filter: matchers, active: flag(active), silenced: flag(silenced), inhibited: flag(inhibited), receiver },
        headers,
        signal,
      });
      return alerts ?? [];
    },
    async createSilence(silence, { signal } = {}) {
      const created = await requestJson<{ silenceID?: string }>({
        service: 'alertmanager',
        baseUrl: url,
        path: '/api/v2/silences',
        method: 'POST',
        body: silence,
        headers,
        signal,
        retries: 0,
      });
      return created?.silenceID ?? '';
    },
  };
}
