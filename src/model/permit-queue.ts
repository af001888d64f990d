import { ModelLimiterClosedError, ModelLimiterDeadlineError } from './errors.ts';

export interface PermitRequest {
  priority: 'interactive' | 'background';
  inputTokens: number;
  outputTokens: number;
  /** Epoch ms the call first asked: earlier goes first within a priority. */
  since: number;
  signal?: AbortSignal | undefined;
  deadline?: number | undefined;
}

export type Attempt = { granted: true; leaseId: string } | { granted: false; waitMs: number; reason: string };

export interface PermitQueueOptions {
  /** Asks the shared state for a slot; `othersInteractive`: people's questions wait here besides this one. */
  tryAcquire: (request: PermitRequest, context: { othersInteractive: boolean }) => Promise<Attempt>;
  onError: (error: unknown) => void;
  /** A slot granted to a caller that gave up meanwhile: hand it back. */
  onAbandoned: (leaseId: string, request: PermitRequest) => void;
  /** Poll interval while the shared state gives no wait hint (slots held by other workers). */
  pollMs?: number;
  /** Longest sleep between two asks, so a waiting worker keeps its "people are waiting" mark fresh. */
  maxSleepMs?: number;
}

interface Waiter {
  request: PermitRequest;
  seq: number;
  resolve(value: { leaseId: string }): void;
  reject(error: unknown): void;
}

export interface PermitQueue {
  acquire(request: PermitRequest): Promise<{ leaseId: string }>;
  /** A slot was freed here, or a caller arrived: ask again now. */
  wake(): void;
  close(): void;
}

/**
 * The callers of one process waiting for a model call slot, people's questions first, then oldest first.
 * One loop asks the shared state on behalf of the head of the queue, so a process sends one request to Redis
 * per grant (and a poll now and then while others hold every slot), however many callers wait.
 */
export function permitQueue({ tryAcquire, onError, onAbandoned, pollMs = 50, maxSleepMs = 1_000 }: PermitQueueOptions): PermitQueue {
  const waiters: Waiter[] = [];
  let seq = 0;
  let running = false;
  let closed = false;
  let wakeUp: (() => void) | undefined;

  const remove = (waiter: Waiter) => {
    const index = waiters.indexOf(waiter);
    if (index >= 0) waiters.splice(index, 1);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  const wake = () => wakeUp?.();

  const pump = async () => {
    if (running) return;
    running = true;
    try {
      while (!closed) {
        const now = Date.now();
        for (const waiter of [...waiters]) {
          if (waiter.request.deadline !== undefined && now >= waiter.request.deadline) {
            remove(waiter);
            waiter.reject(new ModelLimiterDeadlineError(waiter.request.deadline - waiter.request.since));
          }
        }
        const head = waiters[0];
        if (head === undefined) break;
        let attempt: Attempt;
        try {
          attempt = await tryAcquire(head.request, {
            othersInteractive: waiters.some((w) => w !== head && w.request.priority === 'interactive'),
          });
        } catch (error) {
          onError(error);
          await sleep(maxSleepMs);
          continue;
        }
        if (attempt.granted) {
          if (waiters[0] === head) {
            waiters.shift();
            head.resolve({ leaseId: attempt.leaseId });
          } else onAbandoned(attempt.leaseId, head.request); // the head was aborted while Redis answered
          continue;
        }
        // A little jitter so workers polling the same state do not ask in lockstep.
        const hint = attempt.waitMs > 0 ? attempt.waitMs : pollMs;
        await sleep(Math.min(maxSleepMs, hint + Math.random() * pollMs));
      }
    } finally {
      running = false;
    }
  };
  const start = () => {
    pump().catch(onError);
  };

  return {
    acquire: (request) =>
      new Promise((resolve, reject) => {
        if (closed) {
          reject(new ModelLimiterClosedError());
          return;
        }
        if (request.signal?.aborted === true) {
          reject(abortReason(request.signal));
          return;
        }
        const waiter: Waiter = { request, seq: seq++, resolve, reject };
        const rank = (w: Waiter) => [w.request.priority === 'interactive' ? 0 : 1, w.request.since, w.seq] as const;
        const mine = rank(waiter);
        const before = waiters.findIndex((other) => {
          const theirs = rank(other);
          return mine[0] < theirs[0] || (mine[0] === theirs[0] && (mine[1] < theirs[1] || (mine[1] === theirs[1] && mine[2] < theirs[2])));
        });
        waiters.splice(before === -1 ? waiters.length : before, 0, waiter);
        request.signal?.addEventListener(
          'abort',
          () => {
            if (!waiters.includes(waiter)) return;
            remove(waiter);
            if (request.signal !== undefined) reject(abortReason(request.signal));
          },
          { once: true },
        );
        wake();
        start();
      }),
    wake: () => {
      wake();
      if (waiters.length > 0) start();
    },
    close: () => {
      closed = true;
      for (const waiter of waiters.splice(0)) waiter.reject(new ModelLimiterClosedError());
      wake();
    },
  };
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('the call was aborted while waiting for a slot', 'AbortError');
}
