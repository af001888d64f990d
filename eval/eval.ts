/**
 * `npm run eval [-- --fake-model] [--no-grade] [case-id…]`: asks the eval's questions end to end
 * (gateway → queue → worker → model → MCP server → test cluster) and prints, per case, whether its
 * rubric held, the model-graded verdict, tokens, cost and latency; writes eval/results/<mode>.json.
 * With ANTHROPIC_API_KEY it uses the real model (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL if set) and grades
 * with it; without one it says so and stops, unless --fake-model asks for the scripted fake agent.
 * Exits 1 when a case failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from '../dev/cluster/test-cluster.ts';
import type { EvalModel } from './run-eval.ts';

const DEFAULT_MODEL = 'claude-sonnet-4-6';

async function main(args: string[]): Promise<number> {
  const fake = args.includes('--fake-model');
  const grade = !args.includes('--no-grade');
  const only = args.filter((a) => !a.startsWith('--'));
  // A developer tool, like bench: it reads its own settings; the product's roles get theirs through src/config.
  const env = process.env;
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!fake && (apiKey === undefined || apiKey === '')) {
    process.stdout.write(
      'eval skipped: ANTHROPIC_API_KEY is not set, so there is no model to evaluate.\n' +
        'Set it to run the eval against the real model, or run `npm run eval -- --fake-model` to exercise the harness with the scripted fake model.\n',
    );
    return 0;
  }
  // Loaded only when there is something to run: the whole product comes with them.
  const [{ startRedisServer }, { formatReport }, { modelGrader }, { runEval }] = await Promise.all([
    import('../dev/services/redis-server.ts'),
    import('./format-report.ts'),
    import('./grade-case.ts'),
    import('./run-eval.ts'),
  ]);
  const modelName = env.ANTHROPIC_MODEL ?? DEFAULT_MODEL;
  const model: EvalModel =
    fake || apiKey === undefined ? { kind: 'fake' } : { kind: 'anthropic', apiKey, baseURL: env.ANTHROPIC_BASE_URL, model: modelName };
  const grader =
    model.kind === 'anthropic' && grade ? modelGrader({ apiKey: model.apiKey, baseURL: model.baseURL, model: modelName }) : undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    if (env.AI4K8S_TEST_REDIS_URL === undefined) {
      const redis = await startRedisServer();
      stops.push(() => redis.stop());
      env.AI4K8S_TEST_REDIS_URL = redis.url;
    }
    if (env.AI4K8S_TEST_CLUSTER === undefined) {
      const { startTestCluster } = await import('../dev/cluster/start-test-cluster.ts');
      const cluster: TestCluster = await startTestCluster();
      stops.push(() => cluster.stop());
      const { kubeconfigPath, server, tokens } = cluster;
      env.AI4K8S_TEST_CLUSTER = JSON.stringify({ kubeconfigPath, server, tokens });
    }
    const report = await runEval({ model, grader, ...(only.length > 0 ? { only } : {}) });
    process.stdout.write(`${formatReport(report)}\n`);
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${report.fake ? 'fake-model' : 'real-model'}.json`),
      `${JSON.stringify(report, (key, value: unknown) => (value instanceof RegExp ? String(value) : value), 2)}\n`,
    );
    return report.passed === report.results.length ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
