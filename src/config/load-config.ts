import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { configKeys, configSchema, type Config, type Settings } from './schema.ts';
import { isLoopbackHost } from '../http/is-loopback-host.ts';
import { loadPolicy } from './load-policy.ts';
import { redisProblems } from './redis-settings.ts';

export type Role = 'gateway' | 'worker' | 'mcp' | 'all';

export interface LoadConfigOptions {
  /** Usually process.env; tests pass their own. */
  env: Readonly<Record<string, string | undefined>>;
  /** Which role is starting: decides which values are required. */
  role: Role;
  /** Optional YAML file of the same keys; environment variables win over it. */
  file?: string;
}

/**
 * Parses and validates configuration once, at start-up: the settings and the policy file they name (AI4K8S_POLICY,
 * every section). Throws ConfigError naming each bad variable or policy key.
 */
export function loadConfig({ env, role, file }: LoadConfigOptions): Config {
  const raw: Record<string, unknown> = { ...readConfigFile(file) };
  for (const key of configKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, raw)));
  const given = new Set(Object.keys(raw).filter((key) => raw[key] !== undefined));
  const problems = [...contradictions(parsed.data, role), ...redisProblems(parsed.data, given)];
  if (problems.length > 0) throw new ConfigError(problems);
  const policy = parsed.data.AI4K8S_POLICY === undefined ? undefined : loadPolicy(parsed.data.AI4K8S_POLICY);
  return { ...parsed.data, policy };
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`--config ${file}: cannot read the file (${(error as Error).message})`]);
  }
  const data: unknown = parseYaml(text);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([`--config ${file}: expected a YAML mapping of VARIABLE: value`]);
  }
  const unknownKeys = Object.keys(data).filter((k) => !(configKeys as string[]).includes(k));
  if (unknownKeys.length > 0) {
    throw new ConfigError(unknownKeys.map((k) => `${k} (in ${file}): not a known setting`));
  }
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const key = issue.path.join('.');
  const message = raw[key] === undefined ? 'is required' : issue.message;
  return `${key}: ${message}`;
}

function contradictions(config: Settings, role: Role): string[] {
  const problems: string[] = [];
  const needs = (key: keyof Settings, why: string) => {
    if (config[key] === undefined) problems.push(`${key}: is required ${why}`);
  };
  const pairs: [keyof Settings, keyof Settings][] = [
    ['TEAMS_APP_ID', 'TEAMS_APP_PASSWORD'],
    ['TEAMS_OPENID_METADATA_URL', 'TEAMS_APP_ID'],
    ['TEAMS_LOGIN_URL', 'TEAMS_APP_ID'],
    ['GRAFANA_TOKEN', 'GRAFANA_URL'],
  ];
  for (const [given, partner] of pairs) {
    if (config[given] !== undefined) needs(partner, `when ${given} is set`);
  }
  if (config.TEAMS_APP_TYPE === 'SingleTenant' && config.TEAMS_APP_ID !== undefined) {
    needs('TEAMS_APP_TENANT_ID', 'when TEAMS_APP_TYPE is SingleTenant');
  }
  const slackGiven = config.SLACK_SIGNING_SECRET !== undefined || config.SLACK_APP_TOKEN !== undefined;
  if (slackGiven) needs('SLACK_BOT_TOKEN', 'when Slack is configured (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)');
  if (config.SLACK_BOT_TOKEN !== undefined && !slackGiven) {
    problems.push('SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (role === 'worker') needs('MCP_URL', 'by the worker (where to find the MCP server)');
  if (role === 'worker' || role === 'mcp' || role === 'all') needs('MCP_TOKEN', `by the ${role} role`);
  if (config.MCP_TOKEN !== undefined && config.MCP_READ_TOKENS.includes(config.MCP_TOKEN)) {
    problems.push("MCP_READ_TOKENS: must not contain MCP_TOKEN (the bot's token); give read-only clients tokens of their own");
  }
  // Approval grants: the gateway signs them, the MCP server verifies them; without the key writes would be either
  // impossible (mcp) or unapprovable (gateway), so say it at start rather than at the first click.
  if (config.MCP_ENABLE_WRITE_TOOLS && role !== 'worker')
    needs('APPROVAL_SIGNING_KEY', `by the ${role} role when MCP_ENABLE_WRITE_TOOLS=true (it signs / verifies approval grants)`);
  if (role === 'worker' && config.APPROVAL_SIGNING_KEY !== undefined) {
    problems.push(
      'APPROVAL_SIGNING_KEY: must not be given to the worker role (only gateway and mcp hold it; with it the worker could approve its own writes)',
    );
  }
  const ports = new Map<number, string>();
  const listening: (keyof Settings)[] = role === 'all' ? ['PORT', 'MCP_PORT', 'WORKER_PORT'] : [];
  for (const key of listening) {
    const value = config[key] as number;
    if (value === 0) continue; // 0 asks the kernel for a free port: no clash possible
    const clash = ports.get(value);
    if (clash !== undefined) problems.push(`${key}: ${value} is already used by ${clash}`);
    ports.set(value, key);
  }
  // Emulator mode answers POST /api/messages without any authentication: only where nobody else can reach it.
  if ((role === 'gateway' || role === 'all') && config.TEAMS_ENABLED && config.TEAMS_APP_ID === undefined && !isLoopbackHost(config.HOST)) {
    problems.push(
      `TEAMS_APP_ID: is required when TEAMS_ENABLED=true and HOST (${config.HOST}) is not loopback: without it /api/messages is unauthenticated (emulator mode), which is allowed on a loopback HOST only`,
    );
  }
  // No anonymous console beyond loopback: asked for explicitly, it must have a way to sign in.
  const consoleLogin =
    config.CONSOLE_TOKEN !== undefined || config.CONSOLE_USERS_FILE !== undefined || config.CONSOLE_TRUSTED_PROXIES !== undefined;
  if ((role === 'gateway' || role === 'all') && config.CONSOLE_ENABLED === true && !consoleLogin && !isLoopbackHost(config.HOST)) {
    problems.push(
      `CONSOLE_TOKEN: is required for the web console (CONSOLE_ENABLED=true) when HOST (${config.HOST}) is not loopback, unless CONSOLE_USERS_FILE or CONSOLE_TRUSTED_PROXIES signs users in`,
    );
  }
  return problems;
}
