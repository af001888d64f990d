import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses the Prometheus text exposition format strictly enough for tests: every non-comment line must be a
 * sample, and every sample's metric must have been declared by a # TYPE line (or be a histogram's/summary's
 * _bucket/_sum/_count of one).
 */
export function parseMetrics(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type !== null) types.set(type[1] ?? '', type[2] ?? '');
      else if (!line.startsWith('# HELP ')) throw new Error(`unexpected comment line: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const name = match[1] ?? '';
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(family)) throw new Error(`sample of undeclared metric: ${line}`);
    // Go's ParseFloat (Prometheus's parser) takes NaN and Inf in any case; prom-client writes "Nan".
    const raw = match[3] ?? '';
    const value = /^nan$/i.test(raw) ? Number.NaN : Number(raw.replace(/^([+-]?)inf$/i, '$1Infinity'));
    if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`bad value: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL))
      labels[key ?? ''] = (raw ?? '').replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name, labels, value });
  }
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels` (0 when there is none yet). */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

export async function scrape(baseUrl: string): Promise<{ text: string; samples: Sample[]; contentType: string }> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics: ${response.status}`);
  const text = await response.text();
  return { text, samples: parseMetrics(text), contentType: response.headers.get('content-type') ?? '' };
}

/** `promtool check metrics` (Prometheus's own linter for the format), when installed; undefined without it. */
export function promtoolCheck(text: string): { ok: boolean; output: string } | undefined {
  if (!existsSync('/usr/bin/promtool')) return undefined;
  const run = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
