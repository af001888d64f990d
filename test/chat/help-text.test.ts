import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpText } from '../../src/chat/help-text.ts';
import { markdownToMrkdwn } from '../../adapters/slack/reply/markdown-to-mrkdwn.ts';
import { parseKubectlCommand } from '../../src/contract/kubectl/parse-kubectl-command.ts';

describe('helpText: per surface, what works there', () => {
  it('the console: no mentions, no /k8s, no Slack *bold*, and the direct-mode commands as typed', () => {
    const help = helpText('console', { ai: true });
    assert.doesNotMatch(help, /@ai4k8s|\/k8s|mention/);
    assert.doesNotMatch(help, /(^|[^*])\*[^*\s][^*]*\*(?!\*)/m, 'no single-star Slack bold');
    assert.match(help, /\*\*kubectl-style commands\*\*/);
    assert.match(help, /^- `get pods -n shop`$/m);
    assert.match(help, /^- `logs deploy\/checkout -n shop --since 15m`$/m);
  });

  it('Slack: mentions and /k8s, rendered to mrkdwn bold; Teams: mentions only', () => {
    const slack = markdownToMrkdwn(helpText('slack', { ai: true }));
    assert.match(slack, /\/k8s <question>|\/k8s &lt;question&gt;/);
    assert.match(slack, /\*Ask your cluster a question\.\*/);
    assert.match(slack, /`\/k8s get ns`/);
    const teams = helpText('teams', { ai: true });
    assert.doesNotMatch(teams, /\/k8s/);
    assert.match(teams, /`@ai4k8s get pods -n shop`/);
  });

  it('without a model, says only commands work; every listed command parses', () => {
    const help = helpText('console', { ai: false });
    assert.match(help, /AI is not configured here.*ANTHROPIC_API_KEY/);
    assert.doesNotMatch(help, /crashlooping/);
    for (const [, command] of help.matchAll(/^- `(.*)`$/gm)) {
      const result = parseKubectlCommand((command ?? '').replaceAll('<name>', 'x'));
      assert.ok(result.ok, `${command ?? ''}: ${result.ok ? '' : result.message}`);
    }
  });
});
