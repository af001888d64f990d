import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { onItText, queueUnavailableText, queueUnconfirmedText } from '../../adapters/slack/k8s-command-text.ts';
import { spawnLoggedProcess, type LoggedProcess, type LogLine } from '../../bench/support/spawn-logged-process.ts';
import type { SharedTestCluster } from '../cluster/shared-cluster.ts';
import { startFakeAnthropicApi } from '../fakes/fake-anthropic-api.ts';
import { startFakeSlackApi } from '../fakes/fake-slack-api.ts';
import { freePort } from '../support/free-port.ts';
import { startRedisServer } from '../services/redis-server.ts';
import { uniqueName } from '../services/shared.ts';
import { postToSlackEndpoint, slashCommandBody } from '../support/slack-requests.ts';
import { soakTurn } from './soak-model.ts';
import { diagnoseUnanswered } from './unanswered-diagnosis.ts';
import { countOutcomes, soakProblems, soakQuestion, type AckKind, type QuestionOutcome, type SentQuestion } from './soak-outcomes.ts';

const SIGNING_SECRET = 'soak-signing-secret-6b1d0c2e9f4a8b7c5d3e';
const BOT_TOKEN = 'xoxb-soak-bot-token-3e8a';
const MODEL_KEY = 'sk-ant-soak-key-0f9d';
const MCP_TOKEN = 'soak-mcp-token-5c2b7e1d9a4f3c8e6b0d';

export interface FaultSoakOptions {
  /** Signed slash commands sent, one every `intervalMs`. */
  questions: number;
  intervalMs: number;
  workers: number;
  /** Kill workers, restart MCP, restart Redis (SHUTDOWN and kill -9); false: the same run without faults (the floor). */
  faults: boolean;
  /** A cluster this run may restart the API server of (with faults); undefined: the API server stays up. */
  restartableCluster?: SharedTestCluster & { restartApiServer(options?: { kill?: boolean; downMs?: number }): Promise<void> };
  /** Any cluster to read from when none is restartable. */
  cluster: SharedTestCluster;
  /** Model latency per turn (two turns a question: a tool call, then the answer). */
  modelLatencyMs: number;
  /** How long to wait, after the last question was sent, for every acknowledged one to be answered. */
  drainTimeoutMs: number;
  log?: (line: string) => void;
  /** A file every role's log lines are appended to (JSON lines, each with the role's pid), for a failing run. */
  roleLogFile?: string;
}

export interface FaultSoakResult {
  outcomes: QuestionOutcome[];
  problems: string[];
  /** What the chaos did, in order, with the time since the first question. */
  events: string[];
  /** First question sent → last acknowledged question answered. */
  drainMs: number;
  /** Time to answer of each answered question. */
  answerMs: number[];
  /** Lines the roles logged at warn or above (kept for a failing run's report). */
  warnings: LogLine[];
  /** Each acknowledged but unanswered question's job: its state in Redis and every role log line about it. */
  unanswered: string[];
}

interface Role {
  process: LoggedProcess;
  listening: LogLine;
}

/** Roles start slowly on a busy machine (a cold Node process loads a few hundred modules): wait long. */
const ROLE_START_TIMEOUT_MS = 120_000;

async function startRoleProcess(
  role: 'gateway' | 'worker' | 'mcp',
  env: Record<string, string>,
  keep: (line: LogLine, pid: number | undefined) => boolean,
): Promise<Role> {
  const started: LoggedProcess = spawnLoggedProcess({
    script: 'src/cli/main.ts',
    args: [role],
    env,
    keep: (line) => keep(line, started.child.pid),
  });
  try {
    return { process: started, listening: await started.waitForLine((line) => line.msg === `${role} listening`, ROLE_START_TIMEOUT_MS) };
  } catch (error) {
    await started.stop(0);
    throw error;
  }
}

/**
 * The roles as separate processes (MCP server, gateway, workers) on a private redis-server with an append-only
 * file and a real cluster; signed slash commands through the gateway; during the run workers are killed with
 * kill -9 every few seconds, the MCP server is restarted, Redis is stopped gracefully (SHUTDOWN) and killed, and
 * optionally the API server is restarted. Then every question's fate is counted from the fake Slack.
 */
