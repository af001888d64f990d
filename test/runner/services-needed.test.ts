import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SERVICE_MODULES } from './service-modules.ts';
import { servicesNeeded } from './services-needed.ts';

const ROOT = join(import.meta.dirname, '../..');

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path).flatMap((name) => testFiles(join(path, name)));
}

describe('servicesNeeded: which lane a test file runs in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-lanes-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string): string => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  const serviceModules = { 'test/lib/redis.ts': 'redis', 'test/kube/start.ts': 'cluster' } as const;
  write('test/lib/redis.ts', 'export const url = 1;\n');
  write('test/kube/start.ts', "import { url } from '../lib/redis.ts';\nexport const cluster = url;\n");
  write('test/lib/pure.ts', "import { parse } from '../../src/parse.ts';\nexport const pure = parse;\n");
  write('src/parse.ts', "import { url } from '../test/lib/redis.ts';\nexport const parse = url;\n");
  write('test/e2e/helper.ts', "export {\n  cluster,\n} from '../kube/start.ts';\nimport './cycle.ts';\n");
  write('test/e2e/cycle.ts', "import './helper.ts';\n");

  it('follows imports through helpers (multi-line, re-exports, cycles) to every service module reached', () => {
    const file = write('test/e2e/a.test.ts', "import { cluster } from './helper.ts';\nvoid cluster;\n");
    assert.deepEqual(servicesNeeded({ files: [file], root: dir, serviceModules }).get(file), {
      lane: 'service',
      needs: new Set(['cluster', 'redis']),
    });
  });

  it('sees dynamic imports and modules started from new URL(…, import.meta.url)', () => {
    const dynamic = write('test/x/dynamic.test.ts', "const { url } = await import('../lib/redis.ts');\n");
    const worker = write('test/x/worker.test.ts', "new Worker(new URL('../kube/start.ts', import.meta.url));\n");
    const needs = servicesNeeded({ files: [dynamic, worker], root: dir, serviceModules });
    assert.deepEqual(needs.get(dynamic)?.needs, new Set(['redis']));
    assert.deepEqual(needs.get(worker)?.needs, new Set(['cluster', 'redis']));
  });

  it('puts a file that reaches no service module in the unit lane, without following production code', () => {
    const file = write('test/x/pure.test.ts', "import { pure } from '../lib/pure.ts';\nimport { parse } from '../../src/parse.ts';\n");
    assert.deepEqual(servicesNeeded({ files: [file], root: dir, serviceModules }).get(file), { lane: 'unit', needs: new Set() });
  });

  it('puts a file that declares `// test-lane: service` in the service lane, needing nothing', () => {
    const file = write('test/x/slow.test.ts', "// test-lane: service (minutes of CPU)\nimport { pure } from '../lib/pure.ts';\n");
    const mention = write('test/x/mention.test.ts', "const text = 'a comment // test-lane: service';\n");
    const lanes = servicesNeeded({ files: [file, mention], root: dir, serviceModules });
    assert.deepEqual(lanes.get(file), { lane: 'service', needs: new Set() });
    assert.equal(lanes.get(mention)?.lane, 'unit');
  });

  it('honours a declaration, in the file or a helper, and refuses an unknown service', () => {
    write('test/lib/spawns-roles.ts', '// test-needs: redis, cluster\nexport const roles = 1;\n');
    const declared = write('test/x/declared.test.ts', "import { roles } from '../lib/spawns-roles.ts';\n");
    const own = write('test/x/own.test.ts', '// test-needs: chromium\n');
    const needs = servicesNeeded({ files: [declared, own], root: dir, serviceModules });
    assert.deepEqual(needs.get(declared), { lane: 'service', needs: new Set(['redis', 'cluster']) });
    assert.deepEqual(needs.get(own), { lane: 'service', needs: new Set(['chromium']) });
    const typo = write('test/x/typo.test.ts', '// test-needs: redsi\n');
    assert.throws(() => servicesNeeded({ files: [typo], root: dir, serviceModules }), /test\/x\/typo\.test\.ts: unknown service "redsi"/);
  });

  it('on this repository: every service module exists, and both lanes hold the files they should', () => {
    for (const path of Object.keys(SERVICE_MODULES))
      assert.ok(statSync(join(ROOT, path)).isFile(), `${path} is listed in SERVICE_MODULES but missing`);
    const files = testFiles(join(ROOT, 'test'));
    const needs = servicesNeeded({ files, root: ROOT });
    const of = (path: string) => [...(needs.get(join(ROOT, path))?.needs ?? ['(not a test file)'])].sort();
    assert.deepEqual(of('test/chat/split-message.test.ts'), []);
    assert.deepEqual(of('test/runner/services-needed.test.ts'), []);
    assert.deepEqual(of('test/queue/chat-queue.test.ts'), ['redis']);
    assert.deepEqual(of('test/e2e/slack-events.test.ts'), ['cluster', 'redis']);
    assert.deepEqual(of('test/eval/eval-harness.test.ts'), ['cluster', 'redis'], 'reached through eval/run-eval.ts');
    assert.ok(of('test/e2e/console.test.ts').includes('chromium'));
    assert.ok(of('test/deploy/grafana-dashboard.test.ts').includes('monitoring'));
    assert.deepEqual(
      needs.get(join(ROOT, 'test/chat/hostile-input-cost.test.ts')),
      { lane: 'service', needs: new Set() },
      'declared: minutes of CPU',
    );
    const unit = files.filter((file) => needs.get(file)?.lane === 'unit').length;
    assert.ok(unit >= 60 && files.length - unit >= 60, `${unit} unit-lane and ${files.length - unit} service-lane files`);
  });
});
