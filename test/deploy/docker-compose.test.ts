import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, type Role } from '../../src/config/load-config.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
}

/** Fills compose's ${VAR}, ${VAR:-default} and ${VAR:?message} the way `docker compose` would with `given`. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = given[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`${name} must be set: ${arg ?? ''}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(import.meta.dirname, '../../docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const operatorEnv = {
    MCP_TOKEN: 'mcp-token',
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 'secret',
    ANTHROPIC_API_KEY: 'sk-ant-1',
  };

  it('runs each role with a configuration our schema accepts', () => {
    for (const role of ['gateway', 'worker', 'mcp'] as const satisfies Role[]) {
      const service = compose.services[role];
      assert.ok(service !== undefined, `service ${role} missing`);
      assert.deepEqual(service.command, [role]);
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), operatorEnv)]));
      assert.doesNotThrow(() => loadConfig({ env, role }), `${role}: ${JSON.stringify(env)}`);
    }
  });

  it('refuses to start without MCP_TOKEN rather than running an open MCP endpoint', () => {
    const env = compose.services.mcp?.environment ?? {};
    assert.throws(() => interpolate(String(env.MCP_TOKEN), {}), /MCP_TOKEN must be set/);
  });

  it('points the worker at the MCP service and every role at the redis service', () => {
    assert.equal(compose.services.worker?.environment?.MCP_URL, 'http://mcp:3001/mcp');
    for (const role of ['gateway', 'worker', 'mcp']) assert.equal(compose.services[role]?.environment?.REDIS_URL, 'redis://redis:6379');
  });
});