export async function runFaultSoak(options: FaultSoakOptions): Promise<FaultSoakResult> {
  const log = options.log ?? (() => undefined);
  const redis = await startRedisServer({ appendonly: true });
  const [slack, model, mcpPort] = await Promise.all([
    startFakeSlackApi({ token: BOT_TOKEN }),
    startFakeAnthropicApi({ apiKey: MODEL_KEY }),
    freePort(),
  ]);
  const cluster = options.restartableCluster ?? options.cluster;
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: uniqueName('soak'),
    HOST: '127.0.0.1',
    PORT: '0',
    MCP_PORT: String(mcpPort),
    WORKER_PORT: '0',
    MCP_URL: `http://127.0.0.1:${mcpPort}/mcp`,
    MCP_TOKEN,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_USER_ID: 'U0SOAKBOT1',
    SLACK_API_URL: slack.url,
    ANTHROPIC_API_KEY: MODEL_KEY,
    ANTHROPIC_BASE_URL: model.url,
    KUBECONFIG: cluster.kubeconfigPath,
    // Longer than any Redis outage of the run (locks must not expire while Redis is away), short enough that a
    // killed worker's jobs are taken over within seconds.
    JOB_LOCK_MS: '8000',
    LOG_LEVEL: 'info',
  };
  model.script(...Array.from({ length: options.questions * 8 }, () => soakTurn(options.modelLatencyMs)));
  const warnings: LogLine[] = [];
  const jobLines = new Map<string, (LogLine & { pid: number | undefined })[]>();
  const keep = (line: LogLine, pid: number | undefined) => {
    if (options.roleLogFile !== undefined) appendFileSync(options.roleLogFile, `${JSON.stringify({ pid, ...line })}\n`);
    if (typeof line.jobId === 'string') jobLines.set(line.jobId, [...(jobLines.get(line.jobId) ?? []), { ...line, pid }]);
    if ((line.level === 'warn' || line.level === 'error' || line.level === 'fatal') && warnings.length < 2_000) warnings.push(line);
    return false;
  };
  let started = Date.now();
  const events: string[] = [];
  const note = (event: string) => {
    const line = `${((Date.now() - started) / 1000).toFixed(1)} s: ${event}`;
    events.push(line);
    log(line);
  };
  let mcp: Role | undefined;
  let gateway: Role | undefined;
  const workers: LoggedProcess[] = [];
  const spawnWorker = async () => {
    const worker = await startRoleProcess('worker', env, keep);
    workers.push(worker.process);
  };
  try {
    mcp = await startRoleProcess('mcp', env, keep);
    gateway = await startRoleProcess('gateway', env, keep);
    await Promise.all(Array.from({ length: options.workers }, spawnWorker));
    const gatewayUrl = String(gateway.listening.url);
    started = Date.now();
    note(`${options.workers} workers, the MCP server and the gateway are listening`);

    const sent: SentQuestion[] = [];
    const sending = sendQuestions({ gatewayUrl, count: options.questions, intervalMs: options.intervalMs, sent });
    const sendingMs = options.questions * options.intervalMs;
    const chaos = options.faults
      ? runChaos({
          sendingMs,
          note,
          workers,
          minWorkers: options.workers,
          spawnWorker,
          redis,
          restartMcp: async (downMs) => {
            const old = mcp;
            mcp = undefined;
            await old?.process.stop(2_000);
            await sleep(downMs);
            mcp = await startRoleProcess('mcp', env, keep);
          },
          cluster: options.restartableCluster,
        })
      : Promise.resolve();
    await Promise.all([sending, chaos]);
    note(`sent ${sent.length} questions`);

    const deadline = Date.now() + options.drainTimeoutMs;
    let outcomes = countOutcomes(sent, slack.messages());
    const waiting = () => outcomes.filter((o) => o.ack === 'queued' && o.answers === 0);
    while (waiting().length > 0 && Date.now() < deadline) {
      await sleep(250);
      outcomes = countOutcomes(sent, slack.messages());
    }
    await sleep(2_000); // room for a late duplicate
    outcomes = countOutcomes(sent, slack.messages());
    note(`drained: ${outcomes.filter((o) => o.answers > 0).length} answered, ${waiting().length} acknowledged but unanswered`);
    const answered = outcomes.filter((o) => o.answeredAt !== undefined);
    const lastAnswer = Math.max(started, ...answered.map((o) => o.answeredAt ?? started));
    const firstSent = Math.min(...sent.map((q) => q.sentAt));
    const unanswered = await diagnoseUnanswered({
      redisUrl: redis.url,
      prefix: env.QUEUE_PREFIX ?? '',
      indexes: waiting().map((o) => o.index),
      messages: slack.messages(),
      jobLines,
    });
    return {
      outcomes,
      problems: soakProblems(outcomes),
      events,
      drainMs: lastAnswer - firstSent,
      answerMs: answered.map((o) => (o.answeredAt ?? 0) - o.sentAt),
      warnings,
      unanswered,
    };
  } finally {
    await Promise.all([...workers.map((w) => w.stop(2_000)), mcp?.process.stop(2_000), gateway?.process.stop(2_000)]);
    await Promise.all([slack.stop(), model.stop(), redis.stop()]);
  }
}

