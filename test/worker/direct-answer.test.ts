import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directAnswer, notConfiguredText } from '../../src/worker/direct-answer.ts';

describe('notConfiguredText: the "AI is not configured" answer, per platform', () => {
  it('tells every platform how to enable AI', () => {
    for (const platform of ['slack', 'teams', 'console'] as const)
      assert.match(notConfiguredText(platform), /AI is not configured.*`ANTHROPIC_API_KEY`/);
  });

  it('suggests /k8s (and a mention) on Slack only', () => {
    const slack = notConfiguredText('slack');
    assert.match(slack, /`\/k8s pods -n payments`/);
    assert.match(slack, /mention/);
    assert.doesNotMatch(notConfiguredText('teams'), /\/k8s/);
    assert.doesNotMatch(notConfiguredText('console'), /\/k8s/);
  });

  it('suggests a mention on Teams and a typed command in the console', () => {
    assert.match(notConfiguredText('teams'), /mention me[\s\S]*`@ai4k8s get pods -n payments`/);
    const web = notConfiguredText('console');
    assert.match(web, /type a kubectl-style command[\s\S]*`get pods -n payments`/);
    assert.doesNotMatch(web, /@ai4k8s/);
  });
});

describe('directAnswer: the kubectl output as a code block', () => {
  it('fences output longer than any backtick run in it, even with half a million runs', () => {
    const output = '`a'.repeat(500_000) + '````';
    const answer = directAnswer('logs x', { text: output, isError: false });
    assert.ok(answer.includes(`\n\`\`\`\`\`\n${output}\n\`\`\`\`\`\n`), 'a fence of five backticks around the output');
  });
});
