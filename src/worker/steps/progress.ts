import type { AgentProgress } from '../../agent/run-agent.ts';
import { progressText, workingText } from '../progress-text.ts';
import { throttleProgress } from '../throttle-progress.ts';
import type { JobContext } from './job-context.ts';
import type { JobThread } from './thread.ts';

/** The "Working…" message of a job, edited at a bounded rate with what the agent is doing; the answer replaces it. */
export interface JobProgress {
  progressId: string;
  /** The agent's latest progress; the latest state wins. */
  show(agent: AgentProgress): void;
  /** A line under the latest progress (a tool call held up by a restart). */
  note(notice: string): void;
  /** Drops pending edits and waits for one in flight, so none overwrites what comes next. */
  stop(): Promise<void>;
  /**
   * Whether this attempt may still edit the job's messages: false once the job is in Redis under another lock (another
   * worker has it, or Redis came back without this attempt's take). A job Redis lost altogether stays this attempt's.
   */
  holdsJob(): Promise<boolean>;
}

/** Posts the progress message once across attempts and returns its throttled editor. */
export async function startProgress({ channel, ledger, deps, log, threadId, job, run }: JobContext & JobThread): Promise<JobProgress> {
  const progressId = await ledger.once('progress', { threadId }, (key) => channel.postInThread(threadId, workingText, key));
  let latest: AgentProgress = { step: 0, running: [], done: [] };
  const { token } = run;
  const { lockMs } = deps;
  // Checked before every edit (at most one a second): the lock renewal BullMQ runs would find out only later.
  let held = true;
  const holdsJob = async () => {
    if (!held || token === undefined || lockMs === undefined || (await job.extendLock(token, lockMs)) === 1) return held;
    // No lock of ours: unless Redis lost the job altogether (then nobody else will answer it: stop-jobs-on-lost-lock.ts).
    if ((await job.getState()) !== 'unknown') {
      held = false;
      log.warn('this attempt no longer holds the job; its progress edits stop');
    }
    return held;
  };
  const throttle = throttleProgress<{ agent: AgentProgress; notice?: string }>({
    intervalMs: deps.progressIntervalMs ?? 1_000,
    send: async ({ agent, notice }) => {
      if (!(await holdsJob())) return;
      await channel.update(progressId, channel.format(notice === undefined ? progressText(agent) : `${progressText(agent)}\n${notice}`));
    },
    onError: (error) => log.warn({ err: error }, 'progress update failed'),
  });
  return {
    progressId,
    show: (agent) => {
      latest = agent;
      throttle.push({ agent });
    },
    note: (notice) => throttle.push({ agent: latest, notice }),
    stop: () => throttle.stop(),
    holdsJob,
  };
}
