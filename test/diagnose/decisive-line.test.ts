import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisiveLine, lineSeverity } from '../../src/diagnose/decisive-line.ts';

const pick = (lines: string[]) => {
  const i = decisiveLine(lines);
  return i === undefined ? undefined : lines[i];
};

describe('decisiveLine: the line that says how a log ended', () => {
  it("is the error before the retries and the exit line, not the last line (a Job's password failure)", () => {
    const lines = [
      'INFO reports.db: connecting to warehouse-db:5432 as reporter',
      'ERROR reports.db: connection failed: FATAL:  password authentication failed for user "reporter"',
      'INFO reports.db: retrying in 5s (1/3)',
      'INFO reports.nightly: giving up after 3 retries, exiting with status 1',
    ];
    assert.equal(pick(lines), lines[1]);
  });

  it('prefers a panic to the error lines that led to it, and ignores the goroutine dump after it', () => {
    const lines = [
      'level=error msg="giving up on payments-db" attempts=3',
      'panic: dial tcp 10.0.3.7:5432: connect: connection refused',
      'goroutine 1 [running]:',
      'main.mustConnect({0xc000124000, 0x2f})',
      '\t/src/cmd/checkout/main.go:88 +0x1c5',
    ];
    assert.equal(pick(lines), lines[1]);
  });

  it("takes the exception line of a stack trace, not npm's epilogue or the frames", () => {
    const lines = [
      "TypeError: Cannot read properties of undefined (reading 'split')",
      '    at parseEndpoints (/app/dist/config.js:48:53)',
      'npm ERR! code 1',
      'npm ERR! command failed',
    ];
    assert.equal(pick(lines), lines[0]);
    const python = [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 3, in <module>',
      "    url = os.environ['DATABASE_URL']",
      "KeyError: 'DATABASE_URL'",
    ];
    assert.equal(pick(python), python[3]);
  });

  it('reads structured levels (logfmt, JSON, pino numbers) and keeps the latest of equals', () => {
    assert.equal(lineSeverity('time="x" level=fatal msg="boom"'), 3);
    assert.equal(lineSeverity('{"level":"error","msg":"readiness: schema too old"}'), 2);
    assert.equal(lineSeverity('{"level":50,"msg":"x"}'), 2);
    assert.equal(lineSeverity('WARN redis unreachable: no such host'), 1);
    const lines = ['ERROR first', 'ERROR second', 'INFO done'];
    assert.equal(pick(lines), 'ERROR second');
  });

  it('is undefined when nothing is more than ordinary output', () => {
    assert.equal(decisiveLine(['INFO starting', 'INFO templates compiled: 187/412', 'INFO received SIGTERM, shutting down']), undefined);
    assert.equal(decisiveLine([]), undefined);
  });

  it('stays linear on pathological lines: 1 MiB in well under a second', () => {
    const shapes = [
      'a'.repeat(1 << 20),
      'Error'.repeat(1 << 18),
      ` ${'x'.repeat(60)}`.repeat(1 << 14),
      'Caused by: '.repeat(1 << 16),
      `${'\t'.repeat(1 << 19)}x.go:1`,
      'failed '.repeat(1 << 17),
    ];
    for (const shape of shapes) {
      const lines = shape.match(/[^]{1,4096}/g) ?? [];
      const started = performance.now();
      decisiveLine(lines);
      decisiveLine([shape]);
      const ms = performance.now() - started;
      assert.ok(ms < 300, `${shape.slice(0, 20)}…: ${ms.toFixed(0)} ms`);
    }
  });
});
