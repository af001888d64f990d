import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exhaustedResetMs, rateLimitHeaders } from '../../src/model/rate-limit-headers.ts';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('anthropic-ratelimit-* headers', () => {
  it('reads limit, remaining and the time to reset of requests, input and output tokens', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '4000',
      'anthropic-ratelimit-requests-remaining': '3999',
      'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:00.015Z',
      'anthropic-ratelimit-input-tokens-limit': '2000000',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:12Z',
      'anthropic-ratelimit-output-tokens-limit': '400000',
      'anthropic-ratelimit-output-tokens-remaining': '396000',
    });
    const snapshot = rateLimitHeaders(headers, now);
    assert.deepEqual(snapshot, {
      requests: { limit: 4000, remaining: 3999, resetMs: 15 },
      inputTokens: { limit: 2_000_000, remaining: 0, resetMs: 12_000 },
      outputTokens: { limit: 400_000, remaining: 396_000 },
    });
    assert.equal(exhaustedResetMs(snapshot), 12_000);
  });

  it('takes the combined tokens-* headers for input when only they are sent, and ignores junk', () => {
    const headers = new Headers({
      'anthropic-ratelimit-tokens-limit': '80000',
      'anthropic-ratelimit-tokens-remaining': '79000',
      'anthropic-ratelimit-requests-limit': 'lots',
      'anthropic-ratelimit-requests-reset': 'soon',
    });
    assert.deepEqual(rateLimitHeaders(headers, now), { inputTokens: { limit: 80_000, remaining: 79_000 } });
    assert.deepEqual(rateLimitHeaders(new Headers(), now), {});
    assert.equal(exhaustedResetMs({}), undefined);
  });
});
