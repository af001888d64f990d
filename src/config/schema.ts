import { z } from 'zod';
import { isIpOrCidr } from '../http/trusted-peers.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';

const url = (what: string) => z.url({ protocol: /^https?$/, error: `expected an http(s) URL of ${what}` });

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number (1-65535)' })
    .int({ error: 'expected a TCP port number (1-65535)' })
    .min(0, { error: 'expected a TCP port number (1-65535, or 0 for any free port)' })
    .max(65535, { error: 'expected a TCP port number (1-65535)' })
    .default(fallback);

const secret = (what: string) => z.string().min(1, { error: `expected ${what} (non-empty)` });

/** Shortest secret of our own (tokens we check, keys we sign with): guessing or brute-forcing one must be hopeless. */
export const MIN_SECRET_CHARS = 32;

/** A secret ai4k8s itself checks or signs with (not a vendor's credential): at least MIN_SECRET_CHARS characters. */
const ownSecret = (what: string) =>
  z.string().min(MIN_SECRET_CHARS, { error: `expected ${what} of at least ${MIN_SECRET_CHARS} characters (e.g. openssl rand -hex 32)` });
/**
 * Settings that are, or may carry, credentials: never in a ConfigMap, an image or a filled-in .env.example (the Helm
 * chart's `ai4k8s.allSecretKeys` is checked against secretStoredKeys). `scrub`: the logger removes the value wherever
 * it appears (secretKeys); off for REDIS_URL, whose value is mostly a host name.
 */
const secretSettings = z.registry<{ scrub: boolean }>();
const credential = <T extends z.ZodType>(schema: T, { scrub = true }: { scrub?: boolean } = {}): T => {
  secretSettings.add(schema, { scrub });
  return schema;
};

/** A Host header's name part: a DNS name or a bracketed IPv6 address. */
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/;

/** host:port, the host a DNS name, IPv4 or [IPv6] address. */
const HOST_PORT = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$/;

const splitList = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** A comma-separated list (spaces around items ignored, empty items dropped), each item matching `item`. */
const commaList = (item: RegExp, what: string) =>
  z
    .string()
    // refine before transform so an error names the variable itself, not an index inside it
    .refine((text) => splitList(text).every((entry) => item.test(entry)), { error: `expected a comma-separated list of ${what}` })
    .transform(splitList);

/** Only the words true and false: "yes", "1" or a typo must not silently leave a safety switch in a surprising state. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .transform((value) => value === 'true')
    .default(fallback);

const positiveInt = (what: string, fallback: number) =>
  z.coerce
    .number({ error: `expected a positive whole number of ${what}` })
    .int({ error: `expected a positive whole number of ${what}` })
    .positive({ error: `expected a positive whole number of ${what}` })
    .default(fallback);

const nonNegativeInt = (what: string, fallback: number) =>
  z.coerce
    .number({ error: `expected a whole number (0 or more) of ${what}` })
    .int({ error: `expected a whole number (0 or more) of ${what}` })
    .min(0, { error: `expected a whole number (0 or more) of ${what}` })
    .default(fallback);

/**
 * Every setting, with safe defaults where there can be one (docs/configuration.md is generated from it:
 * npm run docs:config). Keys are the environment variable names so an error can name the variable.
 */
