import type { Table } from '../benchmark.ts';
import { runOpenLoop, type Sample } from './open-loop.ts';
import { distribution, round, type Distribution } from './stats.ts';

/** How the load is laid out: the same for every target of a benchmark. */
export interface LoadPlan {
  ratePerSecond: number;
  warmupMs: number;
  measureMs: number;
  /** The measured time is cut into rounds that visit every target in turn, so a passing disturbance on a shared box hits all of them alike. */
  rounds: number;
}

export interface LoadTarget {
  label: string;
  /** Sends request `index` of `phase` (unique per target and slice); resolves to an error description, or undefined when the answer was right. */
  send: (phase: string, index: number) => Promise<string | undefined>;
}

export interface InterleavedLoadOptions {
  plan: LoadPlan;
  targets: LoadTarget[];
  /** Called around each measured slice of target `t` (e.g. to reset a fake, then read what the target did to it). */
  beforeSlice?: (t: number) => void;
  afterSlice?: (t: number) => void;
}

export interface TargetRun {
  label: string;
  requests: number;
  errors: number;
  /** Requests answered correctly, warm-up included (e.g. each must have made one job). */
  accepted: number;
  errorKinds: Record<string, number>;
  latency: Distribution;
  maxStartLagMs: number;
  p99StartLagMs: number;
}

/**
 * Warms each target up, then measures them in interleaved rounds (order rotating each round), each slice
 * open loop at the plan's rate. Returns one run per target, in the targets' order.
 */
export async function loadInterleaved({ plan, targets, beforeSlice, afterSlice }: InterleavedLoadOptions): Promise<TargetRun[]> {
  const { ratePerSecond, warmupMs, measureMs, rounds } = plan;
  const runs: { warmupAccepted: number; samples: Sample[] }[] = [];
  for (const [t, target] of targets.entries()) {
    const warmup = await runOpenLoop({ ratePerSecond, durationMs: warmupMs, send: (i) => target.send(`warmup-${t}`, i) });
    runs.push({ warmupAccepted: warmup.filter((s) => s.ok).length, samples: [] });
  }
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < targets.length; k += 1) {
      const t = (round + k) % targets.length;
      const target = targets[t];
      const run = runs[t];
      if (target === undefined || run === undefined) continue;
      beforeSlice?.(t);
      const samples = await runOpenLoop({
        ratePerSecond,
        durationMs: measureMs / rounds,
        send: (i) => target.send(`round-${round}-${t}`, i),
      });
      run.samples.push(...samples);
      afterSlice?.(t);
    }
  }
  return targets.map((target, t) => describeRun(target.label, runs[t] ?? { warmupAccepted: 0, samples: [] }));
}

function describeRun(label: string, { samples, warmupAccepted }: { samples: Sample[]; warmupAccepted: number }): TargetRun {
  const errorKinds: Record<string, number> = {};
  for (const sample of samples) if (sample.error !== undefined) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  return {
    label,
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    accepted: warmupAccepted + samples.filter((s) => s.ok).length,
    errorKinds,
    latency: distribution(samples.map((s) => s.latencyMs)),
    maxStartLagMs: Math.max(0, ...samples.map((s) => s.startLagMs)),
    p99StartLagMs: distribution(samples.map((s) => s.startLagMs)).p99,
  };
}

/** A run for the JSON details. */
export function runSummary(run: TargetRun): Record<string, unknown> {
  const { p50, p90, p99, max, mean } = run.latency;
  return {
    requests: run.requests,
    errors: run.errors,
    errorKinds: run.errorKinds,
    p50: round(p50),
    p90: round(p90),
    p99: round(p99),
    max: round(max),
    mean: round(mean),
    maxStartLagMs: round(run.maxStartLagMs),
    p99StartLagMs: round(run.p99StartLagMs),
  };
}

/** One problem per target that had failed requests. */
export function failedRequestProblems(runs: readonly TargetRun[]): string[] {
  return runs
    .filter((run) => run.errors > 0)
    .map((run) => `${run.label}: ${run.errors} of ${run.requests} requests failed: ${JSON.stringify(run.errorKinds)}`);
}

/** The per-target latency table; `extra` adds columns (one cell per run, in order). */
export function perTargetTable(plan: LoadPlan, runs: readonly TargetRun[], extra: { header: string; cells: string[] }[] = []): Table {
  return {
    title: `per target (${plan.ratePerSecond} req/s, ${plan.measureMs / 1000} s each in ${plan.rounds} interleaved rounds, after ${plan.warmupMs / 1000} s warm-up; ms from scheduled start)`,
    header: ['target', 'requests', 'errors', 'p50', 'p90', 'p99', 'max', 'lag p99', 'lag max', ...extra.map((column) => column.header)],
    rows: runs.map((run, i) => [
      run.label,
      run.requests,
      run.errors,
      round(run.latency.p50),
      round(run.latency.p90),
      round(run.latency.p99),
      round(run.latency.max),
      round(run.p99StartLagMs),
      round(run.maxStartLagMs),
      ...extra.map((column) => column.cells[i] ?? ''),
    ]),
  };
}
