import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { relativeImports } from './relative-imports.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Who may import the test helpers. dev/ holds the fakes, service starters and the stack that tests, the demo, the
 * benchmarks and the eval share; test/ holds only tests and helpers private to them. Production code imports neither.
 */
const RULES: readonly { folders: readonly string[]; never: readonly string[] }[] = [
  { folders: ['src/', 'adapters/'], never: ['test/', 'dev/', 'bench/', 'eval/', 'scripts/'] },
  { folders: ['dev/', 'bench/', 'eval/', 'scripts/'], never: ['test/'] },
];

/** The edges that break a rule. */
export function forbiddenHelperImports(edges: readonly string[]): string[] {
  return edges.filter((edge) => {
    const [from = '', to = ''] = edge.split(' -> ');
    return RULES.some(
      (rule) => rule.folders.some((folder) => from.startsWith(folder)) && rule.never.some((folder) => to.startsWith(folder)),
    );
  });
}

describe('import boundaries of the test helpers (dev/)', () => {
  const edges = relativeImports(ROOT, ['src', 'adapters', 'dev', 'bench', 'eval', 'scripts']);

  it('sees the imports of every folder it checks', () => {
    for (const folder of ['src/', 'adapters/', 'dev/', 'bench/', 'eval/', 'scripts/']) {
      assert.ok(edges.filter((edge) => edge.startsWith(folder)).length > 5, `no imports found under ${folder}`);
    }
    assert.ok(edges.includes('bench/support/start-bench-services.ts -> dev/services/shared.ts'), 'a benchmark uses a dev/ helper');
  });

  it('src/ and adapters/ import no helper; dev/, bench/, eval/ and scripts/ never import test/', () => {
    assert.deepEqual(forbiddenHelperImports(edges), [], 'move what the demo, benchmarks or eval need from test/ into dev/');
  });

  it('flags each kind of forbidden edge, and only those', () => {
    assert.deepEqual(
      forbiddenHelperImports([
        'src/worker/a.ts -> dev/fakes/b.ts',
        'adapters/slack/c.ts -> test/support/d.ts',
        'bench/e.ts -> test/e2e/f.ts',
        'dev/stack/g.ts -> test/fakes/h.ts',
        'scripts/i.ts -> dev/cluster/j.ts',
        'test/k.test.ts -> dev/fakes/l.ts',
        'eval/m.ts -> src/n.ts',
      ]),
      [
        'src/worker/a.ts -> dev/fakes/b.ts',
        'adapters/slack/c.ts -> test/support/d.ts',
        'bench/e.ts -> test/e2e/f.ts',
        'dev/stack/g.ts -> test/fakes/h.ts',
      ],
    );
  });
});
