import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownToMrkdwn } from '../../adapters/slack/reply/markdown-to-mrkdwn.ts';
import { SLACK_MESSAGE_CHARS, splitMessage } from '../../src/chat/split-message.ts';

/** Where each chunk's own text lies in the original, having removed the fences splitMessage added. */
function locateChunks(text: string, chunks: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  let pos = 0;
  chunks.forEach((chunk, index) => {
    const span = locateChunk(text, pos, chunk);
    assert.ok(
      span,
      `chunk ${index} is not the text at ${pos}: ${JSON.stringify(chunk)}\nnext: ${JSON.stringify(text.slice(pos, pos + 80))}`,
    );
    spans.push(span);
    pos = span[1];
  });
  assert.equal(text.slice(pos).trim(), '', 'text left after the last chunk');
  return spans;
}

function locateChunk(text: string, pos: number, chunk: string): [number, number] | undefined {
  const whitespaceEnd = pos + (/^\s*/.exec(text.slice(pos))?.[0].length ?? 0);
  const firstLineEnd = chunk.indexOf('\n');
  const reopened = /^[ \t]*(`{3,}|~{3,})/.test(chunk) && firstLineEnd > 0 ? [chunk.slice(firstLineEnd + 1)] : [];
  for (const opened of [chunk, ...reopened]) {
    for (const body of [opened, opened.replace(/\n[ \t]*(`{3,}|~{3,})$/, '')]) {
      for (let start = pos; start <= whitespaceEnd; start += 1) {
        if (text.startsWith(body, start)) return [start, start + body.length];
      }
    }
  }
  return undefined;
}

