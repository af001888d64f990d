import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with level and message', () => {
    const { lines, stream } = capture();
    createLogger({ destination: stream }).info({ port: 3000 }, 'listening');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'listening');
    assert.equal(line.port, 3000);
  });

  it('redacts credential-carrying keys at any depth', () => {
    const { lines, stream } = capture();
    createLogger({ destination: stream }).info(
      {
        headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k-1' },
        slack: { botToken: 'xoxb-9', signingSecret: 's3' },
        password: 'p',
      },
      'request',
    );
    const text = lines.join('\n');
    for (const leaked of ['abc.def', 'k-1', 'xoxb-9', 's3"', '"p"']) assert.ok(!text.includes(leaked), `${leaked} leaked: ${text}`);
    assert.ok(text.includes('[redacted]'));
  });

  it('never writes a configured secret value, wherever it appears', () => {
    const { lines, stream } = capture();
    const token = 'xoxb-CANARY-4242-token';
    const logger = createLogger({ destination: stream, secrets: [token, undefined] });
    logger.info(`connecting with ${token}`);
    logger.warn({ detail: { nested: [`prefix ${token} suffix`] } }, 'odd field');
    logger.error({ err: new Error(`auth failed for ${token}`) }, 'failure');
    logger.child({ url: `https://x/?t=${token}` }).info('child');
    assert.equal(lines.length, 4);
    for (const line of lines) assert.ok(!line.includes(token), `token leaked: ${line}`);
    // Each is redacted: by its shape (a Slack token) or, where the shape is unknown, by its value.
    assert.ok(lines.every((l) => l.includes('[redacted')));
  });

  it('redacts credential shapes in every string it writes: messages, fields, errors, child bindings', () => {
    const { lines, stream } = capture();
    const token = ['ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
    const password = 'hunter2-CANARY-log';
    const logger = createLogger({ destination: stream });
    logger.info(`model answer mentions ${token}`);
    logger.info({ output: `config: {"user":"app","password":"${password}"}` }, 'tool result');
    logger.error({ err: new Error(`cannot connect to postgres://app:${password}@db:5432/shop`) }, 'failure');
    logger.child({ question: `why does Bearer ${token} fail?` }).info('job');
    logger.warn({ detail: ['failed to fetch anonymous token: unexpected status: 401 Unauthorized'] }, 'pull failed');
    const text = lines.join('\n');
    for (const secret of [token, password]) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.match(text, /\[redacted: github token\]/);
    assert.match(text, /postgres:\/\/app:\[redacted: password\]@db/);
    // Evidence stays readable: the look-alike is not a credential.
    assert.ok(text.includes('failed to fetch anonymous token: unexpected status: 401 Unauthorized'));
    for (const line of lines) JSON.parse(line);
  });

  it('bounds the work per line: a 4 MiB field is clipped before it is redacted', () => {
    const { lines, stream } = capture();
    const huge = 'password: x\n'.repeat((4 * 1024 * 1024) / 12);
    const started = process.cpuUsage();
    createLogger({ destination: stream }).info({ output: huge }, 'tool result');
    const { user, system } = process.cpuUsage(started);
    assert.ok((user + system) / 1000 < 200, `${((user + system) / 1000).toFixed(0)} ms`);
    assert.ok((lines[0]?.length ?? 0) < 64 * 1024, `line of ${lines[0]?.length ?? 0} characters`);
    assert.ok(!/password: x/.test(lines[0] ?? ''));
  });
});
