import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Key names that carry credentials, wherever they sit in a log object. */
const CREDENTIAL_KEY = /token|password|passwd|secret|authorization|api[-_]?key|cookie|credential/i;
const REDACTED = '[redacted]';

export interface CreateLoggerOptions {
  level?: string;
  /** Credential values from configuration: scrubbed from every line, whatever key or message holds them. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; stdout when absent. Tests pass a buffer. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** Creates the process logger: pino JSON with credentials redacted by key name and by value. */
export function createLogger({ level = 'info', secrets = [], destination, base }: CreateLoggerOptions = {}): Logger {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return pino(
    {
      level,
      base: { service: 'ai4k8s', ...base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactKeys(object) as Record<string, unknown>,
      },
      hooks: values.length > 0 ? { streamWrite: (line) => scrubValues(line, values) } : {},
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

function redactKeys(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redactKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = CREDENTIAL_KEY.test(key) && v !== undefined && v !== null ? REDACTED : redactKeys(v, depth + 1);
  }
  return out;
}

function scrubValues(line: string, values: readonly string[]): string {
  let out = line;
  for (const value of values) {
    // The value may appear JSON-escaped inside the line; scrub both spellings.
    const escaped = JSON.stringify(value).slice(1, -1);
    out = out.split(value).join(REDACTED);
    if (escaped !== value) out = out.split(escaped).join(REDACTED);
  }
  return out;
}
