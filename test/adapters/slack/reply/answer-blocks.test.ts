import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnswerView } from '../../../../src/chat/answer-view.ts';
import { markdownView } from '../../../../src/chat/answer-view.ts';
import { answerBlocks, answerFallbackText } from '../../../../adapters/slack/reply/answer-blocks.ts';
import { checkBlocks } from '../../../../dev/fakes/slack-block-limits.ts';

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };
const blocksOf = (view: AnswerView) => answerBlocks(view) as unknown as Block[];
const facts = { cluster: 'prod-eu', namespaces: ['shop', 'payments'], tools: ['pods_list', 'pod_logs'], steps: 3, tokens: 12_345 };

describe('answerBlocks', () => {
  it('renders a headline, findings and a context line naming cluster, namespaces, tools and tokens', () => {
    const view: AnswerView = {
      markdown: '## checkout is crash-looping\n\nIt **cannot** reach `payments-db`.',
      headline: 'checkout is crash-looping',
      findings: 'It **cannot** reach `payments-db`.',
      facts,
    };
    const blocks = blocksOf(view);
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'context'],
    );
    assert.deepEqual(blocks[0]?.text, { type: 'plain_text', text: 'checkout is crash-looping', emoji: true });
    assert.equal(blocks[1]?.text?.type, 'mrkdwn');
    assert.equal(blocks[1]?.text?.text, 'It *cannot* reach `payments-db`.');
    const context = (blocks[2]?.elements ?? []).map((e) => e.text).join(' | ');
    assert.match(context, /cluster `prod-eu`/);
    assert.match(context, /namespaces `shop`, `payments`/);
    assert.match(context, /tools `pods_list`, `pod_logs`/);
    assert.match(context, /3 steps · 12,345 tokens/);
    assert.deepEqual(checkBlocks(blocks), { ok: true });
  });

  it('keeps a text fallback with the whole answer and its context line', () => {
    const view: AnswerView = { markdown: '## Title\n\nBody **bold**.', headline: 'Title', findings: 'Body **bold**.', facts };
    const text = answerFallbackText(view);
    assert.match(text, /^\*Title\*\n\nBody \*bold\*\./);
    assert.match(text, /_cluster: prod-eu · namespaces: shop, payments · tools: pods_list, pod_logs · 3 steps · 12,345 tokens_$/);
  });

  it("cuts a huge fallback text under Slack's 40,000 characters and keeps the context line last", () => {
    const findings = `\`\`\`\n${'x '.repeat(30_000)}\n\`\`\``;
    const text = answerFallbackText({ markdown: findings, findings, facts });
    assert.ok(text.length < 40_000, `${text.length}`);
    assert.equal((text.match(/```/g) ?? []).length % 2, 0, 'the cut left a code block open');
    assert.match(text, /\n\n_cluster: prod-eu · .* tokens_$/);
    assert.equal(
      answerFallbackText({ markdown: '', findings: '', facts }),
      '_cluster: prod-eu · namespaces: shop, payments · tools: pods_list, pod_logs · 3 steps · 12,345 tokens_',
    );
  });

  it('turns a Markdown table into a code block inside a section', () => {
    const findings = ['Pods:', '', '| Pod | Status |', '|---|---|', '| checkout-1 | CrashLoopBackOff |', '| web-2 | Running |'].join('\n');
    const blocks = blocksOf({ markdown: findings, findings, facts });
    const section = blocks.find((b) => b.type === 'section')?.text?.text ?? '';
    assert.match(section, /```\n.*Pod\s+│?\s*Status/s);
    assert.match(section, /checkout-1\s+.*CrashLoopBackOff/);
    assert.ok(!section.includes('|---|'), section);
    assert.ok(section.trimEnd().endsWith('```'), section);
  });

  it('stays within Slack limits: 150-char header, 3000-char sections, 50 blocks, balanced code fences', () => {
    const code = Array.from({ length: 4000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const findings = `Here is the output:\n\n\`\`\`\n${code}\n\`\`\`\n\nThat is all.`;
    const view: AnswerView = {
      markdown: findings,
      headline: 'H'.repeat(400),
      findings,
      facts,
      links: [{ label: 'Grafana', url: 'https://grafana.example/d/x' }],
    };
    const blocks = blocksOf(view);
    assert.ok(blocks.length <= 50, `${blocks.length} blocks`);
    assert.equal(blocks[0]?.type, 'header');
    assert.ok((blocks[0]?.text?.text.length ?? 0) <= 150);
    for (const block of blocks.filter((b) => b.type === 'section')) {
      const text = block.text?.text ?? '';
      assert.ok(text.length <= 3000, `section of ${text.length} chars`);
      assert.equal((text.match(/```/g) ?? []).length % 2, 0, `unbalanced fences in a section: ${text.slice(0, 80)}`);
    }
    assert.match(blocks.at(-3)?.text?.text ?? '', /rest was left out/);
    assert.match(blocks.at(-2)?.text?.text ?? '', /<https:\/\/grafana\.example\/d\/x\|Grafana>/);
    assert.equal(blocks.at(-1)?.type, 'context');
    assert.deepEqual(checkBlocks(blocks), { ok: true });
  });

  it('renders a plain notice (no facts) as sections only, keeping a footnote last', () => {
    const view = markdownView('`kubectl get pods`\n\n```\nNAME READY\n```\n\n_direct mode (AI is not configured)_');
    const blocks = blocksOf(view);
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['section', 'section'],
    );
    assert.equal(blocks[1]?.text?.text, '_direct mode (AI is not configured)_');
    assert.match(answerFallbackText(view), /_direct mode \(AI is not configured\)_$/);
  });

  it('an empty answer still produces a valid message', () => {
    const blocks = blocksOf({ markdown: '', findings: '' });
    assert.deepEqual(checkBlocks(blocks), { ok: true });
  });
});
