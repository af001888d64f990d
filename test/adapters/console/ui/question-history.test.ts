import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_MAX, questionHistory, type KeyValueStore } from '../../../../adapters/console/ui/question-history.ts';

function memoryStore(): KeyValueStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

describe('questionHistory: the console recalls earlier questions with Up and Down', () => {
  it('walks back newest first, stops at the oldest, and Down past the newest empties the box', () => {
    const history = questionHistory(memoryStore());
    assert.equal(history.step('up'), undefined, 'nothing to recall yet: Up moves the cursor as usual');
    for (const q of ['pods -n shop', 'events -n shop', 'why is checkout crashing?']) history.remember(q);
    assert.equal(history.step('down'), undefined, 'Down from the own box does nothing');
    assert.deepEqual(
      [history.step('up'), history.step('up'), history.step('up'), history.step('up')],
      ['why is checkout crashing?', 'events -n shop', 'pods -n shop', 'pods -n shop'],
    );
    assert.deepEqual(
      [history.step('down'), history.step('down'), history.step('down')],
      ['events -n shop', 'why is checkout crashing?', ''],
    );
  });

  it('keeps one copy of a repeated question, as the newest, and at most the last 100', () => {
    const store = memoryStore();
    const history = questionHistory(store);
    for (let i = 0; i < HISTORY_MAX + 20; i++) history.remember(`q${i}`);
    history.remember('q50');
    const past = history.past();
    assert.equal(past.length, HISTORY_MAX);
    assert.equal(past.at(-1), 'q50');
    assert.equal(past.filter((q) => q === 'q50').length, 1);
    assert.equal(past[0], 'q20');
  });

  it('survives a corrupt or foreign stored value and a store that refuses writes', () => {
    const store = memoryStore();
    store.values.set('ai4k8s.console.history', '{not json');
    assert.deepEqual(questionHistory(store).past(), []);
    store.values.set('ai4k8s.console.history', JSON.stringify(['ok', 3, null, 'fine']));
    assert.deepEqual(questionHistory(store).past(), ['ok', 'fine']);
    const full: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    assert.doesNotThrow(() => questionHistory(full).remember('still asks'));
  });
});
