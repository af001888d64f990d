import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownToMrkdwn } from '../../../../adapters/slack/reply/markdown-to-mrkdwn.ts';

const RULE = '─'.repeat(20);

describe('markdownToMrkdwn on a whole answer', () => {
  it('converts a Kubernetes diagnosis with a heading, bullets, a table of pods and a yaml block', () => {
    const answer = [
      '## Diagnosis: `checkout` is crash-looping',
      '',
      'The pod **checkout-7f9c4d-x2x9q** in namespace `shop` has restarted *12 times* & is in `CrashLoopBackOff`.',
      '',
      '### What I found',
      '',
      '- **Exit code 137**: the container was `OOMKilled`',
      '- The memory limit is __128Mi__, the app peaks at ~300Mi',
      '  - see the [pod lifecycle docs](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/)',
      '',
      '| Pod | Status | Restarts |',
      '|-----|--------|---------:|',
      '| checkout-7f9c4d-x2x9q | CrashLoopBackOff | 12 |',
      '| cart-5d8b6-qq7lm | Running | 0 |',
      '',
      '### Fix',
      '',
      '1. Raise the limit:',
      '```yaml',
      'resources:',
      '  limits:',
      '    memory: "512Mi"   # was 128Mi, <- too low',
      '```',
      '2. Roll out: `kubectl -n shop rollout restart deploy/checkout`',
      '',
      '> **Note:** ~~scaling up~~ will not help while every replica is OOMKilled.',
      '',
      '---',
      'Ping <@U024BE7LH> if it happens again.',
    ].join('\n');
    const expected = [
      '*Diagnosis: `checkout` is crash-looping*',
      '',
      'The pod *checkout-7f9c4d-x2x9q* in namespace `shop` has restarted _12 times_ &amp; is in `CrashLoopBackOff`.',
      '',
      '*What I found*',
      '',
      '• *Exit code 137*: the container was `OOMKilled`',
      '• The memory limit is *128Mi*, the app peaks at ~300Mi',
      '  • see the <https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/|pod lifecycle docs (kubernetes.io)>',
      '',
      '```',
      'Pod                    Status            Restarts',
      '---------------------  ----------------  --------',
      'checkout-7f9c4d-x2x9q  CrashLoopBackOff        12',
      'cart-5d8b6-qq7lm       Running                  0',
      '```',
      '',
      '*Fix*',
      '',
      '1. Raise the limit:',
      '```',
      'resources:',
      '  limits:',
      '    memory: "512Mi"   # was 128Mi, &lt;- too low',
      '```',
      '2. Roll out: `kubectl -n shop rollout restart deploy/checkout`',
      '',
      '> *Note:* ~scaling up~ will not help while every replica is OOMKilled.',
      '',
      RULE,
      'Ping @\u200BU024BE7LH if it happens again.',
    ].join('\n');
    assert.equal(markdownToMrkdwn(answer), expected);
  });
});

describe('markdownToMrkdwn emphasis', () => {
  it('turns **bold** and __bold__ into Slack *bold*', () => {
    assert.equal(markdownToMrkdwn('The **deployment** is __paused__.'), 'The *deployment* is *paused*.');
  });
  it('turns *italic* into _italic_ and leaves _italic_ as it is', () => {
    assert.equal(markdownToMrkdwn('It is *probably* the _readiness_ probe.'), 'It is _probably_ the _readiness_ probe.');
  });
  it('keeps italic inside bold, bold inside italic, and ***both***', () => {
    assert.equal(markdownToMrkdwn('**bold with *italic* inside**'), '*bold with _italic_ inside*');
    assert.equal(markdownToMrkdwn('*italic with **bold** inside*'), '_italic with *bold* inside_');
    assert.equal(markdownToMrkdwn('***urgent***'), '*_urgent_*');
  });
  it('turns ~~strike~~ into ~strike~', () => {
    assert.equal(markdownToMrkdwn('Replicas: ~~3~~ 5'), 'Replicas: ~3~ 5');
  });
  it('leaves stars and underscores that are not emphasis alone', () => {
    assert.equal(markdownToMrkdwn('2 * 3 * 4 pods, snake_case_name, */5 * * * *'), '2 * 3 * 4 pods, snake_case_name, */5 * * * *');
  });
  it('removes the backslash of a Markdown escape and keeps the character', () => {
    assert.equal(markdownToMrkdwn('a \\# b \\[c\\] d \\< e'), 'a # b [c] d &lt; e');
  });
});

