import { pino, type DestinationStream, type Logger } from 'pino';
import { clipText } from '../kube/clip-text.ts';
import { redactText } from '../redact/redact-text.ts';

export type { Logger } from 'pino';

/** Key names that carry credentials, wherever they sit in a log object. */
const CREDENTIAL_KEY = /token|password|passwd|secret|authorization|api[-_]?key|cookie|credential/i;
const REDACTED = '[redacted]';
/**
 * Longest string written as is: logs carry model answers and tool text, which need not be megabytes. Longer
 * strings are clipped (at a token boundary) before they are redacted, so each line costs bounded, linear work.
 */
const MAX_LOG_STRING = 16 * 1024;

export interface CreateLoggerOptions {
  level?: string;
  /** Credential values from configuration: scrubbed from every line, whatever key or message holds them. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; stdout when absent. Tests pass a buffer. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/**
 * Creates the process logger: pino JSON with credentials redacted by key name, by shape (every string value
 * of the finished line — message, fields, errors, child bindings — through the MCP server's redactText) and
 * by value (configured secrets).
 */
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
      hooks: {
        logMethod(args, method) {
          // The message and its format arguments, clipped; objects are clipped by formatters.log.
          const clipped = args.map((arg: unknown) => (typeof arg === 'string' ? clipText(arg, MAX_LOG_STRING) : arg)) as Parameters<
            typeof method
          >;
          method.apply(this, clipped);
        },
        streamWrite: (line: string) => scrubValues(redactLine(line), values),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The finished JSON line with every string value redacted: one place that sees the message, the fields,
 * serialized errors and child bindings alike. Strings were clipped before they were serialized.
 */
function redactLine(line: string): string {
  try {
    return `${JSON.stringify(redactStrings(JSON.parse(line) as unknown))}\n`;
  } catch {
    return redactText(clipText(line, 4 * MAX_LOG_STRING));
  }
}

function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactText(clipText(value, MAX_LOG_STRING));
  if (Array.isArray(value)) return value.map(redactStrings);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactStrings(v)]));
}

function redactKeys(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return clipText(value, MAX_LOG_STRING);
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
  if (values.length === 0) return line;
  let out = line;
  for (const value of values) {
    // The value may appear JSON-escaped inside the line; scrub both spellings.
    const escaped = JSON.stringify(value).slice(1, -1);
    out = out.split(value).join(REDACTED);
    if (escaped !== value) out = out.split(escaped).join(REDACTED);
  }
  return out;
}
