import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import type { FakeRateLimitOptions } from '../dev/fakes/anthropic-rate-limits.ts';
import type { FakeSlackApi } from '../dev/fakes/fake-slack-api.ts';
import { BURST_TURNS, burstOutcomes, burstQuestion, failedToolResults, scriptBurst } from '../dev/support/burst-conversation.ts';
import { postToSlackEndpoint, slashCommandBody } from '../dev/support/slack-requests.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure, type Table } from './benchmark.ts';
import { forEachConcurrently } from './support/for-each-concurrently.ts';
import type { LogLine } from './support/spawn-logged-process.ts';
import { startBenchServices } from './support/start-bench-services.ts';
import { distribution, percentile, round } from './support/stats.ts';
import { BENCH_SIGNING_SECRET } from './support/role-env.ts';

const LATENCY_MS = 2_000;
const IDEAL_MS = BURST_TURNS * LATENCY_MS;
const SENDERS = 64;
const REFUSAL_LIMIT = { maxInFlight: 20, inFlightRetryAfterSeconds: 2 } satisfies FakeRateLimitOptions;
const SIGNING_SECRET = BENCH_SIGNING_SECRET;

interface Scenario {
  name: string;
  questions: number;
  rateLimits?: FakeRateLimitOptions;
  deadlineMs: number;
}

const SCENARIOS: Scenario[] = [
  { name: '200 questions', questions: 200, deadlineMs: 120_000 },
  { name: '1,000 questions', questions: 1_000, deadlineMs: 240_000 },
  {
    name: `200 questions, model refuses beyond ${REFUSAL_LIMIT.maxInFlight} in flight (429, retry-after ${REFUSAL_LIMIT.inFlightRetryAfterSeconds} s)`,
    questions: 200,
    rateLimits: REFUSAL_LIMIT,
    deadlineMs: 300_000,
  },
];

export const burst: Benchmark = {
  name: 'burst',
  title: `questions at once through the gateway, ${BURST_TURNS} model turns of ${LATENCY_MS / 1000} s with real tools, one worker process with the product's defaults`,
  needsCluster: true,
  run: measureBurst,
};

interface ScenarioRun {
  scenario: Scenario;
  answered: number;
  drainMs: number;
  sendMs: number;
  latenciesMs: number[];
  idleRssMb: number;
  peakRssMb: number;
  concurrency: number;
  failedTools: number;
  errorAnswers: number;
  modelRequests: number;
  refusals: number;
  peakModelInFlight: number;
  workerWarnings: LogLine[];
  problems: string[];
}