describe('markdownToMrkdwn links and URLs', () => {
  it('turns [text](url) into <url|text (host)>, without escaping the URL: a label never hides where a link goes', () => {
    assert.equal(
      markdownToMrkdwn('See [Grafana](https://grafana.example.com/d/abc?var-ns=shop&from=now-1h).'),
      'See <https://grafana.example.com/d/abc?var-ns=shop&from=now-1h|Grafana (grafana.example.com)>.',
    );
  });
  it('drops a link title, keeps parentheses in the URL, and handles images', () => {
    assert.equal(markdownToMrkdwn('[docs](https://k8s.io/docs "Kubernetes docs")'), '<https://k8s.io/docs|docs (k8s.io)>');
    assert.equal(
      markdownToMrkdwn('[wiki](https://en.wikipedia.org/wiki/Pod_(Kubernetes))'),
      '<https://en.wikipedia.org/wiki/Pod_(Kubernetes)|wiki (en.wikipedia.org)>',
    );
    assert.equal(markdownToMrkdwn('![graph](https://example.com/g.png)'), '<https://example.com/g.png|graph (example.com)>');
  });
  it('writes a link whose text is its URL, or empty, as <url>', () => {
    assert.equal(markdownToMrkdwn('[https://k8s.io](https://k8s.io) and [](https://k8s.io)'), '<https://k8s.io> and <https://k8s.io>');
  });
  it('keeps the link text plain: marks dropped, < and > escaped so the token is not cut short', () => {
    assert.equal(
      markdownToMrkdwn('[**the `kubectl` <ref>**](https://k8s.io/ref)'),
      '<https://k8s.io/ref|the kubectl &lt;ref&gt; (k8s.io)>',
    );
  });
  it('percent-encodes | and > in a URL, which would end Slack’s token', () => {
    assert.equal(markdownToMrkdwn('[q](https://example.com/?a=1|2)'), '<https://example.com/?a=1%7C2|q (example.com)>');
  });
  it('leaves bare URLs alone, even with &, _ and *, and keeps trailing punctuation outside', () => {
    assert.equal(
      markdownToMrkdwn('Open https://example.com/a_b_c?x=1&y=*2*. Or (https://example.com/x).'),
      'Open https://example.com/a_b_c?x=1&y=*2*. Or (https://example.com/x).',
    );
    assert.equal(markdownToMrkdwn('**https://example.com/status**'), '*https://example.com/status*');
  });
});

describe('markdownToMrkdwn block structure', () => {
  it('turns every heading level into a bold line, without doubling bold inside it', () => {
    for (let level = 1; level <= 6; level += 1) {
      assert.equal(markdownToMrkdwn(`${'#'.repeat(level)} Root cause`), '*Root cause*');
    }
    assert.equal(markdownToMrkdwn('## **Root cause** ##'), '*Root cause*');
    assert.equal(markdownToMrkdwn('## The *real* cause'), '*The _real_ cause*');
  });
  it('does not take #hashtag or #123 for a heading', () => {
    assert.equal(markdownToMrkdwn('#incident-42 and #123'), '#incident-42 and #123');
  });
  it('turns -, * and + bullets into • and keeps the nesting indentation', () => {
    const md = ['- pods', '  * checkout', '    + container app', '* nodes'].join('\n');
    assert.equal(markdownToMrkdwn(md), ['• pods', '  • checkout', '    • container app', '• nodes'].join('\n'));
  });
  it('shows task list items as boxes', () => {
    assert.equal(markdownToMrkdwn('- [ ] drain node\n- [x] cordon node'), '• ☐ drain node\n• ☑ cordon node');
  });
  it('keeps numbered lists, converting the text of each item', () => {
    assert.equal(markdownToMrkdwn('1. Check **events**\n2) Check logs\n10. Done'), '1. Check *events*\n2) Check logs\n10. Done');
  });
  it('keeps block quotes unescaped, converts inside them, and flattens nesting Slack cannot show', () => {
    assert.equal(markdownToMrkdwn('> **Warning**: this deletes\n>\n> > - the PVC'), '> *Warning*: this deletes\n>\n> • the PVC');
  });
  it('turns ---, *** and ___ rules into a line', () => {
    assert.equal(markdownToMrkdwn('a\n\n---\n***\n___\n- - -\nb'), `a\n\n${RULE}\n${RULE}\n${RULE}\n${RULE}\nb`);
  });
  it('drops the Markdown hard-break marks at line ends', () => {
    assert.equal(markdownToMrkdwn('first  \nsecond\\\nthird'), 'first\nsecond\nthird');
  });
});

