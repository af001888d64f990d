import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentUsage } from '../src/contract/agent-usage.ts';
import { testCluster } from '../dev/cluster/shared-cluster.ts';
import { startStack } from '../dev/stack/start-stack.ts';
import type { MessagesRequest, ScriptedReply } from '../dev/fakes/fake-anthropic-api.ts';
import { evalCases, LIMITED_CHANNEL } from './cases.ts';
import type { EvalCase } from './eval-case.ts';
import { createEvalWorld } from './eval-world.ts';
import { fakeModelReply } from './fake-model-policy.ts';
import { checkRubric, transcriptOf, type Grader } from './grade-case.ts';
import { costOf } from './prices.ts';
import { ALERT_CHANNEL, ALERTS_TOKEN, EVAL_APPROVER, runCase, type CaseRun } from './run-case.ts';

export type EvalModel =
  | { kind: 'fake'; policy?: (request: MessagesRequest) => ScriptedReply }
  | { kind: 'anthropic'; apiKey: string; baseURL?: string | undefined; model: string };

export interface EvalOptions {
  model: EvalModel;
  /** The model-graded check; cases with a criterion are graded when given. */
  grader?: Grader | undefined;
  /** Only these case ids (all when absent). */
  only?: string[];
  /** Longest wait for one answer. */
  timeoutMs?: number;
}

export interface CaseResult {
  id: string;
  title: string;
  pass: boolean;
  failures: string[];
  graded?: { pass: boolean; reason: string };
  usage: AgentUsage;
  /** US dollars, at the model's list price (for the fake model: as if it were the configured model). */
  cost: number | undefined;
  latencyMs: number;
  toolCalls: string[];
  run: CaseRun;
}

export interface EvalReport {
  model: string;
  fake: boolean;
  results: CaseResult[];
  passed: number;
  passRate: number;
}

/** Steps of the fake model scripted per case: more than any case needs (each request takes one). */
const FAKE_STEPS = 40;
/** The model whose prices the fake model's usage is costed at. */
const FAKE_PRICED_AS = 'claude-sonnet-4-6';

/**
 * Runs the eval: the whole product on loopback (gateway, queue, worker, MCP server, real Redis, the test
 * cluster with its seeded scenarios) and the model (the real one, or the fake agent), each case's turns
 * sent as Slack would send them, then its rubric checked against the answers, the audit stream and the
 * cluster, and optionally a model-graded check.
 */
export async function runEval({
  model,
  grader,
  only,
  timeoutMs = model.kind === 'fake' ? 20_000 : 180_000,
}: EvalOptions): Promise<EvalReport> {
  const cluster = await testCluster();
  const world = await createEvalWorld({ kubeconfigPath: cluster.kubeconfigPath });
  const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-eval-')), 'policy.yaml');
  writeFileSync(
    policy,
    [
      'channels:',
      '  default:',
      '    tier: write',
      `  "slack:T0AI4K8S:${LIMITED_CHANNEL}":`,
      '    namespaces: [shop]',
      '    tier: read',
      '',
    ].join('\n'),
  );
  // The stack points the worker at its fake model; a real run points it at Anthropic's API instead.
  const real: Record<string, string> =
    model.kind === 'anthropic'
      ? { ANTHROPIC_API_KEY: model.apiKey, ANTHROPIC_MODEL: model.model, ANTHROPIC_BASE_URL: model.baseURL ?? 'https://api.anthropic.com' }
      : {};
  const stack = await startStack({
    env: {
      MCP_ENABLE_WRITE_TOOLS: 'true',
      APPROVERS: EVAL_APPROVER,
      AI4K8S_POLICY: policy,
      ALERTS_TOKEN,
      ALERTS_SLACK_CHANNEL: ALERT_CHANNEL,
      ...real,
    },
  });
  const modelName = model.kind === 'anthropic' ? model.model : FAKE_PRICED_AS;
  const results: CaseResult[] = [];
  try {
    const cases = evalCases(world).filter((c) => only === undefined || only.includes(c.id));
    for (const [index, evalCase] of cases.entries()) {
      if (model.kind === 'fake') {
        stack.model.reset();
        stack.model.script(...Array.from({ length: FAKE_STEPS }, () => model.policy ?? fakeModelReply));
      }
      const channel = evalCase.channel ?? `C0EVAL${String(index).padStart(4, '0')}`;
      const run = await runCase({ stack, evalCase, channel, timeoutMs });
      results.push(await judge(evalCase, run, { grader, modelName }));
    }
  } finally {
    await stack.stop();
  }
  const passed = results.filter((r) => r.pass).length;
  return {
    model: model.kind === 'fake' ? 'fake model' : model.model,
    fake: model.kind === 'fake',
    results,
    passed,
    passRate: results.length === 0 ? 0 : passed / results.length,
  };
}

async function judge(
  evalCase: EvalCase,
  run: CaseRun,
  { grader, modelName }: { grader: Grader | undefined; modelName: string },
): Promise<CaseResult> {
  const failures = checkRubric(evalCase, run);
  let graded: CaseResult['graded'];
  if (grader !== undefined && evalCase.graded !== undefined && run.error === undefined) {
    graded = await grader
      .grade(evalCase.graded, transcriptOf(run))
      .catch((error: unknown) => ({ pass: false, reason: `the grader failed: ${error instanceof Error ? error.message : String(error)}` }));
    if (!graded.pass) failures.push(`model-graded: FAIL: ${graded.reason}`);
  }
  return {
    id: evalCase.id,
    title: evalCase.title,
    pass: failures.length === 0,
    failures,
    ...(graded === undefined ? {} : { graded }),
    usage: run.usage,
    cost: costOf(modelName, run.usage),
    latencyMs: run.latencyMs,
    toolCalls: run.toolCalls.map((c) => `${c.tool}${c.result === 'error' ? '!' : ''}`),
    run,
  };
}