async function sendQuestions({
  gatewayUrl,
  count,
  intervalMs,
  sent,
}: {
  gatewayUrl: string;
  count: number;
  intervalMs: number;
  sent: SentQuestion[];
}): Promise<void> {
  const all: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const sentAt = Date.now();
    all.push(
      (async () => {
        let ack: AckKind;
        try {
          const body = slashCommandBody({ text: soakQuestion(index), triggerId: `soak.${sentAt}.${index}` });
          const response = await postToSlackEndpoint({ gatewayUrl, body, secret: SIGNING_SECRET });
          const text = response.status === 200 ? ((await response.json()) as { text?: string }).text : undefined;
          if (response.status !== 200) await response.arrayBuffer();
          ack =
            text === onItText
              ? 'queued'
              : text === queueUnavailableText
                ? 'not_started'
                : text === queueUnconfirmedText
                  ? 'unconfirmed'
                  : 'failed';
        } catch {
          ack = 'failed';
        }
        sent.push({ index, ack, sentAt });
      })(),
    );
    await sleep(intervalMs);
  }
  await Promise.all(all);
}

interface ChaosOptions {
  sendingMs: number;
  note: (event: string) => void;
  workers: LoggedProcess[];
  /** A worker is killed only while this many are up, so the kills never outrun the replacements' start-up. */
  minWorkers: number;
  spawnWorker: () => Promise<void>;
  redis: Awaited<ReturnType<typeof startRedisServer>>;
  restartMcp: (downMs: number) => Promise<void>;
  cluster: FaultSoakOptions['restartableCluster'];
}

/** A long soak repeats the restarts once per this much sending time (the default run is one cycle). */
const CHAOS_CYCLE_MS = 60_000;

/**
 * The faults, spread over the sending phase: a worker killed (kill -9) and replaced every 4 s (while enough are
 * up); and in each cycle of up to a minute, the MCP server down for 5 s, Redis stopped with SHUTDOWN for 3 s,
 * later killed (kill -9) for 3 s, and with a restartable cluster the API server restarted (SIGTERM, 3 s down).
 */
async function runChaos({ sendingMs, note, workers, minWorkers, spawnWorker, redis, restartMcp, cluster }: ChaosOptions): Promise<void> {
  const chaosStarted = Date.now();
  const cycles = Math.max(1, Math.round(sendingMs / CHAOS_CYCLE_MS));
  const cycleMs = sendingMs / cycles;
  /** Runs `action` at `fraction` of every cycle. */
  const at = async (fraction: number, what: string, action: () => Promise<void>) => {
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      await sleep(Math.max(0, cycle * cycleMs + cycleMs * fraction - (Date.now() - chaosStarted)));
      note(`${what}…`);
      await action();
      note(`${what}: done`);
    }
  };
  const killWorkers = async () => {
    const until = Date.now() + sendingMs;
    const replacements: Promise<void>[] = [];
    await sleep(2_000);
    while (Date.now() < until) {
      const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      const victim = live.length >= minWorkers ? live[Math.floor(Math.random() * live.length)] : undefined;
      if (victim !== undefined) {
        victim.child.kill('SIGKILL');
        note(`worker ${victim.child.pid ?? '?'} killed (kill -9)`);
        replacements.push(
          spawnWorker().then(
            () => note('replacement worker listening'),
            (error: unknown) => note(`replacement worker failed: ${String(error)}`),
          ),
        );
      }
      await sleep(4_000);
    }
    await Promise.all(replacements);
  };
  await Promise.all([
    killWorkers(),
    at(0.15, 'MCP server restart (5 s down)', () => restartMcp(5_000)),
    at(0.35, 'Redis SHUTDOWN (3 s down)', async () => {
      await redis.shutdown();
      await sleep(3_000);
      await redis.restart();
    }),
    at(0.65, 'Redis kill -9 (3 s down)', async () => {
      await redis.kill();
      await sleep(3_000);
      await redis.restart();
    }),
    cluster === undefined ? Promise.resolve() : at(0.5, 'API server restart (3 s down)', () => cluster.restartApiServer({ downMs: 3_000 })),
  ]);
}
