#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.ts';
import { loadConfig, type Role } from '../config/load-config.ts';
import { secretValues } from '../config/schema.ts';
import { createLogger } from '../log/create-logger.ts';
import { consoleUserCommand } from './console-user-command.ts';
import { usage } from './usage.ts';

const ROLES: readonly Role[] = ['gateway', 'worker', 'mcp', 'all'];

/** Entry point of `ai4k8s`: parse the command line, load configuration, start the role, stop on signals. */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`ai4k8s: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help === true) {
    process.stdout.write(usage);
    return 0;
  }
  const [role, ...extra] = parsed.positionals;
  if (role === 'console-user' && extra.length <= 1) {
    return consoleUserCommand({
      name: extra[0],
      input: process.stdin,
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
    });
  }
  if (role === undefined || !ROLES.includes(role as Role) || extra.length > 0) {
    const problem = role === undefined ? 'a role is required' : `unknown role or argument: ${[role, ...extra].join(' ')}`;
    process.stderr.write(`ai4k8s: ${problem}\n\n${usage}`);
    return 2;
  }

  let config;
  try {
    config = loadConfig({ env: process.env, role: role as Role, file: parsed.values.config });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ai4k8s: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: secretValues(config),
    base: { role },
  });

  let running;
  try {
    // Imported only now: usage, a bad flag or bad configuration answer without loading every role's code.
    const { startRole } = await import('../roles/start-role.ts');
    running = await startRole({ role: role as Role, config, logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ai4k8s: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
        resolve(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      running
        .stop()
        .then(() => {
          clearTimeout(timer);
          logger.info('stopped');
          resolve(0);
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return stopped;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ai4k8s: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
