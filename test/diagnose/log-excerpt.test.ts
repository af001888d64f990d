import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutLine, logExcerpt } from '../../src/diagnose/log-excerpt.ts';
import { estimateTokens } from '../../src/kube/estimate-tokens.ts';

const lines = Array.from(
  { length: 400 },
  (_, i) => `2026-01-15T09:00:${String(i % 60).padStart(2, '0')}Z INFO request ${i} served in ${i % 97} ms path=/api/v1/items/${i}`,
);

describe('logExcerpt: head and tail within a budget, never without the decisive line', () => {
  it('returns the log whole when it fits', () => {
    assert.equal(logExcerpt({ lines: lines.slice(0, 3), tokens: 500 }), lines.slice(0, 3).join('\n'));
  });

  it('keeps the decisive line with its neighbours, the first lines and the newest ones, and marks the gaps', () => {
    const log = [...lines];
    log[150] = 'ERROR password authentication failed for user "reporter"';
    const text = logExcerpt({ lines: log, decisive: 150, tokens: 400 });
    assert.ok(estimateTokens(text) <= 440, `${estimateTokens(text)} tokens`);
    const out = text.split('\n');
    assert.ok(out.includes(log[150] ?? ''), 'the decisive line is gone');
    for (const near of [148, 149, 151, 152]) assert.ok(out.includes(log[near] ?? ''), `line ${near} around it is gone`);
    assert.equal(out[0], log[0]);
    assert.equal(out.at(-1), log.at(-1));
    assert.ok(out.some((l) => /^… \d+ lines left out …$/.test(l)));
  });

  it('keeps the decisive line even when it alone is over the budget', () => {
    const log = [...lines.slice(0, 50), `panic: ${'x'.repeat(5000)} the end`, ...lines.slice(50, 100)];
    const text = logExcerpt({ lines: log, decisive: 50, tokens: 20 });
    assert.match(text, /^panic: x+ \[…\d+ chars…\] x+ the end$/m);
  });

  it('cuts an over-long line in the middle, keeping where the level and the error usually are', () => {
    const line = `ERROR ${'-'.repeat(1000)} caused by: 401 Unauthorized`;
    const cut = cutLine(line, 300);
    assert.ok(cut.startsWith('ERROR '));
    assert.ok(cut.endsWith('401 Unauthorized'));
    assert.ok(cut.length < 340);
  });

  it('takes linear time on a huge log: 1 MiB (the API returns at most 32 KiB) in well under a second', () => {
    const huge = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'y'.repeat(i % 90)}`);
    const started = performance.now();
    logExcerpt({ lines: huge, decisive: 10_000, tokens: 1500 });
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});
