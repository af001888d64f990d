import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { secretKeys, secretStoredKeys, secretValues } from '../../src/config/schema.ts';

const mcp = { MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789' };
const SIGNING_KEY = 'approval-signing-key-0123456789abcdef';
const writes = { ...mcp, MCP_ENABLE_WRITE_TOOLS: 'true' };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ env: {}, role: 'gateway' });
    assert.equal(config.REDIS_URL, 'redis://127.0.0.1:6379');
    assert.equal(config.PORT, 3000);
    assert.equal(config.SLACK_API_URL, 'https://slack.com/api/');
    assert.equal(config.LOG_LEVEL, 'info');
  });

  it('names the variable and what it expects for a malformed value', () => {
    const problems = problemsOf(() => loadConfig({ env: { PORT: 'eighty', REDIS_URL: 'http://x' }, role: 'gateway' }));
    assert.ok(
      problems.some((p) => p.startsWith('PORT:') && p.includes('TCP port')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('REDIS_URL:') && p.includes('redis://')),
      problems.join('\n'),
    );
  });

  it('sizes the worker for waiting on a model, with the model limiter following the API unless told', () => {
    const config = loadConfig({ env: {}, role: 'gateway' });
    assert.equal(config.WORKER_CONCURRENCY, 200);
    assert.equal(config.MODEL_MAX_IN_FLIGHT, 256);
    assert.deepEqual(
      [config.MODEL_REQUESTS_PER_MINUTE, config.MODEL_INPUT_TOKENS_PER_MINUTE, config.MODEL_OUTPUT_TOKENS_PER_MINUTE],
      [0, 0, 0],
    );
    assert.equal(config.MODEL_RETRY_WINDOW_MS, 120_000);
    const problems = problemsOf(() =>
      loadConfig({ env: { MODEL_RETRY_WINDOW_MS: '500', MODEL_INPUT_TOKENS_PER_MINUTE: '-1', MODEL_MAX_IN_FLIGHT: '0' }, role: 'gateway' }),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MODEL_RETRY_WINDOW_MS:') && p.includes('milliseconds from 1000')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MODEL_INPUT_TOKENS_PER_MINUTE:') && p.includes('0: follow the API')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MODEL_MAX_IN_FLIGHT:')),
      problems.join('\n'),
    );
  });

  it('rejects a port out of range and a bad URL', () => {
    const problems = problemsOf(() => loadConfig({ env: { MCP_PORT: '70000', PROMETHEUS_URL: 'not a url' }, role: 'gateway' }));
    assert.ok(problems.some((p) => p.startsWith('MCP_PORT:')));
    assert.ok(problems.some((p) => p.startsWith('PROMETHEUS_URL:') && p.includes('URL')));
  });

  it('requires what a role needs, naming the variable', () => {
    const worker = problemsOf(() => loadConfig({ env: {}, role: 'worker' }));
    assert.ok(worker.some((p) => p.startsWith('MCP_URL:') && p.includes('required')));
    assert.ok(worker.some((p) => p.startsWith('MCP_TOKEN:') && p.includes('required')));
    const server = problemsOf(() => loadConfig({ env: {}, role: 'mcp' }));
    assert.deepEqual(
      server.map((p) => p.split(':')[0]),
      ['MCP_TOKEN'],
    );
  });

  it('fails on contradictory settings', () => {
    const slack = problemsOf(() => loadConfig({ env: { SLACK_SIGNING_SECRET: 'abc123' }, role: 'gateway' }));
    assert.ok(slack.some((p) => p.startsWith('SLACK_BOT_TOKEN:')));
    const slackToken = problemsOf(() => loadConfig({ env: { SLACK_BOT_TOKEN: 'xoxb-1' }, role: 'gateway' }));
    assert.ok(slackToken.some((p) => p.startsWith('SLACK_SIGNING_SECRET:')));
    const grafana = problemsOf(() => loadConfig({ env: { GRAFANA_TOKEN: 'glsa_x' }, role: 'gateway' }));
    assert.ok(grafana.some((p) => p.startsWith('GRAFANA_URL:')));
    const ports = problemsOf(() => loadConfig({ env: { ...mcp, PORT: '4000', MCP_PORT: '4000' }, role: 'all' }));
    assert.ok(ports.some((p) => p.startsWith('MCP_PORT:') && p.includes('PORT')));
  });

  it('rejects a Slack token of the wrong kind', () => {
    const problems = problemsOf(() => loadConfig({ env: { SLACK_BOT_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: 's' }, role: 'gateway' }));
    assert.ok(problems.some((p) => p.startsWith('SLACK_BOT_TOKEN:') && p.includes('xoxb-')));
  });

  it('reads a YAML config file; environment variables win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'PORT: 4100\nMCP_PORT: 4101\nLOG_LEVEL: debug\n');
    const config = loadConfig({ env: { PORT: '4200' }, role: 'gateway', file });
    assert.equal(config.PORT, 4200);
    assert.equal(config.MCP_PORT, 4101);
    assert.equal(config.LOG_LEVEL, 'debug');
  });

  it('rejects unknown keys and unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'PROT: 1\n');
    assert.ok(problemsOf(() => loadConfig({ env: {}, role: 'gateway', file }))[0]?.startsWith('PROT'));
    assert.ok(problemsOf(() => loadConfig({ env: {}, role: 'gateway', file: join(dir, 'missing.yaml') }))[0]?.includes('cannot read'));
  });

  it('refuses secrets shorter than 32 characters, naming the variable', () => {
    const short = 'x'.repeat(31);
    const env = {
      MCP_TOKEN: short,
      CONSOLE_TOKEN: short,
      ALERTS_TOKEN: short,
      APPROVAL_SIGNING_KEY: short,
      MCP_READ_TOKENS: `${'r'.repeat(32)},${short}`,
    };
    const problems = problemsOf(() => loadConfig({ env, role: 'mcp' }));
    for (const key of ['MCP_TOKEN', 'CONSOLE_TOKEN', 'ALERTS_TOKEN', 'APPROVAL_SIGNING_KEY', 'MCP_READ_TOKENS']) {
      assert.ok(
        problems.some((p) => p.startsWith(`${key}:`) && p.includes('at least 32 characters')),
        `${key} in:\n${problems.join('\n')}`,
      );
    }
    const long = 'y'.repeat(32);
    const config = loadConfig({
      env: {
        MCP_TOKEN: long,
        CONSOLE_TOKEN: long,
        ALERTS_TOKEN: long,
        APPROVAL_SIGNING_KEY: long,
        MCP_READ_TOKENS: ` ${'r'.repeat(32)} , ${'s'.repeat(40)} `,
      },
      role: 'mcp',
    });
    assert.deepEqual(config.MCP_READ_TOKENS, ['r'.repeat(32), 's'.repeat(40)]);
  });

  it('a read token may not be the bot token', () => {
    const problems = problemsOf(() => loadConfig({ env: { ...mcp, MCP_READ_TOKENS: mcp.MCP_TOKEN }, role: 'mcp' }));
    assert.ok(
      problems.some((p) => p.startsWith('MCP_READ_TOKENS:') && p.includes('MCP_TOKEN')),
      problems.join('\n'),
    );
  });

  it('with write tools enabled, the roles that sign or verify approvals need APPROVAL_SIGNING_KEY: no silent open mode', () => {
    for (const role of ['mcp', 'gateway', 'all'] as const) {
      const problems = problemsOf(() => loadConfig({ env: writes, role }));
      assert.ok(
        problems.some((p) => p.startsWith('APPROVAL_SIGNING_KEY:') && p.includes('MCP_ENABLE_WRITE_TOOLS')),
        `${role}:\n${problems.join('\n')}`,
      );
      assert.equal(loadConfig({ env: { ...writes, APPROVAL_SIGNING_KEY: SIGNING_KEY }, role }).APPROVAL_SIGNING_KEY, SIGNING_KEY);
    }
    assert.equal(loadConfig({ env: mcp, role: 'mcp' }).APPROVAL_SIGNING_KEY, undefined, 'read-only servers need no key');
  });

  it('the worker must not hold APPROVAL_SIGNING_KEY (it could mint its own approvals)', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { ...writes, MCP_URL: 'http://mcp:3001/mcp', APPROVAL_SIGNING_KEY: SIGNING_KEY }, role: 'worker' }),
    );
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['APPROVAL_SIGNING_KEY'],
    );
    assert.doesNotThrow(() => loadConfig({ env: { ...writes, MCP_URL: 'http://mcp:3001/mcp' }, role: 'worker' }));
  });
});