export const configSchema = z.object({
  REDIS_URL: credential(z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'), {
    scrub: false,
  }),
  /** Redis Sentinel: the sentinels to ask for the master, with REDIS_SENTINEL_MASTER (REDIS_URL is then not used). */
  REDIS_SENTINELS: commaList(HOST_PORT, 'sentinel addresses host:port, e.g. sentinel-0:26379,sentinel-1:26379').optional(),
  REDIS_SENTINEL_MASTER: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected the master name the sentinels monitor, e.g. mymaster' })
    .optional(),
  /** The sentinels' own ACL user and password, when they require one (often none, or not the data nodes'). */
  REDIS_SENTINEL_USERNAME: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: credential(secret('the Redis Sentinel password').optional()),
  /** Redis Cluster: some of its nodes (the rest are discovered); REDIS_URL is then not used. */
  REDIS_CLUSTER_NODES: commaList(HOST_PORT, 'cluster node addresses host:port, e.g. redis-0:6379,redis-1:6379').optional(),
  /** ACL user and password on the data nodes, in every topology (or in REDIS_URL's user:password@ part). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: credential(secret('the Redis password').optional()),
  /** TLS to Sentinel (sentinels and master) and Cluster nodes; a standalone Redis uses TLS with a rediss:// REDIS_URL. */
  REDIS_TLS: flag(false),
  /** PEM file of the CA that signed the Redis servers' certificates (default: the system's CAs). */
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  /** PEM client certificate and key, for a Redis that requires client certificates (tls-auth-clients yes). */
  REDIS_TLS_CERT_FILE: z.string().min(1).optional(),
  REDIS_TLS_KEY_FILE: z.string().min(1).optional(),
  /**
   * After enqueueing, wait until this many replicas have the job before acknowledging the platform (Redis WAIT), so a
   * failover cannot lose an acknowledged question. 0: do not wait (standalone).
   */
  REDIS_MIN_REPLICAS_ACK: nonNegativeInt('replicas that must hold an enqueued job before it is acknowledged', 0),
  /** Keys are `{QUEUE_PREFIX}:…`: one hash tag, so BullMQ's scripts and our multi-key commands work on a Redis Cluster. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, dot, dash or underscore' })
    .default('ai4k8s'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3000),
  WORKER_PORT: port(3002),
  MCP_PORT: port(3001),
  SLACK_BOT_TOKEN: credential(
    z
      .string()
      .regex(/^xox[bp]-/, { error: 'expected a Slack bot token starting with xoxb-' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: credential(secret('the Slack app signing secret').optional()),
  SLACK_APP_TOKEN: credential(
    z
      .string()
      .regex(/^xapp-/, { error: 'expected a Slack app-level token starting with xapp-' })
      .optional(),
  ),
  SLACK_API_URL: url("Slack's Web API").default('https://slack.com/api/'),
  /** The bot's own user id; when unset the gateway asks auth.test once at start. */
  SLACK_BOT_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/, { error: 'expected a Slack user id such as U0123ABCD' })
    .optional(),
  TEAMS_APP_ID: z.string().min(1).optional(),
  TEAMS_APP_PASSWORD: credential(secret('the Teams app password').optional()),
  TEAMS_APP_TENANT_ID: z.string().min(1).optional(),
  TEAMS_APP_TYPE: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      error: 'expected one of MultiTenant, SingleTenant, UserAssignedMSI',
    })
    .default('MultiTenant'),
  /**
   * Serve Teams at POST /api/messages. Setting TEAMS_APP_ID turns it on (JWT-verified); TEAMS_ENABLED=true without
   * TEAMS_APP_ID is emulator mode: no authentication, loudly logged, for the Bot Framework Emulator only.
   */
  TEAMS_ENABLED: flag(false),
  /**
   * Teams tenants whose activities are served (others get 403), or * for any. Unset: the app's own tenant
   * (TEAMS_APP_TENANT_ID) when set, else any.
   */
  TEAMS_ALLOWED_TENANTS: commaList(
    /^(\*|[A-Za-z0-9][A-Za-z0-9.-]*)$/,
    'tenant ids, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47 (or * for any)',
  ).optional(),
  /** Tests and private clouds: the OpenID metadata that publishes the keys signing the channel's tokens. */
  TEAMS_OPENID_METADATA_URL: url('the Bot Framework OpenID metadata document').optional(),
  /** Tests and private clouds: the authority the bot gets its tokens from (`<url>/oauth2/v2.0/token`). */
  TEAMS_LOGIN_URL: url('the token authority, e.g. https://login.microsoftonline.com/botframework.com').optional(),
  ANTHROPIC_API_KEY: credential(secret('an Anthropic API key').optional()),
  ANTHROPIC_BASE_URL: url("Anthropic's API").optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  MCP_URL: url('the MCP server endpoint, e.g. http://127.0.0.1:3001/mcp').optional(),
  MCP_TOKEN: credential(
    ownSecret("the bearer token for the MCP server (the bot's: read, preview, apply with an approval grant)").optional(),
  ),
  /**
   * Bearer tokens for other MCP clients (IDEs, scripts): they see and call only read-only tools, and may not name a
   * chat user (X-Ai4k8s-User). Comma-separated.
   */
  MCP_READ_TOKENS: credential(
    z
      .string()
      .refine((text) => splitList(text).every((entry) => entry.length >= MIN_SECRET_CHARS), {
        error: `expected a comma-separated list of read-only bearer tokens, each at least ${MIN_SECRET_CHARS} characters`,
      })
      .transform(splitList)
      .default([]),
  ),
  /**
   * The key the gateway signs approval grants with and the MCP server verifies them with (HMAC-SHA256). Only those
   * two roles hold it, never the worker; required by both when MCP_ENABLE_WRITE_TOOLS=true (decision 012).
   */
  APPROVAL_SIGNING_KEY: credential(ownSecret('the approval grant signing key').optional()),
  /** How long a signed grant stays valid: from the click until the worker's call reaches the MCP server. */
  APPROVAL_GRANT_TTL_SECONDS: z.coerce
    .number({ error: 'expected a whole number of seconds from 10 to 3600' })
    .int({ error: 'expected a whole number of seconds from 10 to 3600' })
    .min(10, { error: 'expected a whole number of seconds from 10 to 3600' })
    .max(3600, { error: 'expected a whole number of seconds from 10 to 3600' })
    .default(300),
  KUBECONFIG: z.string().min(1).optional(),
  /** Write tools (deployment_scale, node_drain, ...) are offered only when this is true. */
  MCP_ENABLE_WRITE_TOOLS: flag(false),
  /** When set, only these tools are offered (each must exist). */
  MCP_ALLOWED_TOOLS: commaList(/^[a-z][a-z0-9_]*$/, 'tool names, e.g. pods_list,pod_logs').optional(),
  MCP_DENIED_TOOLS: commaList(/^[a-z][a-z0-9_]*$/, 'tool names, e.g. kubectl,pod_logs').default([]),
  /** Resource kinds no tool may read or name, e.g. Secret,ConfigMap (singular or plural, any case). */
  MCP_DENIED_KINDS: commaList(/^[A-Za-z][A-Za-z0-9.-]*$/, 'resource kinds, e.g. ConfigMap,certificates.cert-manager.io').default([]),
  /** Host names /mcp answers besides loopback and HOST, e.g. the in-cluster service names. */
  MCP_ALLOWED_HOSTS: commaList(
    /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/,
    'host names, e.g. ai4k8s-mcp,ai4k8s-mcp.ai4k8s.svc',
  ).default([]),
  PROMETHEUS_URL: url('Prometheus').optional(),
  ALERTMANAGER_URL: url('Alertmanager').optional(),
  GRAFANA_URL: url('Grafana').optional(),
  GRAFANA_TOKEN: credential(secret('a Grafana service-account token').optional()),
  ALERTS_TOKEN: credential(ownSecret('the Alertmanager webhook token').optional()),
  ALERTS_SLACK_CHANNEL: z.string().min(1).optional(),
  ALERTS_TEAMS_CONVERSATION: z.string().min(1).optional(),
  /**
   * The web console's shared login token. Shared by everyone who has it, so it is no identity: its sessions may ask
   * and read, never approve, and map to no policy identity.
   */
  CONSOLE_TOKEN: credential(ownSecret('the web console login token').optional()),
  /** Verified console accounts: a file of `name:<scrypt hash>` lines (`ai4k8s console-user <name>` prints one). */
  CONSOLE_USERS_FILE: z.string().min(1, { error: 'expected the path of a file of name:<scrypt hash> lines' }).optional(),
  /**
   * Addresses and CIDR blocks of the authenticating proxy (oauth2-proxy, an ingress with auth) in front of the console:
   * only requests from these peers may name their user in CONSOLE_IDENTITY_HEADER; from any other peer the header is refused.
   */
  CONSOLE_TRUSTED_PROXIES: z
    .string()
    .refine((text) => splitList(text).length > 0 && splitList(text).every(isIpOrCidr), {
      error: 'expected a comma-separated list of IP addresses or CIDR blocks, e.g. 10.0.0.0/8,127.0.0.1',
    })
    .transform(splitList)
    .optional(),
  /** The header the trusted proxy names the signed-in user in (X-Forwarded-Email from oauth2-proxy, X-Auth-Request-Email from ingress-nginx auth). */
  CONSOLE_IDENTITY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'expected an HTTP header name, e.g. X-Forwarded-Email' })
    .transform((name) => name.toLowerCase())
    .default('x-forwarded-email'),
  /**
   * The key console session cookies are signed with; set the same on every gateway replica. Unset: derived from
   * CONSOLE_TOKEN when it is the only login, else random per process (sessions end on restart).
   */
  CONSOLE_SESSION_SECRET: credential(ownSecret('a random console session secret').optional()),
  /**
   * The web console at /console. Unset: offered where it is safe (CONSOLE_TOKEN set, or HOST loopback); true: must
   * be offered (a non-loopback HOST without CONSOLE_TOKEN then fails at start); false: off.
   */
  CONSOLE_ENABLED: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .transform((value) => value === 'true')
    .optional(),
  /**
   * Host names /console answers besides loopback and HOST (DNS-rebinding defence), e.g. the console's ingress name;
   * any other Host gets 403.
   */
  CONSOLE_ALLOWED_HOSTS: commaList(HOST_NAME, 'host names, e.g. ai4k8s.example.com').default([]),
  AI4K8S_POLICY: z.string().min(1).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  /**
   * Jobs one worker runs at once. An answer mostly waits on the model (about 0.8 MiB each while in flight, see
   * docs/deploy.md), so a worker holds hundreds; MODEL_MAX_IN_FLIGHT and the per-minute limits pace the model.
   */
  WORKER_CONCURRENCY: positiveInt('concurrent jobs per worker', 200),
  /** Model calls in flight across all workers at most; lowered by itself on 429/529 and grown back by successes. */
  MODEL_MAX_IN_FLIGHT: positiveInt('model calls in flight across all workers', 256),
  /** Requests per minute all workers together send the model; 0: only the API's own limits (its anthropic-ratelimit-* headers). */
  MODEL_REQUESTS_PER_MINUTE: nonNegativeInt('model requests per minute (0: follow the API)', 0),
  /** Input tokens per minute (uncached input and cache writes) all workers together send; 0: follow the API. */
  MODEL_INPUT_TOKENS_PER_MINUTE: nonNegativeInt('model input tokens per minute (0: follow the API)', 0),
  /** Output tokens per minute (reserved at max_tokens per call); 0: follow the API. */
  MODEL_OUTPUT_TOKENS_PER_MINUTE: nonNegativeInt('model output tokens per minute (0: follow the API)', 0),
  /** How long after its first refusal (429/529/5xx, a broken connection) a model call keeps retrying before the job is re-queued. */
  MODEL_RETRY_WINDOW_MS: z.coerce
    .number({ error: 'expected a whole number of milliseconds from 1000 to 3600000' })
    .int({ error: 'expected a whole number of milliseconds from 1000 to 3600000' })
    .min(1_000, { error: 'expected a whole number of milliseconds from 1000 to 3600000' })
    .max(3_600_000, { error: 'expected a whole number of milliseconds from 1000 to 3600000' })
    .default(120_000),
  AGENT_MAX_STEPS: positiveInt('model turns per answer', 8),
  /** Input + output tokens summed over one answer's loop; once past it, no further model call is made. */
  AGENT_MAX_TOKENS_PER_ANSWER: positiveInt('tokens per answer', 200_000),
  /** How long the agent loop waits for one tool call (retries through a restart included) before the model gets an isError result. */
  AGENT_TOOL_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a whole number of milliseconds from 1000 to 600000' })
    .int({ error: 'expected a whole number of milliseconds from 1000 to 600000' })
    .min(1_000, { error: 'expected a whole number of milliseconds from 1000 to 600000' })
    .max(600_000, { error: 'expected a whole number of milliseconds from 1000 to 600000' })
    .default(120_000),
  /** Input + output tokens one channel may spend per UTC day; 0: unlimited. */
  CHANNEL_DAILY_TOKENS: nonNegativeInt('tokens per channel per day', 0),
  /**
   * How long a question keeps being retried while the model is rate-limited or unavailable or the tool server
   * (MCP) is unreachable (the job waits in the queue, the progress message says until when), and how long a tool
   * call is repeated while the MCP server or the cluster's API server restarts (at most a minute): only past it
   * does the user get an error.
   */
  RETRY_WINDOW_SECONDS: positiveInt('seconds a question is retried while the model or the tool server is unavailable', 600),
  JOB_LOCK_MS: positiveInt('milliseconds a worker holds a job lock before a stalled job is retried elsewhere', 30_000),
  /** The audit stream (`{QUEUE_PREFIX}:audit`) is trimmed to about this many events. */
  AUDIT_MAX_EVENTS: positiveInt('audit events kept in Redis', 100_000),
  /** How answers, audit events and the console name the cluster; else the MCP server's current kube context. */
  CLUSTER_NAME: z
    .string()
    .trim()
    .min(1, { error: 'expected a display name for the cluster, e.g. "prod-eu"' })
    .max(100, { error: 'expected a display name of at most 100 characters' })
    .optional(),
  /** How long a thread's conversation (messages, tool calls and results) is remembered after its last answer. */
  CONVERSATION_TTL_SECONDS: positiveInt('seconds a thread conversation is kept', 7 * 24 * 3600),
  /** Estimated tokens of stored history above which older tool results are summarised (then noted, then dropped). */
  CONVERSATION_TOKEN_BUDGET: positiveInt('tokens of thread history kept for the model', 30_000),
  /** How long incident memory keeps an alert thread's (or fixed question thread's) findings after it was last seen. */
  INCIDENTS_TTL_SECONDS: positiveInt('seconds an incident is remembered', 90 * 24 * 3600),
  /** How far before an alert's start its thread's timeline looks for changes (changes_list); 0: no timeline. */
  ALERT_TIMELINE_MINUTES: z.coerce
    .number({ error: 'expected a whole number of minutes from 0 (no timeline) to 10080' })
    .int({ error: 'expected a whole number of minutes from 0 (no timeline) to 10080' })
    .min(0, { error: 'expected a whole number of minutes from 0 (no timeline) to 10080' })
    .max(10_080, { error: 'expected a whole number of minutes from 0 (no timeline) to 10080' })
    .default(60),
  /**
   * Who may approve a write the model asked for, unless AI4K8S_POLICY names approvers for the channel: Slack user
   * ids (any workspace) or chat user ids <platform>:<team>:<user>; empty: anyone (but see APPROVAL_SELF_ALLOWED).
   */
  APPROVERS: commaList(
    /^([UW][A-Z0-9]+|[a-z][a-z0-9-]*:[^:\s]+:\S+)$/,
    'Slack user ids or chat user ids, e.g. U0123ABCD,teams:<tenant>:<user>',
  ).default([]),
  /** Whether the person who asked may approve their own write. */
  APPROVAL_SELF_ALLOWED: flag(false),
  /** How long an approval card's buttons stay valid. */
  APPROVAL_TTL_SECONDS: positiveInt('seconds an approval stays valid', 900),
  /** The gateway's public /metrics re-reads queue counts from Redis at most this often, whatever the scrape rate. */
  METRICS_QUEUE_REFRESH_SECONDS: positiveInt('seconds between reads of the queue counts for /metrics', 10),
  SHUTDOWN_TIMEOUT_MS: positiveInt('milliseconds to wait for a clean shutdown', 10_000),
  /** Most tokens one MCP tool result may take; longer results are cut with a hint on how to narrow. */
  MCP_OUTPUT_TOKENS: z.coerce
    .number({ error: 'expected a whole number of tokens from 500 to 100000' })
    .int({ error: 'expected a whole number of tokens from 500 to 100000' })
    .min(500, { error: 'expected a whole number of tokens from 500 to 100000' })
    .max(100_000, { error: 'expected a whole number of tokens from 500 to 100000' })
    .default(2000),
});