describe('markdownToMrkdwn code', () => {
  it('converts nothing inside inline code, only escapes it', () => {
    assert.equal(
      markdownToMrkdwn('Run `kubectl get pods -l **app**=web_api_v2 > out.txt` now'),
      'Run `kubectl get pods -l **app**=web_api_v2 &gt; out.txt` now',
    );
  });
  it('turns a double-backtick span, which Slack lacks, into a single-backtick one', () => {
    assert.equal(markdownToMrkdwn('Use `` kubectl get pods `` here'), 'Use `kubectl get pods` here');
  });
  it('drops the language tag and leaves the block content as written', () => {
    const md = ['```yaml', 'metadata:', '  name: web_api   # **not bold**', '  labels: {tier: "*"}', '```'].join('\n');
    assert.equal(markdownToMrkdwn(md), ['```', 'metadata:', '  name: web_api   # **not bold**', '  labels: {tier: "*"}', '```'].join('\n'));
  });
  it('escapes &, < and > in code, including ones that look like entities, as code shows them literally', () => {
    assert.equal(markdownToMrkdwn('```sh\ncat <<EOF && echo &amp;\n```'), '```\ncat &lt;&lt;EOF &amp;&amp; echo &amp;amp;\n```');
  });
  it('treats ~~~ fences like backtick fences and ignores Markdown lines inside', () => {
    assert.equal(
      markdownToMrkdwn('~~~\n# not a heading\n- not a bullet\n| a | b |\n|---|---|\n~~~'),
      '```\n# not a heading\n- not a bullet\n| a | b |\n|---|---|\n```',
    );
  });
  it('removes the list indentation of a fenced block inside a list item', () => {
    const md = ['1. Apply it:', '   ```bash', '   kubectl apply -f pod.yaml', '     --dry-run=server', '   ```', '2. Watch'].join('\n');
    assert.equal(
      markdownToMrkdwn(md),
      ['1. Apply it:', '```', 'kubectl apply -f pod.yaml', '  --dry-run=server', '```', '2. Watch'].join('\n'),
    );
  });
  it('closes a fence the answer left open', () => {
    assert.equal(markdownToMrkdwn('Logs:\n```\npanic: boom'), 'Logs:\n```\npanic: boom\n```');
  });
  it('does not end a block at a shorter fence', () => {
    assert.equal(markdownToMrkdwn('````md\n```yaml\nx: 1\n```\n````'), '```\n```yaml\nx: 1\n```\n```');
  });
});

describe('markdownToMrkdwn tables', () => {
  it('renders a pipe table as an aligned code block, honouring right and centre alignment', () => {
    const md = ['| Node | CPU | Ready |', '|:-----|----:|:-----:|', '| worker-1 | 93% | no |', '| w-2 | 7% | yes |'].join('\n');
    assert.equal(
      markdownToMrkdwn(md),
      ['```', 'Node      CPU  Ready', '--------  ---  -----', 'worker-1  93%   no', 'w-2        7%   yes', '```'].join('\n'),
    );
  });
  it('drops marks in cells, unescapes \\|, keeps link URLs and counts emoji as two columns', () => {
    const md = [
      'Pod | Note | OK',
      '--- | --- | ---',
      '**web** | `a\\|b` [runbook](https://r.example/x) | ✅',
      'db<br>primary | a &amp; b <c> | ❌',
    ].join('\n');
    assert.equal(
      markdownToMrkdwn(md),
      [
        '```',
        'Pod         Note                               OK',
        '----------  ---------------------------------  --',
        'web         a|b runbook (https://r.example/x)  ✅',
        // "a & b <c>" shows 9 characters: padded to the 33 of the widest note, plus the gap.
        `db primary  a &amp; b &lt;c&gt;${' '.repeat(33 - 9 + 2)}❌`,
        '```',
      ].join('\n'),
    );
  });
  it('pads rows with missing cells and ends the table at the first line without a pipe', () => {
    assert.equal(markdownToMrkdwn('| a | b |\n|---|---|\n| 1 |\nafter'), '```\na  b\n-  -\n1\n```\nafter');
  });
  it('leaves a line with pipes that has no delimiter row as text', () => {
    assert.equal(markdownToMrkdwn('grep foo | wc -l\nnext'), 'grep foo | wc -l\nnext');
  });
});

describe('markdownToMrkdwn escaping', () => {
  it('escapes &, < and > in text', () => {
    assert.equal(markdownToMrkdwn('p99 < 200ms & errors > 1% <none>'), 'p99 &lt; 200ms &amp; errors &gt; 1% &lt;none&gt;');
  });
  it('does not escape an entity twice', () => {
    assert.equal(markdownToMrkdwn('&lt;none&gt; &amp; &amp;amp;'), '&lt;none&gt; &amp; &amp;amp;');
  });
  it('turns Slack mentions, channels and special mentions into words that notify nobody, and shows where links go', () => {
    const text =
      '<@U024BE7LH> <@W123|alice> <#C123ABC> <#C123|ops> <!here> <!channel> <!subteam^S012AB|@sre> <https://x.example|x> <mailto:a@b.c>';
    const z = '\u200B';
    assert.equal(
      markdownToMrkdwn(text),
      `@${z}U024BE7LH @${z}alice #C123ABC #ops @${z}here @${z}channel @${z}sre <https://x.example|x (x.example)> <mailto:a@b.c>`,
    );
  });
  it('escapes angle brackets that are not Slack tokens, such as HTML', () => {
    assert.equal(markdownToMrkdwn('<!-- note --> <b>x</b>'), '&lt;!-- note --&gt; &lt;b&gt;x&lt;/b&gt;');
  });
  it('cannot be made to leak or forge its internal placeholders', () => {
    assert.equal(markdownToMrkdwn('a \uE0000\uE001 `b` **c**'), 'a 0 `b` *c*');
  });
});
