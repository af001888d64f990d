import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { estimateTokens } from '../../src/kube/estimate-tokens.ts';
import { SECRET_CANARY } from '../../dev/cluster/fixture-names.ts';
import { SCENARIOS } from '../../dev/cluster/scenarios/index.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { diagnosisVerdict } from '../../dev/support/diagnosis-verdict.ts';

const BUDGET = 2000;

/** Every value of every Secret the scenarios seed: none may appear in what diagnose returns. */
const secretValues = SCENARIOS.flatMap((s) =>
  s.objects.filter((o) => o.kind === 'Secret').flatMap((o) => Object.values((o.stringData ?? {}) as Record<string, string>)),
).filter((v) => v.length >= 8);

/**
 * The taxonomy, end to end over MCP: for each seeded failure class, one diagnose call on what a user
 * would complain about names the class's root cause in its first line, states the facts that prove it,
 * and stays within the output budget.
 */
describe('diagnose finds the root cause of each seeded failure class', () => {
  let mcp: TestMcpServer;
  let client: Client;
  const outputs: string[] = [];
  const call = recordingCall(() => client, outputs);
  const tokens: number[] = [];

  before(async () => {
    mcp = await startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath, config: { MCP_OUTPUT_TOKENS: BUDGET } });
    client = await mcp.connect();
  });
  after(async () => {
    await mcp.stop();
    if (tokens.length > 0) {
      const sorted = [...tokens].sort((a, b) => a - b);
      process.stdout.write(
        `# diagnose answer tokens over ${sorted.length} scenarios: min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)}\n`,
      );
    }
  });

  for (const scenario of SCENARIOS) {
    const { kind, namespace, name } = scenario.subject;
    it(`${scenario.rule}: ${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`, async () => {
      const r = await call('diagnose', scenario.subject);
      assert.equal(r.isError, undefined, r.text);
      const verdict = diagnosisVerdict(r.text);
      const rootCause = r.structuredContent?.rootCause as { rule?: string } | undefined;
      assert.equal(rootCause?.rule, scenario.rule, `verdict: ${verdict}`);
      for (const pattern of scenario.verdict) assert.match(verdict, pattern);
      for (const pattern of scenario.facts) assert.match(r.text, pattern);
      assert.equal(r.structuredContent?.healthy, false);
      const used = estimateTokens(r.text);
      assert.ok(used <= BUDGET, `${used} tokens`);
      assert.equal(r.structuredContent?.outputCut, undefined, 'diagnose sized its own answer: runTool had nothing to cut');
      tokens.push(used);
    });
  }

  it("no answer carries a Secret value (the scenarios' or the fixtures' canary)", () => {
    assert.ok(outputs.length >= SCENARIOS.length * 2);
    for (const output of outputs) {
      assert.ok(!output.includes(SECRET_CANARY));
      for (const value of secretValues) assert.ok(!output.includes(value), `a Secret value leaked: ${value}`);
    }
  });
});
