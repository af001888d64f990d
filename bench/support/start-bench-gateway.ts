import { startRoleProcess, type LoggedProcess, type LogLine } from './spawn-logged-process.ts';

export interface BenchGatewayOptions {
  redisUrl: string;
  /** The benchmark's own queue prefix (deleted afterwards). */
  prefix: string;
  /** The adapter's settings (Slack, Teams, alerts…). */
  env: Record<string, string>;
}

export interface BenchGateway {
  process: LoggedProcess;
  listening: LogLine;
  url: string;
  /** One problem when the gateway logged warnings or errors after it started (a refused request, a failed enqueue…), else none. */
  warningProblems(): string[];
}

/** The gateway logs level labels: its warn, error and fatal lines are kept, the rest read and dropped. */
const WARNING_LEVELS = new Set(['warn', 'error', 'fatal']);

/**
 * The gateway as production runs it, in its own process on a free loopback port, at production's log level:
 * the per-request log line is part of what it costs.
 */
export async function startBenchGateway({ redisUrl, prefix, env }: BenchGatewayOptions): Promise<BenchGateway> {
  const keep = (line: LogLine) => typeof line.level === 'string' && WARNING_LEVELS.has(line.level);
  const started = await startRoleProcess(
    'gateway',
    { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    keep,
  );
  // Start-up warnings (e.g. the console without a login on loopback) are the setup's, not the load's.
  const atStart = started.process.lines.length;
  return {
    ...started,
    url: String(started.listening.url),
    warningProblems: () => {
      const lines = started.process.lines.slice(atStart);
      const first = lines[0];
      return first === undefined ? [] : [`gateway: ${lines.length} warning or error log lines, the first: ${String(first.msg)}`];
    },
  };
}

/** Waits (30 s at most) for the JSON line with `msg` a floor process (bench/support/bare-*.ts) logs once it serves. */
export async function waitForListening(process: LoggedProcess, msg: string): Promise<LogLine> {
  return process.waitForLine((line) => line.msg === msg, 30_000);
}
