import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';

/** Routes bolt's and WebClient's log lines into our pino logger (so they are JSON and redacted like the rest). */
export function slackLogger(logger: Logger, component: string): BoltLogger {
  const log = logger.child({ component });
  let level = LogLevel.INFO;
  const join = (msgs: unknown[]) => msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msgs) => log.debug(join(msgs)),
    info: (...msgs) => log.info(join(msgs)),
    warn: (...msgs) => log.warn(join(msgs)),
    error: (...msgs) => log.error(join(msgs)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
