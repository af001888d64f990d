import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentAnswer } from '../../src/agent/run-agent.ts';
import { answerText, markdownView, shortenAnswer, splitHeadline } from '../../src/chat/answer-view.ts';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { composeAnswerView, namespacesOf } from '../../src/worker/compose-answer.ts';
import { deliveryPlan } from '../../src/worker/deliver-answer.ts';

const agentAnswer = (text: string, overrides: Partial<AgentAnswer> = {}): AgentAnswer => ({
  text,
  outcome: 'end_turn',
  steps: 2,
  toolCalls: [
    { name: 'pods_list', input: { namespace: 'shop' }, isError: false },
    { name: 'pod_logs', input: { namespace: 'shop', name: 'checkout-1' }, isError: false },
    { name: 'kubectl', input: { command: 'get events -n payments' }, isError: false },
  ],
  usage: { inputTokens: 1_000, outputTokens: 234, cacheReadTokens: 0, cacheWriteTokens: 0 },
  timings: { modelMs: 0, toolsMs: 0 },
  transcript: [],
  ...overrides,
});
const limits = { maxSteps: 8, maxAnswerTokens: 50_000 };

describe('composeAnswerView', () => {
  it('takes a heading or a one-line first paragraph as the headline, and the facts from the tool calls', () => {
    const view = composeAnswerView(agentAnswer('**checkout** is in `CrashLoopBackOff`.\n\n- restarts: 7'), limits, 'prod-eu');
    assert.equal(view.headline, 'checkout is in CrashLoopBackOff.');
    assert.equal(view.findings, '- restarts: 7');
    assert.deepEqual(view.facts, {
      cluster: 'prod-eu',
      namespaces: ['shop', 'payments'],
      tools: ['pods_list', 'pod_logs', 'kubectl'],
      steps: 2,
      tokens: 1_234,
    });
    // The text keeps what the model wrote, with the context line last.
    assert.equal(
      answerText(view),
      '**checkout** is in `CrashLoopBackOff`.\n\n- restarts: 7\n\n_cluster: prod-eu · namespaces: shop, payments · tools: pods_list, pod_logs, kubectl · 2 steps · 1,234 tokens_',
    );
    assert.equal(composeAnswerView(agentAnswer('## Diagnosis\nAll good.'), limits).headline, 'Diagnosis');
  });

  it('has no headline for a one-sentence answer, a list, or when a note leads', () => {
    assert.equal(composeAnswerView(agentAnswer('All pods are running.'), limits).headline, undefined);
    assert.equal(splitHeadline('- a\n\nb').headline, undefined);
    assert.equal(splitHeadline('Here is what I found:\n\n- a').headline, undefined);
    assert.equal(splitHeadline(`${'long '.repeat(40)}\n\nmore`).headline, undefined, 'a headline over 150 characters');
    const stepLimit = composeAnswerView(agentAnswer('Partial.\n\nMore.', { outcome: 'step_limit' }), limits);
    assert.equal(stepLimit.headline, undefined);
    assert.match(stepLimit.findings, /^I reached my step limit \(8 model turns\)/);
    assert.match(answerText(composeAnswerView(agentAnswer(''), limits)), /^_The model returned no text\._\n\n_namespaces: shop, payments/);
  });

  it('reads namespaces from namespace arguments and kubectl -n / -A', () => {
    const calls = (inputs: unknown[]) => inputs.map((input) => ({ name: 't', input, isError: false }));
    assert.deepEqual(
      namespacesOf(calls([{ command: 'get pods -A' }, { command: 'logs x --namespace=kube-system' }, { name: 'x' }, null])),
      ['*', 'kube-system'],
    );
  });
});

describe('shortenAnswer and the delivery plan', () => {
  const longCode = Array.from({ length: 200 }, (_, i) => `pod-${i}   Running`).join('\n');
  const longView = composeAnswerView(
    agentAnswer(`## Pods in shop\n\nAll ${200} pods:\n\n\`\`\`\n${longCode}\n\`\`\`\n\nNothing is failing.`),
    limits,
    'c1',
  );

  it('keeps a preview of a long code block and points at the attached file', () => {
    const short = shortenAnswer(longView, 'answer.md');
    assert.ok(short !== undefined);
    assert.equal(short.headline, 'Pods in shop');
    assert.match(short.findings, /```\npod-0 {3}Running\n[\s\S]*pod-11 {3}Running\n```\n_\(188 more lines in the attached file\)_/);
    assert.ok(!short.findings.includes('pod-12 '), 'the preview is longer than 12 lines');
    assert.match(short.findings, /the full answer is in the attached file `answer\.md`/);
    assert.match(short.markdown, /^## Pods in shop\n\n/);
    assert.deepEqual(short.facts, longView.facts);
    assert.equal(shortenAnswer(composeAnswerView(agentAnswer('Short.'), limits), 'answer.md'), undefined);
  });

  it('cuts long prose at a paragraph', () => {
    const prose = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(30)}`).join('\n\n');
    const short = shortenAnswer(markdownView(prose), 'answer.md');
    assert.ok(short !== undefined);
    assert.ok(short.findings.length < 3_000, `${short.findings.length}`);
    assert.match(short.findings, /word\n\n_… the full answer is in the attached file/);
  });

  const channel = (rich: boolean, upload: boolean): ReplyChannel => ({
    postRoot: () => Promise.resolve('1'),
    postInThread: () => Promise.resolve('2'),
    update: () => Promise.resolve(),
    postApproval: () => Promise.resolve('3'),
    updateApproval: () => Promise.resolve(),
    ...(rich ? { updateAnswer: () => Promise.resolve() } : {}),
    ...(upload ? { uploadFile: () => Promise.resolve() } : {}),
    format: (m) => m,
    maxMessageChars: 1_000,
  });

  it('uploads the full answer first, then one short rich message', () => {
    const plan = deliveryPlan({
      channel: channel(true, true),
      answer: longView,
      filename: 'answer.md',
      limits: { maxChars: 2_800, maxCodeLines: 30, previewLines: 12 },
    });
    assert.deepEqual(
      plan.map((s) => s.kind),
      ['file', 'answer'],
    );
    const file = plan[0]?.kind === 'file' ? plan[0].file : undefined;
    assert.equal(file?.filename, 'answer.md');
    assert.equal(file?.mimeType, 'text/markdown');
    assert.equal(file?.title, 'Pods in shop');
    assert.ok(file?.data.toString('utf8').includes('pod-199   Running'));
  });

  it('falls back to text chunks without rich answers and without uploads', () => {
    const plan = deliveryPlan({
      channel: channel(false, false),
      answer: longView,
      filename: 'answer.md',
      limits: { maxChars: 2_800, maxCodeLines: 30, previewLines: 12 },
    });
    assert.ok(plan.length > 2 && plan.every((s) => s.kind === 'text'), plan.map((s) => s.kind).join());
    const all = plan.map((s) => (s.kind === 'text' ? s.text : '')).join('\n');
    assert.ok(all.includes('pod-199   Running'));
    assert.match(all, /_cluster: c1 · namespaces: shop, payments/);
  });
});
