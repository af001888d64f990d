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

  it('reads a GFM pipe table: alignment, inline code, an escaped pipe, ragged rows; it ends at a blank line', () => {
    const answer = [
      'Pods:',
      '| Pod | Status | Restarts |',
      '|:----|:------:|---------:|',
      '| `checkout-7f9` | CrashLoopBackOff | 12 |',
      'cart | a \\| b',
      '| x | y | z | extra |',
      '',
      'after',
    ].join('\n');
    assert.deepEqual(markdownBlocks(answer), [
      { kind: 'paragraph', emphasis: false, inlines: [text('Pods:')] },
      {
        kind: 'table',
        align: ['left', 'center', 'right'],
        head: [[text('Pod')], [text('Status')], [text('Restarts')]],
        rows: [
          [[{ kind: 'code', text: 'checkout-7f9' }], [text('CrashLoopBackOff')], [text('12')]],
          [[text('cart')], [text('a | b')], []],
          [[text('x')], [text('y')], [text('z')]],
        ],
      },
      { kind: 'paragraph', emphasis: false, inlines: [text('after')] },
    ]);
  });

  it('reads no table without a delimiter row of as many cells, nor inside a code fence', () => {
    assert.deepEqual(
      markdownBlocks('a | b\nnot a delimiter').map((b) => b.kind),
      ['paragraph', 'paragraph'],
    );
    assert.deepEqual(
      markdownBlocks('| a | b |\n|---|\n| 1 | 2 |').map((b) => b.kind),
      ['paragraph', 'paragraph', 'paragraph'],
    );
    assert.deepEqual(markdownBlocks('```\n| a | b |\n|---|---|\n```'), [{ kind: 'code', text: '| a | b |\n|---|---|', closed: true }]);
  });

  it('reads a 200-row table as 200 body rows', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `| pod-${i} | Running | ${i} |`);
    const [table] = markdownBlocks(['| Pod | Status | Restarts |', '|---|---|---|', ...rows].join('\n'));
    assert.equal(table?.kind, 'table');
    assert.equal(table.kind === 'table' ? table.rows.length : 0, 200);
  });

  it('leaves unbalanced inline markers as text', () => {
    assert.deepEqual(markdownInlines('a `b **c <@d'), [text('a `b **c <@d')]);
  });

  it('reads pathological input linearly: 256 KiB (six times the longest console message) of backticks, stars, pipes, mentions', () => {
    const SIZE = 256 * 1024;
    for (const [name, input] of [
      ['backticks', '`'.repeat(SIZE)],
      ['stars', '*'.repeat(SIZE)],
      ['list markers', '- '.repeat(SIZE / 2)],
      ['mentions', '<@'.repeat(SIZE / 2)],
      ['unclosed bold', '**a'.repeat(SIZE / 3)],
      ['lines of fences', '```\n'.repeat(SIZE / 4)],
      ['one long line', 'x'.repeat(SIZE)],
      ['one row of pipes', `${'|'.repeat(SIZE)}\n${'|-'.repeat(SIZE / 2)}`],
      ['table rows', `|a|b|\n|-|-|\n${'|x|\\|\n'.repeat(SIZE / 6)}`],
      ['almost tables', 'a|b\n|-|\n'.repeat(SIZE / 10)],
    ] as const) {
      const started = performance.now();
      markdownBlocks(input);
      const ms = performance.now() - started;
      // Linear stays under a second even on a machine busy with other test runs; quadratic would take minutes.
      assert.ok(ms < 3_000, `${name}: ${ms.toFixed(0)} ms`);
    }
  });
});
