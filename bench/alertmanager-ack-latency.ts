import { Redis } from 'ioredis';
import { ALERT_QUEUE } from '../src/queue/alert-queue.ts';
import { notificationBody } from '../dev/fakes/notification-fixture.ts';
import { testRedisUrl, uniqueName } from '../dev/services/shared.ts';
import type { Benchmark, BenchmarkResult } from './benchmark.ts';
import { countJobs } from '../dev/support/count-jobs.ts';
import { deletePrefix } from './support/delete-prefix.ts';
import { failedRequestProblems, loadInterleaved, perTargetTable, runSummary, type LoadPlan } from './support/interleaved-load.ts';
import { latencyFigures, ratioProblems } from './support/latency-figures.ts';
import { postExpecting } from './support/post-expecting.ts';
import { spawnLoggedProcess } from './support/spawn-logged-process.ts';
import { startBenchGateway, waitForListening, type BenchGateway } from './support/start-bench-gateway.ts';

const PLAN: LoadPlan = { ratePerSecond: 100, warmupMs: 1_000, measureMs: 10_000, rounds: 10 };
const REQUEST_TIMEOUT_MS = 5_000;
const ALERTS_TOKEN = 'bench-alerts-token-5c08-0123456789abcd';
/**
 * Generous: the floor does no I/O at all, so the ratio shows the whole Redis round trip; more than this
 * means our path waits on something it should not.
 */
const MAX_P99_RATIO = 8;

export const alertmanagerAckLatency: Benchmark = {
  name: 'alertmanager-ack-latency',
  title: `Alertmanager webhook ack latency at ${PLAN.ratePerSecond} req/s open loop, gateway vs a bare node:http server`,
  needsCluster: false,
  run: measureAlertmanagerAckLatency,
};

async function measureAlertmanagerAckLatency(): Promise<BenchmarkResult> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueName('bench-alerts');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const bare = spawnLoggedProcess({ script: 'bench/support/bare-alerts-server.ts', env: {} });
  let gateway: BenchGateway | undefined;
  try {
    const bareUrl = String((await waitForListening(bare, 'bare alerts server listening')).url);
    gateway = await startBenchGateway({ redisUrl, prefix, env: { ALERTS_TOKEN } });
    const send =
      (baseUrl: string, authorization: string, status = 200) =>
      (phase: string, index: number) =>
        postExpecting({
          url: `${baseUrl}/alerts/alertmanager`,
          // A group of its own per request: each is a distinct notification, so each makes one job.
          body: JSON.stringify(notificationBody({ groupKey: `{}:{alertname="Bench",slice="${phase}",n="${index}"}` })),
          headers: { 'content-type': 'application/json', authorization },
          status,
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
    const problems: string[] = [];
    // The gateway's token check is on: a wrong token is refused (the floor checks none).
    const refused = await send(gateway.url, 'Bearer not-the-token', 401)('unauthorised', 0);
    if (refused !== undefined) problems.push(`gateway: a wrong token got ${refused}, expected HTTP 401`);
    const [floor, ours] = await loadInterleaved({
      plan: PLAN,
      targets: [
        { label: 'bare node:http server', send: send(bareUrl, `Bearer ${ALERTS_TOKEN}`) },
        { label: 'gateway', send: send(gateway.url, `Bearer ${ALERTS_TOKEN}`) },
      ],
    });
    if (floor === undefined || ours === undefined) throw new Error('a target was not measured');
    const jobs = await countJobs(redis, prefix, ALERT_QUEUE);
    problems.push(...failedRequestProblems([floor, ours]));
    if (jobs !== ours.accepted)
      problems.push(`gateway: ${jobs} alert jobs in Redis, expected ${ours.accepted} (one per distinct notification)`);
    const details = { ...PLAN, jobsEnqueued: jobs, maxP99Ratio: MAX_P99_RATIO, ours: runSummary(ours), floor: runSummary(floor) };
    const figures = latencyFigures({
      name: 'ack',
      ours,
      floor,
      floorName: 'bare node:http server (reads and parses the JSON, 200)',
      details,
    });
    problems.push(...ratioProblems(figures, MAX_P99_RATIO, ['ack p99']));
    problems.push(...gateway.warningProblems());
    return { figures, tables: [perTargetTable(PLAN, [floor, ours])], problems };
  } finally {
    await Promise.all([bare.stop(), gateway?.process.stop()]);
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}