describe('secret settings (derived from the schema)', () => {
  it('secretKeys are the credentials the logger scrubs; secretStoredKeys add REDIS_URL, which may carry a password', () => {
    const credentials = [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'TEAMS_APP_PASSWORD',
      'ANTHROPIC_API_KEY',
      'MCP_TOKEN',
      'MCP_READ_TOKENS',
      'APPROVAL_SIGNING_KEY',
      'GRAFANA_TOKEN',
      'ALERTS_TOKEN',
      'CONSOLE_TOKEN',
      'CONSOLE_SESSION_SECRET',
      'REDIS_PASSWORD',
      'REDIS_SENTINEL_PASSWORD',
    ];
    assert.deepEqual([...secretKeys].sort(), [...credentials].sort());
    assert.deepEqual([...secretStoredKeys].sort(), [...credentials, 'REDIS_URL'].sort());
  });

  it('secretValues lists every configured credential, list settings item by item, and nothing else', () => {
    const config = loadConfig({
      env: {
        ...mcp,
        MCP_READ_TOKENS: `${'r'.repeat(32)},${'s'.repeat(32)}`,
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'signing',
        REDIS_URL: 'redis://:pw@redis:6379',
      },
      role: 'mcp',
    });
    assert.deepEqual(secretValues(config).sort(), [mcp.MCP_TOKEN, 'r'.repeat(32), 's'.repeat(32), 'xoxb-1', 'signing'].sort());
  });
});
