import { setTimeout as sleep } from 'node:timers/promises';

export interface Sample {
  /** From the request's scheduled start to its full response (so a late start counts against it). */
  latencyMs: number;
  /** How late the request actually started (the load generator's own lag). */
  startLagMs: number;
  ok: boolean;
  /** Why it was not ok: an HTTP status, an unexpected body or a network error. */
  error?: string;
}

export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Sends request `index`; resolves to an error description, or undefined when the response was right. */
  send: (index: number) => Promise<string | undefined>;
}

/**
 * Open-loop load: request i starts at t0 + i/rate whether or not earlier ones have finished, so a slow
 * server cannot slow the load down and hide its own latency (no coordinated omission).
 */
export async function runOpenLoop({ ratePerSecond, durationMs, send }: OpenLoopOptions): Promise<Sample[]> {
  const count = Math.round((ratePerSecond * durationMs) / 1000);
  const intervalMs = 1000 / ratePerSecond;
  const t0 = performance.now() + 5;
  const inFlight: Promise<Sample>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = t0 + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(timed(send, i, due));
  }
  return Promise.all(inFlight);
}

async function timed(send: OpenLoopOptions['send'], index: number, due: number): Promise<Sample> {
  const startLagMs = Math.max(0, performance.now() - due);
  let error: string | undefined;
  try {
    error = await send(index);
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const latencyMs = performance.now() - due;
  return error === undefined ? { latencyMs, startLagMs, ok: true } : { latencyMs, startLagMs, ok: false, error };
}