async function measureBurst(): Promise<BenchmarkResult> {
  const limitMb = chartWorkerMemoryLimitMiB();
  const runs: ScenarioRun[] = [];
  for (const scenario of SCENARIOS) runs.push(await runScenario(scenario));
  const [small, large, refused] = runs as [ScenarioRun, ScenarioRun, ScenarioRun];
  const problems = runs.flatMap((run) => run.problems.map((p) => `${run.scenario.name}: ${p}`));
  const p95 = (run: ScenarioRun) =>
    percentile(
      [...run.latenciesMs].sort((a, b) => a - b),
      95,
    );
  if (small.drainMs > 3 * IDEAL_MS) problems.push(`200 questions drained in ${small.drainMs} ms, over 3× the ideal ${IDEAL_MS} ms`);
  if (p95(small) > 3 * IDEAL_MS) problems.push(`200 questions: p95 ${p95(small)} ms, over 3× the ideal ${IDEAL_MS} ms`);
  for (const run of runs) {
    const warning = run.workerWarnings[0];
    if (warning !== undefined)
      problems.push(
        `${run.scenario.name}: the worker logged ${run.workerWarnings.length} warnings or errors, the first: ${String(warning.msg)}`,
      );
    if (run.peakRssMb > limitMb)
      problems.push(`${run.scenario.name}: worker peak RSS ${run.peakRssMb} MiB over the chart's limit ${limitMb} MiB`);
  }
  if (refused.refusals === 0) problems.push('the refusing model never answered 429: the storm did not happen');

  const refusalFloorMs = (refused.scenario.questions * BURST_TURNS * LATENCY_MS) / REFUSAL_LIMIT.maxInFlight;
  const perConversationMb = (small.peakRssMb - small.idleRssMb) / Math.min(small.scenario.questions, small.concurrency);
  const details = (run: ScenarioRun) => ({
    questions: run.scenario.questions,
    workerConcurrency: run.concurrency,
    sendMs: run.sendMs,
    latencyMs: roundAll(distribution(run.latenciesMs)),
    p95Ms: p95(run),
    idleRssMb: run.idleRssMb,
    peakRssMb: run.peakRssMb,
    modelRequests: run.modelRequests,
    refusals: run.refusals,
    peakModelInFlight: run.peakModelInFlight,
    failedToolResults: run.failedTools,
    errorAnswers: run.errorAnswers,
  });
  const idealName = `turns × latency (${BURST_TURNS} × ${LATENCY_MS / 1000} s)`;
  const figures: Figure[] = [
    figureOf({
      name: 'drain, 200 questions',
      figure: small.drainMs,
      unit: 'ms',
      floor: IDEAL_MS,
      floorName: idealName,
      details: details(small),
    }),
    figureOf({
      name: 'p95 time to answer, 200 questions',
      figure: p95(small),
      unit: 'ms',
      floor: IDEAL_MS,
      floorName: idealName,
      details: details(small),
    }),
    figureOf({
      name: 'drain, 1,000 questions',
      figure: large.drainMs,
      unit: 'ms',
      floor: IDEAL_MS,
      floorName: idealName,
      details: details(large),
    }),
    figureOf({
      name: 'p95 time to answer, 1,000 questions',
      figure: p95(large),
      unit: 'ms',
      floor: IDEAL_MS,
      floorName: idealName,
      details: details(large),
    }),
    figureOf({
      name: 'worker peak RSS, 1,000 questions',
      figure: large.peakRssMb,
      unit: 'MiB',
      floor: limitMb,
      floorName: "the chart's worker memory limit",
      details: details(large),
    }),
    figureOf({
      name: 'worker memory per in-flight conversation',
      figure: round(perConversationMb),
      unit: 'MiB',
      floor: null,
      floorName: null,
      details: details(small),
    }),
    figureOf({
      name: 'drain, 200 questions, 429 storm',
      figure: refused.drainMs,
      unit: 'ms',
      floor: round(refusalFloorMs),
      floorName: `the model's capacity (${REFUSAL_LIMIT.maxInFlight} in flight)`,
      details: details(refused),
    }),
    figureOf({
      name: 'error answers, 429 storm',
      figure: refused.errorAnswers,
      unit: 'answers',
      floor: null,
      floorName: null,
      details: details(refused),
    }),
    figureOf({
      name: 'failed tool results, all runs',
      figure: runs.reduce((sum, run) => sum + run.failedTools, 0),
      unit: 'results',
      floor: null,
      floorName: null,
      details: {},
    }),
  ];
  const table: Table = {
    title: `runs (ideal ${IDEAL_MS} ms; WORKER_CONCURRENCY=${small.concurrency} default; chart worker memory limit ${limitMb} MiB)`,
    header: [
      'run',
      'answered',
      'send ms',
      'drain ms',
      'drain / ideal',
      'p50 ms',
      'p95 ms',
      'peak RSS MiB',
      'model calls',
      '429s',
      'failed tools',
      'error answers',
    ],
    rows: runs.map((run) => [
      run.scenario.name,
      run.answered,
      run.sendMs,
      run.drainMs,
      `${(run.drainMs / IDEAL_MS).toFixed(1)}x`,
      percentile(
        [...run.latenciesMs].sort((a, b) => a - b),
        50,
      ),
      p95(run),
      run.peakRssMb,
      run.modelRequests,
      run.refusals,
      run.failedTools,
      run.errorAnswers,
    ]),
  };
  return { figures, tables: [table], problems };
}