export type ConfigInput = z.input<typeof configSchema>;
/** The environment variables (and --config file), validated. */
export type Settings = z.output<typeof configSchema>;
/** What loadConfig returns and every role receives: the settings and the policy file (AI4K8S_POLICY), both validated. */
export type Config = Settings & { policy: PolicyFile | undefined };
export const configKeys = Object.keys(configSchema.shape) as (keyof Settings)[];

const secretKeysWhere = (keep: (scrub: boolean) => boolean) =>
  configKeys.filter((key) => {
    const meta = secretSettings.get(configSchema.shape[key]);
    return meta !== undefined && keep(meta.scrub);
  });

/** Settings the deployment keeps in a Secret (credentials, and REDIS_URL which may carry a password): derived from credential(). */
export const secretStoredKeys: readonly (keyof Settings)[] = secretKeysWhere(() => true);

/** Keys whose values are credentials: the logger scrubs these values wherever they appear. Derived from credential(). */
export const secretKeys: readonly (keyof Settings)[] = secretKeysWhere((scrub) => scrub);

/** The configured values of secretKeys, for the logger to scrub. */
export function secretValues(settings: Settings): string[] {
  return secretKeys.flatMap((key) => {
    const value = settings[key];
    if (typeof value === 'string') return [value];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  });
}
