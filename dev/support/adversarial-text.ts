/**
 * The adversarial text inputs and the MCP-side functions that read untrusted text, shared by
 * test/mcp/adversarial-input.test.ts (each must stay under a bar) and bench/redaction-cost.ts (ms per MiB
 * of each function's worst input against a floor).
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/create-logger.ts';
import { clipText, tokenSafeEnd } from '../../src/kube/clip-text.ts';
import { estimateTokens } from '../../src/kube/estimate-tokens.ts';
import { fenceUntrusted, readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { fitOutputBudget } from '../../src/mcp/fit-output-budget.ts';
import { formatTable } from '../../src/mcp/format-table.ts';
import { isCredentialName } from '../../src/redact/is-credential-name.ts';
import { keepNewestLines } from '../../src/mcp/keep-newest-lines.ts';
import { redactCliPasswords } from '../../src/redact/redact-cli-passwords.ts';
import { redactCredentialShapes } from '../../src/redact/redact-credential-shapes.ts';
import { redactKeyValues } from '../../src/redact/redact-key-values.ts';
import { redactPrivateKeys } from '../../src/redact/redact-private-keys.ts';
import { redactSecretBlocks } from '../../src/redact/redact-secret-blocks.ts';
import { redactStructured } from '../../src/redact/redact-structured.ts';
import { redactText } from '../../src/redact/redact-text.ts';
import { redactToolResult } from '../../src/mcp/redact-tool-result.ts';
import { renderResultParts } from '../../src/mcp/render-result-parts.ts';
import { own, untrusted } from '../../src/mcp/result-parts.ts';
import { windowChars } from '../../src/mcp/run-tool.ts';
import { windowResultParts } from '../../src/mcp/window-result-parts.ts';
import { redactUrlUserinfo } from '../../src/redact/redact-url-userinfo.ts';
import { untrustedForPeople } from '../../src/chat/untrusted-for-people.ts';
import { parseKubectlCommand } from '../../src/contract/kubectl/parse-kubectl-command.ts';
import { splitCommandLine } from '../../src/contract/kubectl/split-command-line.ts';
import { keepNewest } from '../../src/mcp/toolsets/core/read-pod-logs.ts';

/** The bar every function is held to: well under a second for the largest input any stage can be handed (a 1 MiB object or log). */
export const MS_PER_MIB_BAR = 300;

/** Pathological shapes, each built to `size` characters: the inputs an attacker would write into a cluster object or log. */
export const ADVERSARIAL_INPUTS: Record<string, (size: number) => string> = {
  backticks: (n) => '`'.repeat(n),
  'backtick runs': (n) => '`a'.repeat(n / 2),
  stars: (n) => '*'.repeat(n),
  underscores: (n) => '_'.repeat(n),
  tildes: (n) => '~'.repeat(n),
  'angle brackets': (n) => '<'.repeat(n),
  'a.a.a': (n) => 'a.'.repeat(n / 2),
  'a:a:a': (n) => 'a:'.repeat(n / 2),
  '://a:a:a': (n) => `://${'a:'.repeat(n / 2 - 2)}`,
  'scheme://a:': (n) => 'x://a:'.repeat(n / 6),
  'key: lines': (n) => 'key: \n'.repeat(n / 6),
  'password: lines': (n) => 'password: x\n'.repeat(n / 12),
  'password= repeated': (n) => 'password='.repeat(n / 9),
  'password=x words': (n) => 'password=x '.repeat(n / 11),
  'password: flow on one line': (n) => `{${'password: x, '.repeat(n / 14)}}`,
  'env name then spaces': (n) => `name: DB_PASSWORD${' '.repeat(n - 20)}x`,
  'flags as a list': (n) => '- --db-password\n'.repeat(n / 16),
  'nested brackets': (n) => `${'['.repeat(n / 2)}${']'.repeat(n / 2)}`,
  'nested braces': (n) => `${'{"a":'.repeat(n / 5)}`,
  'one long line': (n) => 'x'.repeat(n),
  'only newlines': (n) => '\n'.repeat(n),
  'spaces then x': (n) => `${' '.repeat(n - 1)}x`,
  'BEGIN repeated': (n) => '-----BEGIN PRIVATE KEY-----\n'.repeat(n / 28),
  'BEGIN on one line': (n) => '-----BEGIN RSA PRIVATE KEY----- '.repeat(n / 32),
  'base64 run': (n) => 'QUFB'.repeat(n / 4),
  'base64 of credentials': (n) =>
    Buffer.from('password=hunter2 '.repeat(n / 24))
      .toString('base64')
      .slice(0, n),
  'base64 lines': (n) => `${'QUFB'.repeat(16)}\n`.repeat(n / 65),
  'JSON escapes': (n) => '\\"'.repeat(n / 2),
  'JSON data of a Secret': (n) => `{"kind":"Secret","data":{${'"\\"'.repeat(n / 3)}`,
  'escaped JSON keys': (n) => '\\"password\\":\\"'.repeat(n / 16),
  'Secret YAML with a.a.a': (n) => `kind: Secret\ndata:\n  k: ${'a.'.repeat(n / 2 - 12)}`,
  'Secret YAML lines': (n) => `kind: Secret\ndata:\n${'  a.a.a.a.a.a.a.a.a\n'.repeat(n / 20)}`,
  'eyJ-': (n) => 'eyJ-'.repeat(n / 4),
  'Bearer words': (n) => 'Bearer '.repeat(n / 7),
  'ghp_ then underscore': (n) => `ghp_${'a'.repeat(n - 5)}_`,
  'mixed letters and digits': (n) => 'a1'.repeat(n / 2),
  'mysql -p': (n) => 'mysql -p '.repeat(n / 9),
  quotes: (n) => `"${'a"'.repeat(n / 2 - 1)}`,
  'fence openings': (n) => '````untrusted-cluster-data-0123456789ab\n'.repeat(n / 40),
};

