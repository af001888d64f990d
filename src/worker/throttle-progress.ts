export interface ProgressThrottle<T> {
  /** Offers the latest state; returns at once. States that arrive while an edit waits replace each other. */
  push: (state: T) => void;
  /** Drops what is pending and waits for an edit in flight, so no late edit overwrites what comes next. */
  stop: () => Promise<void>;
}

export interface ThrottleProgressOptions<T> {
  /** Minimum time between the starts of two edits. */
  intervalMs: number;
  send: (state: T) => Promise<void>;
  /** Progress is best effort: a failed edit is reported here and does not stop later ones. */
  onError: (error: unknown) => void;
  now?: () => number;
}

/**
 * Rate-limits progress edits of one message: the first state is sent at once, later ones at most every
 * `intervalMs`, never two at a time, and only the latest waiting state is sent (a burst of tool calls is
 * one edit, not an edit storm). While the platform makes an edit wait (a 429 with Retry-After), newer
 * states just replace the pending one. No final flush: the answer replaces the progress message.
 */
export function throttleProgress<T>({ intervalMs, send, onError, now = Date.now }: ThrottleProgressOptions<T>): ProgressThrottle<T> {
  let lastStart = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let pending: { state: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const pump = (): void => {
    if (stopped || inFlight !== undefined || pending === undefined) return;
    const wait = lastStart + intervalMs - now();
    if (wait > 0) {
      timer ??= setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      return;
    }
    const { state } = pending;
    pending = undefined;
    lastStart = now();
    inFlight = send(state)
      .catch(onError)
      .finally(() => {
        inFlight = undefined;
        pump();
      });
  };

  return {
    push(state) {
      if (stopped) return;
      pending = { state };
      pump();
    },
    async stop() {
      stopped = true;
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
