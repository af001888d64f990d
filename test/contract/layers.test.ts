import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { relativeImports } from './relative-imports.ts';

const ROOT = join(import.meta.dirname, '../..');
const TABLE_HEADING = '## Folders and layers';

/** Which folders a folder may import; `anything` for a composition root. Folders are `src/<name>` or `adapters/<name>`. */
export type Layers = ReadonlyMap<string, ReadonlySet<string> | 'anything'>;

/** A `src/` or `adapters/` folder of a path, or undefined for anything else (package.json, a file at the root). */
function folderOf(path: string): string | undefined {
  const [top, name, ...rest] = path.split('/');
  return (top === 'src' || top === 'adapters') && name !== undefined && rest.length > 0 ? `${top}/${name}` : undefined;
}

/**
 * The table under "## Folders and layers" in docs/architecture.md: each row names its folders in the first cell and what
 * they may import in the last, both as `src/…` / `adapters/…` in backticks ("anything" for a composition root).
 */
export function layersFromMarkdown(markdown: string): Layers {
  const start = markdown.indexOf(TABLE_HEADING);
  assert.ok(start >= 0, `docs/architecture.md has no "${TABLE_HEADING}" section`);
  const layers = new Map<string, ReadonlySet<string> | 'anything'>();
  const section = markdown.slice(start + TABLE_HEADING.length).split(/\n## /)[0] ?? '';
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1);
    const first = cells[0] ?? '';
    const last = cells.at(-1) ?? '';
    const folders = [...first.matchAll(/`((?:src|adapters)\/[a-z-]+)`/g)].map((match) => match[1] ?? '');
    if (cells.length < 3 || folders.length === 0) continue;
    const mayImport = /\banything\b/.test(last)
      ? 'anything'
      : new Set([...last.matchAll(/`((?:src|adapters)\/[a-z-]+)`/g)].map((match) => match[1] ?? ''));
    for (const folder of folders) layers.set(folder, mayImport);
  }
  return layers;
}

/** The edges between two folders that the table does not allow, and the edges from a folder without a row. */
export function forbiddenLayerEdges(layers: Layers, edges: readonly string[]): string[] {
  return edges.filter((edge) => {
    const [from = '', to = ''] = edge.split(' -> ');
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === undefined || b === undefined || a === b) return false;
    const allowed = layers.get(a);
    return allowed === undefined || (allowed !== 'anything' && !allowed.has(b));
  });
}

describe('layers: each src/ and adapters/ folder imports only what docs/architecture.md allows it', () => {
  const layers = layersFromMarkdown(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));
  const edges = relativeImports(ROOT, ['src', 'adapters']);

  it('the table has a row for every folder, and no row for a folder that does not exist', () => {
    const folders = ['src', 'adapters'].flatMap((top) =>
      readdirSync(join(ROOT, top), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${top}/${entry.name}`),
    );
    assert.deepEqual([...layers.keys()].sort(), folders.sort());
    assert.ok(edges.length > 1_000, `only ${edges.length} import edges found`);
  });

  it('no import crosses a layer the table does not allow', () => {
    assert.deepEqual(
      forbiddenLayerEdges(layers, edges),
      [],
      'move the code to the folder that owns it, or (if the new dependency is right) add it to the table in docs/architecture.md',
    );
  });

  it('the rules the architecture names hold in the table', () => {
    const may = (from: string, to: string) => {
      const allowed = layers.get(from);
      return allowed === 'anything' || (allowed?.has(to) ?? false);
    };
    const srcFolders = [...layers.keys()].filter((folder) => folder.startsWith('src/'));
    const adapters = [...layers.keys()].filter((folder) => folder.startsWith('adapters/'));
    for (const worker of ['src/worker', 'src/agent']) assert.ok(!may('src/mcp', worker), `src/mcp may import ${worker}`);
    for (const folder of ['src/worker', 'src/agent', 'src/approval', 'src/alerts', 'src/incidents', 'src/digests', 'src/chat'])
      assert.ok(!may(folder, 'src/mcp'), `${folder} may import src/mcp`);
    assert.deepEqual(
      [...((layers.get('src/contract') as ReadonlySet<string> | undefined) ?? ['anything'])],
      [],
      'src/contract imports only itself',
    );
    for (const adapter of adapters) {
      for (const other of adapters) assert.ok(adapter === other || !may(adapter, other), `${adapter} may import ${other}`);
      for (const folder of ['src/worker', 'src/agent', 'src/mcp', 'src/roles'])
        assert.ok(!may(adapter, folder), `${adapter} may import ${folder}`);
    }
    const rootsImportingAdapters = srcFolders.filter((folder) => adapters.some((adapter) => may(folder, adapter))).sort();
    assert.deepEqual(rootsImportingAdapters, ['src/cli', 'src/roles'], 'only the composition roots wire the adapters');
  });

  it('flags an edge the table does not allow, an edge from a folder without a row, and nothing else', () => {
    const synthetic = layersFromMarkdown(
      [
        '# x',
        TABLE_HEADING,
        '| folder | role | may import |',
        '|---|---|---|',
        '| `src/contract` | records | — (only itself) |',
        '| `src/worker`, `src/alerts` | worker side | `src/contract` |',
        '| `src/roles` | wiring | anything (composition root) |',
        '| `adapters/slack` | Slack | `src/contract` |',
        '## Next section',
        '| `src/mcp` | not part of the table | anything |',
      ].join('\n'),
    );
    assert.deepEqual(
      forbiddenLayerEdges(synthetic, [
        'src/worker/a.ts -> src/contract/b.ts',
        'src/worker/a.ts -> src/worker/steps/c.ts',
        'src/alerts/d.ts -> src/worker/e.ts',
        'src/contract/f.ts -> src/worker/g.ts',
        'src/roles/h.ts -> adapters/slack/i.ts',
        'adapters/slack/j.ts -> src/roles/k.ts',
        'src/mcp/l.ts -> src/contract/m.ts',
        'src/mcp/n.ts -> package.json',
      ]),
      [
        'src/alerts/d.ts -> src/worker/e.ts',
        'src/contract/f.ts -> src/worker/g.ts',
        'adapters/slack/j.ts -> src/roles/k.ts',
        'src/mcp/l.ts -> src/contract/m.ts',
      ],
    );
  });
});
