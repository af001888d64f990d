import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstWords } from '../../../adapters/console/console-audit.ts';

describe('firstWords: how the audit view names a conversation', () => {
  it('keeps the first eight words on one line and marks the cut', () => {
    assert.equal(firstWords('why is checkout\ncrashing in shop?'), 'why is checkout crashing in shop?');
    assert.equal(firstWords('one two three four five six seven eight nine ten'), 'one two three four five six seven eight…');
    assert.equal(firstWords('x'.repeat(5_000)), `${'x'.repeat(80)}…`);
  });

  it('redacts a credential the asker pasted', () => {
    const shown = firstWords('login with password=hunter2-very-secret please');
    assert.doesNotMatch(shown, /hunter2/);
  });
});
