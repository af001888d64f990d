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
      { headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k-1' }, slack: { botToken: 'xoxb-9', signingSecret: 's3' }, password: 'p' },
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
    assert.ok(lines.every((l) => l.includes('[redacted]')));
  });
});
