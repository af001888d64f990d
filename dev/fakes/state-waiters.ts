/**
 * Event-driven waiting for the fakes: a test waits until a check over the recorded state holds, and the
 * fake calls `changed()` whenever it records something. On time-out the error says what was recorded,
 * so a failing end-to-end test shows what the bot actually sent.
 */
export interface StateWaiters {
  /** Call after every change of the recorded state. */
  changed(): void;
  /** Resolves with the check's first truthy result; rejects after `timeoutMs` with `describe()` in the message. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs: number, what: string): Promise<T>;
  /** Rejects every pending wait (the fake is stopping). */
  cancelAll(reason: string): void;
}

export function createStateWaiters(describe: () => string): StateWaiters {
  const pending = new Set<{ tryResolve(): boolean; fail(error: Error): void }>();

  return {
    changed() {
      for (const waiter of pending) if (waiter.tryResolve()) pending.delete(waiter);
    },
    waitFor<T>(check: () => T | undefined | null | false, timeoutMs: number, what: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          tryResolve(): boolean {
            let result: T | undefined | null | false;
            try {
              result = check();
            } catch (error) {
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(String(error)));
              return true;
            }
            if (result === undefined || result === null || result === false) return false;
            clearTimeout(timer);
            resolve(result);
            return true;
          },
          fail(error: Error) {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          pending.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; recorded:\n${describe()}`));
        }, timeoutMs);
        if (!waiter.tryResolve()) pending.add(waiter);
      });
    },
    cancelAll(reason: string) {
      for (const waiter of pending) waiter.fail(new Error(reason));
      pending.clear();
    },
  };
}
