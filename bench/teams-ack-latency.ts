import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CHAT_QUEUE } from '../src/queue/chat-queue.ts';
import { messageActivity } from '../dev/fakes/teams-activities.ts';
import { startFakeBotFrameworkAuth } from '../dev/fakes/fake-bot-framework-auth.ts';
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
const APP_PASSWORD = 'bench-teams-app-password-7e21';
/** Generous: both verify the same RS256 token; more than this means our path waits on something it should not. */
const MAX_P99_RATIO = 5;

export const teamsAckLatency: Benchmark = {
  name: 'teams-ack-latency',
  title: `Teams POST /api/messages ack latency at ${PLAN.ratePerSecond} req/s open loop (JWT checked), gateway vs a bare botbuilder bot`,
  needsCluster: false,
  run: measureTeamsAckLatency,
};

async function measureTeamsAckLatency(): Promise<BenchmarkResult> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueName('bench-teams');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const appId = randomUUID();
  // The OpenID metadata and keys both targets fetch (once, then cached) to check the channel's tokens.
  const auth = await startFakeBotFrameworkAuth({ appId, password: APP_PASSWORD });
  // Nothing is sent to the connector on the ack path; a 404 here would show up as an error in the gateway's log.
  const serviceUrl = `${auth.url}/connector/`;
  // The Bot Connector reuses its token for an hour: one signature check per request, no signing on our side.
  const authorization = `Bearer ${auth.channelToken({ serviceUrl })}`;
  const forged = `Bearer ${auth.forgedToken({ serviceUrl })}`;
  const bare = spawnLoggedProcess({
    script: 'bench/support/bare-botbuilder-server.ts',
    env: {
      BENCH_TEAMS_APP_ID: appId,
      BENCH_TEAMS_APP_PASSWORD: APP_PASSWORD,
      BENCH_TEAMS_OPENID_METADATA_URL: auth.openIdMetadataUrl,
      BENCH_TEAMS_LOGIN_URL: auth.loginUrl,
    },
  });
  let gateway: BenchGateway | undefined;
  try {
    const bareUrl = String((await waitForListening(bare, 'bare botbuilder bot listening')).url);
    gateway = await startBenchGateway({
      redisUrl,
      prefix,
      env: {
        TEAMS_APP_ID: appId,
        TEAMS_APP_PASSWORD: APP_PASSWORD,
        TEAMS_OPENID_METADATA_URL: auth.openIdMetadataUrl,
        TEAMS_LOGIN_URL: auth.loginUrl,
      },
    });
    const send =
      (baseUrl: string, status: number, token = authorization) =>
      (phase: string, index: number) =>
        postExpecting({
          url: `${baseUrl}/api/messages`,
          body: JSON.stringify(messageActivity({ serviceUrl, text: `why is checkout crashing? (${phase} ${index})` })),
          headers: { 'content-type': 'application/json', authorization: token },
          status,
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
    // Both really check the token: a forged signature is refused before anything is measured. (Bare
    // CloudAdapter.process answers 500 to it: jsonwebtoken's error is not botbuilder's AuthenticationError.)
    const problems: string[] = [];
    for (const [label, url, status] of [
      ['bare botbuilder bot', bareUrl, 500],
      ['gateway', gateway.url, 401],
    ] as const) {
      const refused = await send(url, status, forged)('forged', 0);
      if (refused !== undefined) problems.push(`${label}: a forged token got ${refused}, expected HTTP ${status}`);
    }
    const [floor, ours] = await loadInterleaved({
      plan: PLAN,
      targets: [
        { label: 'bare botbuilder bot', send: send(bareUrl, 200) },
        // A mention in a channel: normalised, queued, 202.
        { label: 'gateway', send: send(gateway.url, 202) },
      ],
    });
    if (floor === undefined || ours === undefined) throw new Error('a target was not measured');
    const jobs = await countJobs(redis, prefix, CHAT_QUEUE);
    problems.push(...failedRequestProblems([floor, ours]));
    if (jobs !== ours.accepted) problems.push(`gateway: ${jobs} jobs in Redis, expected ${ours.accepted} (one per distinct activity)`);
    const details = { ...PLAN, jobsEnqueued: jobs, maxP99Ratio: MAX_P99_RATIO, ours: runSummary(ours), floor: runSummary(floor) };
    const figures = latencyFigures({
      name: 'ack',
      ours,
      floor,
      floorName: 'bare botbuilder bot (CloudAdapter.process, same JWT settings, empty turn, 200)',
      details,
    });
    problems.push(...ratioProblems(figures, MAX_P99_RATIO, ['ack p99']));
    problems.push(...gateway.warningProblems());
    return { figures, tables: [perTargetTable(PLAN, [floor, ours])], problems };
  } finally {
    await Promise.all([bare.stop(), gateway?.process.stop()]);
    await auth.stop();
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}