/** Fences open at the end of a chunk: every chunk must close what it opens. */
function openFences(chunk: string): number {
  return chunk.split('\n').filter((line) => /^[ \t]*(```|~~~)/.test(line)).length % 2;
}

function assertValidSplit(text: string, maxChars: number, chunks: readonly string[]): [number, number][] {
  chunks.forEach((chunk, index) => {
    const where = `chunk ${index} of ${chunks.length} (maxChars ${maxChars}): ${JSON.stringify(chunk)}`;
    assert.ok(chunk.length <= maxChars, `too long, ${chunk.length}: ${where}`);
    assert.notEqual(chunk.trim(), '', `blank: ${where}`);
    assert.equal(openFences(chunk), 0, `unbalanced fences: ${where}`);
    assert.doesNotMatch(chunk, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `split surrogate pair: ${where}`);
  });
  return locateChunks(text, chunks);
}

/** Small deterministic PRNG (mulberry32) so that a failing seed can be replayed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    assert.ok(item !== undefined);
    return item;
  }
}

const WORDS = [
  'the',
  'pod',
  'checkout-7f9c4d-x2x9q',
  'is',
  'in',
  '*CrashLoopBackOff*',
  'because',
  'its',
  'memory',
  'limit',
  'of',
  '128Mi',
  'is',
  'too',
  'low;',
  'node',
  'worker-1',
  'reports',
  '_MemoryPressure_',
  '🚀',
  '✅',
  '`kubectl get pods -n shop`',
  '<https://kubernetes.io/docs/concepts/|the pod docs>',
  '&amp;',
  'restarts.',
  'éléphant',
  '<@U024BE7LH>',
];

function sentence(g: Generator, maxWords: number): string {
  return Array.from({ length: g.int(1, maxWords) }, () => g.pick(WORDS)).join(' ');
}

function codeBlock(g: Generator): string {
  const lines = Array.from({ length: g.int(1, 14) }, () => {
    if (g.next() < 0.15) return '';
    return (
      ' '.repeat(2 * g.int(0, 3)) +
      g.pick(['image: shop/checkout:1.4', 'memory: "128Mi"', '- name: app', 'kubectl -n shop describe pod checkout', 'x: 1'])
    );
  });
  return [g.pick(['```yaml', '```bash', '```']), ...lines, '```'].join('\n');
}

function longToken(g: Generator): string {
  return Array.from({ length: g.int(20, 400) }, () => g.pick(['a', 'Z', '9', '/', '🙂', '-'])).join('');
}

function answer(g: Generator, proseOnly: boolean): string {
  const blocks = Array.from({ length: g.int(1, 12) }, () => {
    const kind = proseOnly ? g.int(0, 1) : g.int(0, 4);
    if (kind === 0) return Array.from({ length: g.int(1, 4) }, () => sentence(g, 30)).join('\n');
    if (kind === 1) return Array.from({ length: g.int(1, 6) }, () => `${' '.repeat(2 * g.int(0, 2))}• ${sentence(g, 12)}`).join('\n');
    if (kind === 2) return codeBlock(g);
    if (kind === 3) return longToken(g);
    return `${sentence(g, 5)} ${longToken(g)} ${sentence(g, 5)}`;
  });
  return blocks.join(g.pick(['\n\n', '\n', '\n\n\n']));
}

describe('splitMessage', () => {
  it('is sized for readable Slack messages, well under the 40,000-character limit', () => {
    assert.equal(SLACK_MESSAGE_CHARS, 3500);
  });

  it('returns a short answer as one chunk, and nothing for a blank one', () => {
    assert.deepEqual(splitMessage('*Pods*: all 12 running.\n', 100), ['*Pods*: all 12 running.']);
    assert.deepEqual(splitMessage(' \n\n\t ', 100), []);
  });

  it('refuses a limit too small to hold a re-opened code block', () => {
    assert.throws(() => splitMessage('x', 15), RangeError);
    assert.throws(() => splitMessage('x', 100.5), RangeError);
  });

  it('cuts at paragraph boundaries before line boundaries', () => {
    const text = [
      '*Summary*',
      'checkout is crash-looping.',
      '',
      '*Cause*',
      'memory limit too low.',
      '',
      '*Fix*',
      'raise it to 512Mi.',
    ].join('\n');
    assert.deepEqual(splitMessage(text, 70), [
      '*Summary*\ncheckout is crash-looping.\n\n*Cause*\nmemory limit too low.',
      '*Fix*\nraise it to 512Mi.',
    ]);
  });

  it('cuts at a line boundary when no paragraph boundary fills half the message', () => {
    const text = ['Pods:', '', '• checkout-7f9c4d-x2x9q CrashLoopBackOff', '• cart-5d8b6-qq7lm Running', '• web-0 Running'].join('\n');
    assert.deepEqual(splitMessage(text, 75), [
      'Pods:\n\n• checkout-7f9c4d-x2x9q CrashLoopBackOff\n• cart-5d8b6-qq7lm Running',
      '• web-0 Running',
    ]);
  });

  it('cuts a long line at a space, never inside a word', () => {
    const text = 'The readiness probe on port 8080 fails because the application binds to localhost only.';
    const chunks = splitMessage(text, 30);
    assert.deepEqual(chunks, ['The readiness probe on port', '8080 fails because the', 'application binds to localhost', 'only.']);
  });

  it('cuts a token longer than a message anywhere, keeping emoji whole', () => {
    const token = `${'🙂'.repeat(30)}${'A'.repeat(50)}`;
    const chunks = splitMessage(`Secret: ${token}`, 41);
    assertValidSplit(`Secret: ${token}`, 41, chunks);
    assert.equal(chunks.join('').replace('Secret:', '').length, token.length);
    assert.deepEqual(chunks.slice(0, 1), ['Secret:']);
  });

  it('closes a code block it cuts and re-opens it, language tag and indentation kept', () => {
    const code = [
      '```yaml',
      'spec:',
      '  containers:',
      '    - name: app',
      '      resources:',
      '        limits:',
      '          memory: 512Mi',
      '```',
    ].join('\n');
    assert.deepEqual(splitMessage(code, 70), [
      '```yaml\nspec:\n  containers:\n    - name: app\n      resources:\n```',
      '```yaml\n        limits:\n          memory: 512Mi\n```',
    ]);
  });

  it('cuts before a code block rather than inside it', () => {
    const text = ['The limit is set here, in the deployment spec:', '```yaml', 'limits:', '  memory: 128Mi', '```'].join('\n');
    assert.deepEqual(splitMessage(text, 60), ['The limit is set here, in the deployment spec:', '```yaml\nlimits:\n  memory: 128Mi\n```']);
  });

  it('never leaves a code block empty by cutting right after its opening fence', () => {
    const text = `${'word '.repeat(8)}\n\`\`\`\n${'line\n'.repeat(6)}\`\`\``;
    for (const chunk of splitMessage(text, 48)) assert.doesNotMatch(chunk, /```\n```/);
  });

  it('does not cut at a space inside a Slack link or inline code', () => {
    const link = 'Start here, then read <https://k8s.io/docs/|the pod lifecycle page> later.';
    assert.deepEqual(splitMessage(link, 60), ['Start here, then read', '<https://k8s.io/docs/|the pod lifecycle page> later.']);
    const code = 'Read the events and run `kubectl get events --sort-by=.lastTimestamp -A` now please';
    assert.deepEqual(splitMessage(code, 70), ['Read the events and run', '`kubectl get events --sort-by=.lastTimestamp -A` now please']);
  });

  it('splits a long converted diagnosis into balanced Slack messages', () => {
    const section = (n: number) =>
      [
        `## Pod ${n}`,
        `The pod **checkout-${n}** restarted *${n} times* & is OOMKilled.`,
        '| Pod | Status | Restarts |',
        '|---|---|---:|',
        ...Array.from({ length: 20 }, (_, k) => `| checkout-${n}-${k} | CrashLoopBackOff | ${k} |`),
        '```yaml',
        ...Array.from({ length: 30 }, (_, k) => `  container-${k}:\n    memory: ${k * 64}Mi`),
        '```',
      ].join('\n');
    const mrkdwn = markdownToMrkdwn(Array.from({ length: 8 }, (_, n) => section(n)).join('\n\n'));
    const chunks = splitMessage(mrkdwn, SLACK_MESSAGE_CHARS);
    assert.ok(mrkdwn.length > 3 * SLACK_MESSAGE_CHARS);
    assert.ok(chunks.length >= 4);
    assertValidSplit(mrkdwn, SLACK_MESSAGE_CHARS, chunks);
    // Fills messages: every chunk but the last is at least half full.
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.length >= SLACK_MESSAGE_CHARS / 2, `${chunk.length}`);
  });
});

describe('splitMessage over generated answers', () => {
  it('keeps every chunk within the limit, non-blank, fenced, and the text intact (500 seeds)', () => {
    for (let seed = 1; seed <= 500; seed += 1) {
      const g = new Generator(seed);
      const text = answer(g, false);
      const maxChars = g.next() < 0.8 ? g.int(16, 200) : g.int(200, 2000);
      assert.doesNotThrow(() => assertValidSplit(text, maxChars, splitMessage(text, maxChars)), `seed ${seed}`);
    }
  });

  it('cuts prose only at whitespace when every word fits (300 seeds)', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const g = new Generator(seed);
      const text = answer(g, true);
      const maxChars = g.int(60, 400);
      const spans = assertValidSplit(text, maxChars, splitMessage(text, maxChars));
      for (const [start, end] of spans) {
        assert.match(text[start - 1] ?? ' ', /\s/, `seed ${seed}: chunk starts inside a word at ${start}`);
        assert.match(text[end] ?? ' ', /\s/, `seed ${seed}: chunk ends inside a word at ${end}`);
      }
    }
  });

  it('is deterministic', () => {
    const text = answer(new Generator(7), false);
    assert.deepEqual(splitMessage(text, 100), splitMessage(text, 100));
  });
});
