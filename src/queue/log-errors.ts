import type { Logger } from '../log/create-logger.ts';

/** Anything that emits `error`: ioredis connections and BullMQ's Queue, Worker and QueueEvents. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** One line per emitter at most this often: an outage of minutes must not flood the log. */
const QUIET_MS = 10_000;

/**
 * Logs an emitter's errors as JSON lines. Without a listener, a BullMQ Queue or an ioredis connection prints a
 * raw stack outside the JSON log during a Redis outage (or Node throws); with one, the outage is a log line every
 * ten seconds naming what lost its connection. They reconnect on their own.
 */
export function logErrors(emitter: ErrorEmitter, logger: Logger, what: string): void {
  let lastLogged = 0;
  let suppressed = 0;
  emitter.on('error', (error: Error) => {
    if (Date.now() - lastLogged < QUIET_MS) {
      suppressed += 1;
      return;
    }
    lastLogged = Date.now();
    logger.warn({ err: error, component: what, ...(suppressed > 0 ? { suppressed } : {}) }, `${what} error; it reconnects on its own`);
    suppressed = 0;
  });
}
