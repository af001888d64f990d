import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownBlocks, markdownInlines } from '../../../../adapters/console/ui/markdown-blocks.ts';

const text = (t: string) => ({ kind: 'text', text: t }) as const;

describe('markdownBlocks: the console answer Markdown as data the page renders through textContent only', () => {
  it('reads headings, lists, paragraphs, emphasis lines and fenced code of a whole answer', () => {
    const answer = [
      '# Diagnosis',
      '## What I found',
      '#### Detail',
      '- **Exit code 137**: `OOMKilled`',
      '',
      '* the limit is 128Mi',
      '1. raise it',
      '2) roll out',
      'plain line',
      '_direct mode (AI is not configured)_',
      '```yaml',
      'limits:',
      '  memory: 512Mi',
      '```',
      'ping <@U024BE7LH>',
    ].join('\n');
    assert.deepEqual(markdownBlocks(answer), [
      { kind: 'heading', level: 2, inlines: [text('Diagnosis')] },
      { kind: 'heading', level: 3, inlines: [text('What I found')] },
      { kind: 'heading', level: 4, inlines: [text('Detail')] },
      {
        kind: 'list',
        ordered: false,
        items: [[{ kind: 'strong', text: 'Exit code 137' }, text(': '), { kind: 'code', text: 'OOMKilled' }], [text('the limit is 128Mi')]],
      },
      { kind: 'list', ordered: true, items: [[text('raise it')], [text('roll out')]] },
      { kind: 'paragraph', emphasis: false, inlines: [text('plain line')] },
      { kind: 'paragraph', emphasis: true, inlines: [text('direct mode (AI is not configured)')] },
      { kind: 'code', text: 'limits:\n  memory: 512Mi', closed: true },
      { kind: 'paragraph', emphasis: false, inlines: [text('ping '), { kind: 'mention', user: 'U024BE7LH' }] },
    ]);
  });

  it('keeps markup as text: HTML, a script tag and an unclosed fence are never elements', () => {
    const blocks = markdownBlocks('<img src=x onerror=alert(1)>\n**<script>alert(1)</script>**\n````\n<b>still code</b>\n```');
    assert.deepEqual(blocks, [
      { kind: 'paragraph', emphasis: false, inlines: [text('<img src=x onerror=alert(1)>')] },
      { kind: 'paragraph', emphasis: false, inlines: [{ kind: 'strong', text: '<script>alert(1)</script>' }] },
      // A longer fence is closed only by the same marker: the answer ended inside it.
      { kind: 'code', text: '<b>still code</b>\n```', closed: false },
    ]);
  });

  it('leaves unbalanced inline markers as text', () => {
    assert.deepEqual(markdownInlines('a `b **c <@d'), [text('a `b **c <@d')]);
  });

  it('reads pathological input linearly: 1 MiB of backticks, stars, list markers and one long line', () => {
    const MIB = 1 << 20;
    for (const [name, input] of [
      ['backticks', '`'.repeat(MIB)],
      ['stars', '*'.repeat(MIB)],
      ['list markers', '- '.repeat(MIB / 2)],
      ['mentions', '<@'.repeat(MIB / 2)],
      ['unclosed bold', '**a'.repeat(MIB / 3)],
      ['lines of fences', '```\n'.repeat(MIB / 4)],
      ['one long line', 'x'.repeat(MIB)],
    ] as const) {
      const started = performance.now();
      markdownBlocks(input);
      const ms = performance.now() - started;
      assert.ok(ms < 2_000, `${name}: ${ms.toFixed(0)} ms`);
    }
  });
});