/** A logger writing nowhere: its cost is the redaction of each line. */
const logger = createLogger({
  destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  secrets: ['configured-secret-value'],
});

/** Every function that reads untrusted text on the MCP side, as it is called there. */
export const TEXT_FUNCTIONS: Record<string, (input: string) => unknown> = {
  redactText,
  redactPrivateKeys,
  redactCredentialShapes,
  redactUrlUserinfo,
  redactKeyValues,
  redactSecretBlocks,
  redactCliPasswords,
  redactStructured: (input) =>
    redactStructured({ kind: 'ConfigMap', data: { value: input }, env: [{ name: 'DB_PASSWORD', value: input }] }),
  fenceUntrusted: (input) => fenceUntrusted({ source: 'logs', text: input }),
  // The input once, fenced as a tool result carries it (the size a MiB bar is for).
  untrustedForPeople: (input) => untrustedForPeople(fenceUntrusted({ source: 'logs', text: input })),
  readUntrustedFences: (input) => readUntrustedFences(`${input}\n${fenceUntrusted({ source: 'logs', text: input })}`),
  windowResultParts: (input) => windowResultParts({ parts: [own('head'), untrusted('logs', input)], maxChars: windowChars(2000) }),
  renderResultParts: (input) => renderResultParts([own('head'), untrusted('logs', input), untrusted('events', input)]),
  redactToolResult: (input) =>
    redactToolResult({ text: [untrusted('logs', input)], structuredContent: { env: [{ name: 'API_TOKEN', value: input.slice(0, 64) }] } }),
  fitOutputBudget: (input) => fitOutputBudget({ text: input, budgetTokens: 2000, narrowWith: 'namespace' }),
  keepNewestLines: (input) => keepNewestLines(input, 1700),
  keepNewest: (input) => keepNewest(input, 16_384),
  estimateTokens,
  formatTable: (input) => formatTable([{ a: input }, { a: 'x' }], [{ header: 'a', value: (r) => r.a }]),
  isCredentialName,
  clipText: (input) => clipText(input, input.length - 7),
  tokenSafeEnd: (input) => tokenSafeEnd(input, input.length >> 1),
  splitCommandLine,
  parseKubectlCommand,
  'logger (message and field)': (input) => logger.info({ output: input }, input),
};

/**
 * Milliseconds of CPU this process spent running `run`: unlike wall time, not inflated when other processes
 * share the machine's cores (tests and benchmarks run beside other suites).
 */
export function cpuMs(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}