/** One burst against fresh role processes (so the worker's peak RSS is this run's). */
async function runScenario(scenario: Scenario): Promise<ScenarioRun> {
  // The product's defaults: no WORKER_CONCURRENCY, no MODEL_* settings.
  const services = await startBenchServices({ label: 'bench-burst', logLevel: 'info' });
  const { slack, model } = services;
  try {
    await services.startRole('mcp');
    // The worker as the image runs it (compiled), so its RSS is the product's, not tsx's.
    const worker = await services.startRole('worker', {
      keep: (line) => line.level === 'warn' || line.level === 'error' || line.level === 'fatal',
      compiled: true,
    });
    const gateway = await services.startRole('gateway');
    const gatewayUrl = String(gateway.listening.url);
    const pid = worker.process.child.pid;
    scriptBurst(model, scenario.questions + 1);
    // One question first: the worker's MCP session is open and its code warm, as in steady state.
    const warm = await sendAndWait({ gatewayUrl, slack, first: scenario.questions, count: 1, deadlineMs: 30_000 });
    const idleRssMb = memoryMiB(pid, 'VmRSS');
    model.configure({ latencyMs: LATENCY_MS, ...(scenario.rateLimits === undefined ? {} : { rateLimits: scenario.rateLimits }) });
    const modelBefore = model.requests.length;
    const run = await sendAndWait({ gatewayUrl, slack, first: 0, count: scenario.questions, deadlineMs: scenario.deadlineMs });
    const requests = model.requests.slice(modelBefore);
    const failed = failedToolResults(model);
    const problems = [...warm.problems, ...run.problems];
    if (failed.count > 0) problems.push(`${failed.count} failed tool results, the first: ${failed.first?.slice(0, 200)}`);
    const warnings = worker.process.lines.filter(
      (line) => line.msg !== 'web console has NO LOGIN: CONSOLE_TOKEN is not set, so anyone on this machine can use /console',
    );
    return {
      scenario,
      answered: run.latenciesMs.length,
      drainMs: run.drainMs,
      sendMs: run.sendMs,
      latenciesMs: run.latenciesMs,
      idleRssMb,
      peakRssMb: memoryMiB(pid, 'VmHWM'),
      concurrency: Number(worker.listening.concurrency),
      failedTools: failed.count,
      errorAnswers: run.errorAnswers,
      modelRequests: requests.length,
      refusals: requests.filter((r) => r.status === 429).length,
      peakModelInFlight: model.peakInFlight(),
      workerWarnings: warnings,
      problems: [
        ...problems,
        ...(model.violations.length > 0 ? [`model: ${model.violations.length} violations, first: ${model.violations[0]?.message}`] : []),
      ],
    };
  } finally {
    await services.stop();
  }
}

/** Sends questions `first`… with SENDERS concurrent senders and waits until each is answered once (or the deadline). */
async function sendAndWait({
  gatewayUrl,
  slack,
  first,
  count,
  deadlineMs,
}: {
  gatewayUrl: string;
  slack: FakeSlackApi;
  first: number;
  count: number;
  deadlineMs: number;
}) {
  const sentAt = new Map<number, number>();
  const problems: string[] = [];
  const started = Date.now();
  await forEachConcurrently(count, SENDERS, async (offset) => {
    const index = first + offset;
    sentAt.set(index, Date.now());
    try {
      const response = await postToSlackEndpoint({
        gatewayUrl,
        body: slashCommandBody({ text: burstQuestion(index), triggerId: `burst.${started}.${index}` }),
        secret: SIGNING_SECRET,
      });
      await response.text();
      if (response.status !== 200) problems.push(`question ${index}: slash command got HTTP ${response.status}`);
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      problems.push(`question ${index}: the slash command failed (${error instanceof Error ? error.message : String(error)}${cause})`);
    }
  });
  const sendMs = Date.now() - started;
  const ours = () => [...burstOutcomes(slack)].filter(([index]) => index >= first && index < first + count);
  const settled = () => ours().filter(([, o]) => o.answeredAt !== undefined || o.errorAnswer).length;
  while (settled() < count && Date.now() - started < deadlineMs) await sleep(100);
  await sleep(300); // room for a wrong second answer to show up
  const latenciesMs: number[] = [];
  let lastAnswerAt = started;
  let errorAnswers = 0;
  const outcomes = new Map(ours());
  for (let index = first; index < first + count; index += 1) {
    const outcome = outcomes.get(index);
    if (outcome?.errorAnswer === true) errorAnswers += 1;
    if (outcome?.answeredAt === undefined) {
      problems.push(`question ${index}: ${outcome?.errorAnswer === true ? 'an error answer' : `no answer within ${deadlineMs} ms`}`);
      continue;
    }
    if (outcome.roots !== 1 || outcome.replies !== 1)
      problems.push(`question ${index}: ${outcome.roots} roots and ${outcome.replies} replies, expected 1 and 1`);
    latenciesMs.push(outcome.answeredAt - (sentAt.get(index) ?? started));
    lastAnswerAt = Math.max(lastAnswerAt, outcome.answeredAt);
  }
  return { latenciesMs, drainMs: lastAnswerAt - started, sendMs, errorAnswers, problems: problems.slice(0, 10) };
}

/** VmRSS (now) or VmHWM (the peak) of a process, in MiB, from /proc. */
function memoryMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return Number.NaN;
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

/** worker.resources.limits.memory of the Helm chart's values, in MiB. */
function chartWorkerMemoryLimitMiB(): number {
  const values = parse(readFileSync(join(import.meta.dirname, '../deploy/helm/ai4k8s/values.yaml'), 'utf8')) as {
    worker: { resources: { limits: { memory: string } } };
  };
  const memory = values.worker.resources.limits.memory;
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (match === null) throw new Error(`worker memory limit ${memory}: expected Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

function roundAll(d: ReturnType<typeof distribution>): Record<string, number> {
  return Object.fromEntries(Object.entries(d).map(([k, v]: [string, number]) => [k, round(v)]));
}
