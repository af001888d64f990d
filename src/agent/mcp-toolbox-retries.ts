import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';

/** Why a tool call is worth repeating: the MCP server went away, or the cluster's API server did not answer. */
export type TransientCause = 'tool_server' | 'cluster';

export interface ToolRetry {
  tool: string;
  cause: TransientCause;
  /** The wait before the next try. */
  delayMs: number;
  /** Tries so far (1 after the first failure). */
  failures: number;
}

export interface RetryingToolboxOptions {
  toolbox: Toolbox;
  /** How long one call keeps being repeated; past it, the last failure goes to the model as its result. */
  windowMs: number;
  /** Told before each wait, e.g. to say "cluster API unreachable, retrying in 4 s…" in the progress message. */
  onRetry?: (retry: ToolRetry) => void;
  /** Backoff of the first retry, doubled each time up to `maxDelayMs`, with ±20 % jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/**
 * Repeats a tool call that failed only because something restarted: the MCP server (the call never completed)
 * or the Kubernetes API server (an `isError` result coded `kube_unreachable`). Only calls that change nothing
 * are repeated — read-only tools and dry runs (every write the model asks for is a dry run behind the approval
 * gate) — so a call that did complete on the far side costs nothing twice. The job's abort signal ends the wait.
 */
export function retryingToolbox({
  toolbox,
  windowMs,
  onRetry,
  baseDelayMs = 1_000,
  maxDelayMs = 8_000,
  random = Math.random,
}: RetryingToolboxOptions): Toolbox {
  const repeatable = (name: string, input: unknown) =>
    toolbox.hints?.get(name)?.readOnlyHint === true ||
    (typeof input === 'object' && input !== null && (input as { dryRun?: unknown }).dryRun === true);
  return {
    ...toolbox,
    call: async (name, input, signal) => {
      const started = Date.now();
      for (let failures = 1; ; failures += 1) {
        const outcome = await toolbox.call(name, input, signal);
        const cause = transientCause(outcome);
        if (cause === undefined || !repeatable(name, input) || signal?.aborted === true) return outcome;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
        const delayMs = Math.round(backoff * (0.8 + 0.4 * random()));
        if (Date.now() + delayMs - started > windowMs) return outcome;
        onRetry?.({ tool: name, cause, delayMs, failures });
        if (!(await sleep(delayMs, signal))) return outcome;
      }
    },
  };
}

/** Whether a result says a restart is in the way, and which. */
export function transientCause(outcome: ToolOutcome): TransientCause | undefined {
  if (outcome.transportFailed === true) return 'tool_server';
  const error = outcome.structuredContent?.error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return outcome.isError && code === 'kube_unreachable' ? 'cluster' : undefined;
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
