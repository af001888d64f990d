import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { clipText } from '../../src/kube/clip-text.ts';
import type { KubeClient } from '../../src/kube/create-kube-client.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { own, untrusted } from '../../src/mcp/result-parts.ts';
import { runTool, windowChars } from '../../src/mcp/run-tool.ts';
import { READ_ONLY, type ToolDefinition, type ToolResult } from '../../src/mcp/tool-definition.ts';
import { keepNewest } from '../../src/mcp/toolsets/core/read-pod-logs.ts';

const alnum = (n: number): string => Array.from({ length: n }, (_, i) => 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz'[(i * 7 + 3) % 33]).join('');
const SECRET = alnum(36);
/** Credentials whose secret part is SECRET, each recognisable only whole (by prefix, key or length). */
const SHAPES: [string, string][] = [
  ['github token', `ghp_${SECRET}`],
  ['key=value', `password=${SECRET}`],
  ['JSON key', `"db_password":"${SECRET}"`],
  ['bearer token', `Bearer ${SECRET}`],
  ['URL userinfo', `postgres://app:${SECRET}@db:5432/app`],
  ['anthropic key', `sk-ant-api03-${SECRET}`],
];

/** Any 6 characters in a row of the secret: a half-shown credential is still a leak. */
function leaks(output: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 6 <= SECRET.length; i++) if (output.includes(SECRET.slice(i, i + 6))) found.push(SECRET.slice(i, i + 6));
  return found;
}

// Never called: the tools below return text without touching the cluster.
const noKube = {} as KubeClient;
const tool = (result: () => ToolResult): ToolDefinition => ({
  name: 'text_echo',
  title: 'echo',
  description: 'returns fixed text',
  inputSchema: {},
  annotations: READ_ONLY,
  handler: () => Promise.resolve(result()),
});
const textOf = (r: CallToolResult): string => r.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');

describe('a credential straddling a cut is never half-shown', () => {
  const budgetTokens = 200;
  const window = windowChars(budgetTokens);

  for (const [shape, credential] of SHAPES) {
    it(`runTool's window, ${shape}, at every offset across the cut (one long line and many lines)`, async () => {
      for (let offset = -credential.length - 2; offset <= 2; offset++) {
        const at = window + offset;
        // One long line: the cut falls inside it, at a token boundary.
        const line = `${'word '.repeat(Math.ceil(at / 5)).slice(0, at)}${credential} ${'tail '.repeat(200)}`;
        // Many lines: the cut falls at a line boundary.
        const lines = `${'x'.repeat(39)}\n`.repeat(Math.ceil(at / 40)).slice(0, at) + `${credential}\n${'more\n'.repeat(50)}`;
        for (const text of [line, lines]) {
          const result = await runTool({
            tool: tool(() => ({ text: [own('head'), untrusted('logs', text)] })),
            args: {},
            context: { kube: noKube, outputTokens: budgetTokens },
          });
          assert.deepEqual(leaks(textOf(result)), [], `${shape} at offset ${offset}`);
        }
      }
    });

    it(`keepNewest (a log tail cut inside one long line), ${shape}, at every offset across the cut`, () => {
      const maxBytes = 1024;
      for (let offset = -2; offset <= credential.length + 2; offset++) {
        // The kept tail starts `maxBytes` from the end: put the credential across that point.
        const after = 'z'.repeat(Math.max(0, maxBytes - offset));
        const text = `${'lead '.repeat(400)}${credential}${after}`;
        const { kept } = keepNewest(text, maxBytes);
        assert.deepEqual(leaks(kept), [], `${shape} at offset ${offset}: ${kept.slice(0, 80)}`);
      }
    });

    it(`clipText, ${shape}, at every offset across the cut`, () => {
      for (let cut = 10; cut <= 10 + credential.length + 2; cut++) {
        const clipped = clipText(`some text ${credential} and more words after it`, cut);
        // What is kept of the credential is either all of it (it ended before the cut) or none of it.
        assert.ok(clipped.includes(SECRET) || leaks(clipped).length === 0, `${shape} cut at ${cut}: ${clipped}`);
      }
    });
  }
});

describe('bounded work: runTool reads a window of the result, not all of it', () => {
  it('a 16 MiB answer costs what its window costs, and the hint counts every line left out', async () => {
    const lines = Math.floor((16 * 1024 * 1024) / 12);
    const huge = 'password: x\n'.repeat(lines);
    const started = process.cpuUsage();
    const result = await runTool({
      tool: tool(() => ({ text: [own('data:'), untrusted('a ConfigMap', huge)] })),
      args: {},
      context: { kube: noKube, outputTokens: 2000 },
    });
    const { user, system } = process.cpuUsage(started);
    const ms = (user + system) / 1000;
    // Building the 16 MiB string is the caller's; redacting, fencing and fitting it whole took seconds.
    assert.ok(ms < 400, `${ms.toFixed(0)} ms`);
    const text = textOf(result);
    assert.match(readUntrustedFences(text)[0] ?? '', /^password: \[redacted: credential\]$/m);
    const omitted = Number(/(\d+) more lines left out/.exec(text)?.[1]);
    const shown = (readUntrustedFences(text)[0] ?? '').split('\n').length;
    // Every line of the data is either shown or counted as left out.
    assert.equal(shown + omitted, lines);
  });
});
