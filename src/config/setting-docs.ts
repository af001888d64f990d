import type { Settings } from './schema.ts';

/**
 * What docs/configuration.md says about each setting (npm run docs:config writes the table). A row's default comes
 * from the schema unless `default` says it better; settings documented together name the row's first setting in
 * `sameRowAs`. Every setting must have an entry: a new setting without one does not type-check.
 */
export type SettingDoc = { meaning: string; default?: string } | { sameRowAs: keyof Settings };

export const settingDocs: Record<keyof Settings, SettingDoc> = {
  REDIS_URL: {
    meaning:
      'standalone Redis for the queue and state (`rediss://` for TLS; credentials in the URL or in `REDIS_USERNAME` / `REDIS_PASSWORD`, not both); not with Sentinel or Cluster (the `mcp` role uses Redis with write tools on)',
  },
  REDIS_SENTINELS: {
    meaning:
      'Redis Sentinel instead of `REDIS_URL`: comma list of sentinel `host:port`, and the master name they monitor (both or neither)',
  },
  REDIS_SENTINEL_MASTER: { sameRowAs: 'REDIS_SENTINELS' },
  REDIS_SENTINEL_USERNAME: { meaning: "the sentinels' own ACL user / password, if they require one (Sentinel only)" },
  REDIS_SENTINEL_PASSWORD: { sameRowAs: 'REDIS_SENTINEL_USERNAME' },
  REDIS_CLUSTER_NODES: { meaning: "Redis Cluster instead of `REDIS_URL`: comma list of some nodes' `host:port`" },
  REDIS_USERNAME: { meaning: 'ACL user and password on the data nodes, in every topology (a username needs the password)' },
  REDIS_PASSWORD: { sameRowAs: 'REDIS_USERNAME' },
  REDIS_TLS: { meaning: 'TLS to sentinels and cluster nodes (`true`/`false`); a standalone Redis uses TLS with a `rediss://` URL' },
  REDIS_TLS_CA_FILE: { meaning: 'PEM CA that signed the Redis certificates (TLS only; must be readable at start)', default: 'system CAs' },
  REDIS_TLS_CERT_FILE: { meaning: 'client certificate and key for a Redis with `tls-auth-clients yes` (together, TLS only)' },
  REDIS_TLS_KEY_FILE: { sameRowAs: 'REDIS_TLS_CERT_FILE' },
  REDIS_MIN_REPLICAS_ACK: {
    meaning:
      'replicas that must hold an enqueued question before the gateway acknowledges it (Redis `WAIT`, 1 s); `1` with Sentinel so a failover loses no acknowledged question; not with Cluster',
  },
  QUEUE_PREFIX: { meaning: 'Redis key prefix of the queue and reply state' },
  HOST: { meaning: 'address every role binds to' },
  PORT: { meaning: 'gateway HTTP port' },
  WORKER_PORT: { meaning: 'worker health port' },
  MCP_PORT: { meaning: 'MCP server port' },
  SLACK_BOT_TOKEN: { meaning: 'Slack over HTTP (both needed)' },
  SLACK_SIGNING_SECRET: { sameRowAs: 'SLACK_BOT_TOKEN' },
  SLACK_APP_TOKEN: {
    meaning:
      'Slack Socket Mode app-level token (`xapp-…`, scope `connections:write`); when set the gateway uses Socket Mode instead of `/slack/events`',
  },
  SLACK_API_URL: { meaning: "base URL of Slack's Web API" },
  SLACK_BOT_USER_ID: {
    meaning: "the bot's user id (to strip its mention and ignore its own messages)",
    default: 'asked once from `auth.test` at gateway start',
  },
  TEAMS_APP_ID: {
    meaning: 'Teams bot at `/api/messages`, JWT-verified — see [Microsoft Teams](teams.md)',
    default: '`TEAMS_APP_TYPE=MultiTenant`',
  },
  TEAMS_APP_PASSWORD: { sameRowAs: 'TEAMS_APP_ID' },
  TEAMS_APP_TENANT_ID: { sameRowAs: 'TEAMS_APP_ID' },
  TEAMS_APP_TYPE: { sameRowAs: 'TEAMS_APP_ID' },
  TEAMS_ENABLED: {
    meaning:
      '`true` without `TEAMS_APP_ID`: Teams in emulator mode (no authentication, logged); only on a loopback `HOST` (the gateway refuses to start otherwise)',
  },
  TEAMS_ALLOWED_TENANTS: {
    meaning: 'comma list of Teams tenant ids served, or `*` for any; activities from other tenants get 403',
    default: '`TEAMS_APP_TENANT_ID` when set, else any',
  },
  TEAMS_OPENID_METADATA_URL: {
    meaning: "tests and private clouds only: the channel's OpenID metadata, the bot's token authority",
    default: 'public Azure',
  },
  TEAMS_LOGIN_URL: { sameRowAs: 'TEAMS_OPENID_METADATA_URL' },
  ANTHROPIC_API_KEY: { meaning: "the model's key; without it the bot runs in direct mode (kubectl-style commands only, see below)" },
  ANTHROPIC_BASE_URL: { meaning: "the model API's base URL", default: "Anthropic's" },
  ANTHROPIC_MODEL: { meaning: 'the model' },
  MCP_URL: { meaning: 'where the worker finds the MCP server (`all` uses its own)', default: '— (required by `worker`)' },
  MCP_TOKEN: {
    meaning: "the bot's bearer token for the MCP server (reads, previews, and writes that carry an approval grant); at least 32 characters",
    default: '— (required by `worker`, `mcp`, `all`)',
  },
  MCP_READ_TOKENS: {
    meaning:
      'comma list of read-only bearer tokens for other MCP clients (IDEs), 32+ characters each: they see and call only read-only tools and may not send `X-Ai4k8s-User` (see [The MCP server on its own](mcp-server.md))',
  },
  APPROVAL_SIGNING_KEY: {
    meaning:
      'key (32+ characters) the gateway signs approval grants with and the MCP server verifies them with; required by `gateway`, `mcp` and `all` when `MCP_ENABLE_WRITE_TOOLS=true`, refused by `worker` (decision 012)',
  },
  APPROVAL_GRANT_TTL_SECONDS: {
    meaning: "how long a signed approval grant stays valid (10–3600), from the click until the worker's call reaches the MCP server",
  },
  KUBECONFIG: { meaning: 'cluster access of the MCP server', default: 'in-cluster service account' },
  MCP_ENABLE_WRITE_TOOLS: {
    meaning:
      '`true` offers the write tools (scale, restart, undo, delete pod, cordon, drain; each previews with a server-side dry run; `dryRun: false` runs only with an approval grant); the `mcp` role then also uses `REDIS_URL` (used grant ids, audit of refused calls)',
  },
  MCP_ALLOWED_TOOLS: { meaning: 'comma lists of tool names to offer only / never (unknown names fail at start)', default: 'all / none' },
  MCP_DENIED_TOOLS: { sameRowAs: 'MCP_ALLOWED_TOOLS' },
  MCP_DENIED_KINDS: { meaning: 'comma list of resource kinds no tool may read or name, e.g. `ConfigMap,Certificate`' },
  MCP_ALLOWED_HOSTS: {
    meaning: 'comma list of Host names `/mcp` answers besides loopback and `HOST`, e.g. `ai4k8s-mcp,ai4k8s-mcp.ai4k8s.svc`',
  },
  PROMETHEUS_URL: {
    meaning: 'monitoring tools of the MCP server and Grafana snapshot / Explore links (see [Monitoring tools](monitoring.md))',
  },
  ALERTMANAGER_URL: { sameRowAs: 'PROMETHEUS_URL' },
  GRAFANA_URL: { sameRowAs: 'PROMETHEUS_URL' },
  GRAFANA_TOKEN: { sameRowAs: 'PROMETHEUS_URL' },
  ALERTS_TOKEN: {
    meaning:
      "Alertmanager webhook token (32+ characters; without it `/alerts/alertmanager` is not mounted); where alert threads go when the policy's `alerts.routes` name no place (a Slack channel **id**; a Teams conversation reference as JSON) — see [Alert threads](alerts.md)",
  },
  ALERTS_SLACK_CHANNEL: { sameRowAs: 'ALERTS_TOKEN' },
  ALERTS_TEAMS_CONVERSATION: { sameRowAs: 'ALERTS_TOKEN' },
  CONSOLE_TOKEN: {
    meaning:
      'web console shared login token (32+ characters): ask and read only, never approve, no policy identity (see [Web console](console.md))',
  },
  CONSOLE_USERS_FILE: {
    meaning:
      'file of web console accounts, `name:<scrypt hash>` lines (`ai4k8s console-user <name>` prints one): verified users, who may approve',
  },
  CONSOLE_TRUSTED_PROXIES: {
    meaning:
      'comma list of addresses / CIDR blocks of the authenticating proxy (oauth2-proxy, ingress auth) allowed to name the user in `CONSOLE_IDENTITY_HEADER`; from other peers that header gets 403',
  },
  CONSOLE_IDENTITY_HEADER: { meaning: 'the header the trusted proxy names the user in', default: '`X-Forwarded-Email`' },
  CONSOLE_SESSION_SECRET: {
    meaning: 'key signing console session cookies (32+ characters; the same on every gateway replica)',
    default: 'from `CONSOLE_TOKEN` without accounts, else random per process',
  },
  CONSOLE_ENABLED: {
    meaning:
      '`true`: the console must be offered (fails at start beyond loopback without a login: `CONSOLE_USERS_FILE`, `CONSOLE_TRUSTED_PROXIES` or `CONSOLE_TOKEN`); `false`: off; unset: on with a login or on loopback',
  },
  CONSOLE_ALLOWED_HOSTS: {
    meaning: 'comma list of Host names `/console` answers besides loopback and `HOST`, e.g. its ingress name; others get 403',
  },
  AI4K8S_POLICY: {
    meaning:
      'policy file (YAML, validated at start, a wrong key fails naming it): `identities` maps chat users (`X-Ai4k8s-User` header) to impersonated Kubernetes users and groups; `channels` limits namespaces, contexts, tool tier and approvers per channel (see [Channel policy](approvals.md) and `deploy/policy.example.yaml`); `alerts` routes alerts; `runbooks` attaches operator runbooks to alerts ([Alert threads](alerts.md)); `digests` schedules health digests ([Digests](digests.md))',
  },
  LOG_LEVEL: { meaning: '`fatal` … `trace`, `silent`' },
  WORKER_CONCURRENCY: {
    meaning:
      'questions one worker answers at once; an answer mostly waits on the model (about 0.8 MiB while in flight, see [Sizing](deploy.md#sizing-workers-for-waiting-on-a-model)), so hundreds fit',
  },
  MODEL_MAX_IN_FLIGHT: {
    meaning:
      'model calls in flight across **all** workers (one limiter shared through Redis, [decision 015](decisions/015-one-model-limiter-for-all-workers.md)); the limiter lowers it by itself when the API answers 429/529 and grows it back with successes',
  },
  MODEL_REQUESTS_PER_MINUTE: {
    meaning:
      "per-minute limits all workers share (input: uncached input plus cache writes; output: reserved at `max_tokens` per call, as the API does); `0` follows only the API's own limits, learned from its `anthropic-ratelimit-*` headers. Set them to give this installation a share of an organisation's limits",
  },
  MODEL_INPUT_TOKENS_PER_MINUTE: { sameRowAs: 'MODEL_REQUESTS_PER_MINUTE' },
  MODEL_OUTPUT_TOKENS_PER_MINUTE: { sameRowAs: 'MODEL_REQUESTS_PER_MINUTE' },
  MODEL_RETRY_WINDOW_MS: {
    meaning:
      'how long after its first 429/529/5xx or broken connection a model call keeps retrying (after `retry-after`, with full jitter) before the job is re-queued; waiting for the limiter does not count (1000–3600000)',
  },
  AGENT_MAX_STEPS: { meaning: 'model turns per answer before it stops and says so' },
  AGENT_MAX_TOKENS_PER_ANSWER: {
    meaning: 'input + output tokens summed over one answer; past it no further model call is made and the answer says so',
  },
  AGENT_TOOL_TIMEOUT_MS: {
    meaning:
      'how long the agent loop waits for one tool call, repeats through an MCP or API server restart included; past it the call is stopped and the model gets an error result saying so (1000–600000)',
  },
  CHANNEL_DAILY_TOKENS: {
    meaning: 'input + output tokens a channel may spend per UTC day; once spent, questions there get a clear refusal without a model call',
    default: '`0` (unlimited)',
  },
  RETRY_WINDOW_SECONDS: {
    meaning:
      'how long a question keeps being retried while the model is rate-limited or unavailable or the MCP server is unreachable (the job waits in the queue, the progress message says until when); a tool call is repeated through an MCP or API server restart for at most a minute of it; past it the user gets the error ([reliability](reliability.md))',
  },
  JOB_LOCK_MS: { meaning: "how long a worker holds a job; a dead worker's job is retried after it" },
  AUDIT_MAX_EVENTS: { meaning: 'audit events kept in the Redis stream `<QUEUE_PREFIX>:audit` (trimmed approximately, never below this)' },
  METRICS_QUEUE_REFRESH_SECONDS: {
    meaning: "the gateway's `/metrics` re-reads queue counts from Redis at most this often (concurrent scrapes share one read)",
  },
  CLUSTER_NAME: {
    meaning:
      "how answers (the context line), audit events and the console name the cluster, e.g. `prod-eu`; when unset the worker asks the MCP server once for its current kube context (`contexts_list`) and shows `context (cluster)`, falling back to the MCP server's host only while it cannot answer",
    default: "the MCP server's kube context",
  },
  CONVERSATION_TTL_SECONDS: {
    meaning: "how long a thread's memory (questions, answers, tool calls and results) is kept after its last answer",
    default: '`604800` (7 days)',
  },
  CONVERSATION_TOKEN_BUDGET: {
    meaning:
      "estimated tokens (characters / 4) of stored thread history; above it older tool results become a short extractive summary (the call, status, first and noteworthy lines), then a one-line note, then the oldest turns go (an alert thread's pinned alert stays, within half the budget)",
  },
  INCIDENTS_TTL_SECONDS: {
    meaning:
      "how long incident memory keeps an alert thread's (or fixed question thread's) findings — cause, fix, thread link — after it was last seen ([Alert threads](alerts.md))",
    default: '`7776000` (90 days)',
  },
  ALERT_TIMELINE_MINUTES: {
    meaning:
      'how far before an alert\'s start its thread\'s "what changed" timeline looks (`changes_list`); `0` turns the timeline off; 0–10080',
  },
  APPROVERS: {
    meaning:
      'comma list of who may approve or deny a write where the policy names no approvers: Slack user ids (`U0123ABCD`) or chat user ids (`teams:<tenant>:<user>`); empty: anyone',
    default: 'empty',
  },
  APPROVAL_SELF_ALLOWED: { meaning: '`true` lets the requester approve their own write' },
  APPROVAL_TTL_SECONDS: { meaning: "how long an approval card's buttons stay valid" },
  SHUTDOWN_TIMEOUT_MS: { meaning: 'bound on a clean shutdown' },
  MCP_OUTPUT_TOKENS: { meaning: 'most tokens one MCP tool result may take (500–100000); longer ones are cut with a hint on how to narrow' },
};
