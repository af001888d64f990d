import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Folders of the worker side: they reach the MCP server only over MCP, through src/contract. */
const WORKER_SIDE = ['worker', 'agent', 'approval', 'alerts', 'incidents', 'digests', 'chat'].map((folder) => `src/${folder}/`);
const MCP_SIDE = 'src/mcp/';

/**
 * Known edges that break the rule, each with why it is still there. Empty since the kubectl command parser moved to
 * src/contract/kubectl (direct mode and channel policy read the commands the MCP server runs).
 */
const ALLOWED = new Set<string>();

/** Every relative import of a TypeScript file under src/, as `from -> to` (paths from the repository root). */
export function importEdges(root: string): string[] {
  const edges: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const from = relative(root, path);
        // `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, over any number of lines.
        for (const match of readFileSync(path, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          edges.push(`${from} -> ${relative(root, resolve(dirname(path), match[1] ?? ''))}`);
        }
      }
    }
  };
  walk(join(root, 'src'));
  return edges;
}

/** The edges that cross the worker / MCP server seam in either direction. */
export function forbiddenEdges(edges: readonly string[]): string[] {
  return edges.filter((edge) => {
    const [from = '', to = ''] = edge.split(' -> ');
    const fromWorker = WORKER_SIDE.some((folder) => from.startsWith(folder));
    const toWorker = WORKER_SIDE.some((folder) => to.startsWith(folder));
    return (fromWorker && to.startsWith(MCP_SIDE)) || (from.startsWith(MCP_SIDE) && toWorker);
  });
}

describe('import boundaries between the worker side and the MCP server', () => {
  const edges = importEdges(ROOT);

  it('sees the imports (a walker that finds nothing would pass anything)', () => {
    assert.ok(edges.length > 500, `only ${edges.length} import edges found`);
    assert.ok(edges.includes('src/worker/approval-gate.ts -> src/contract/write-content.ts'));
  });

  it('no worker-side folder imports src/mcp, and src/mcp imports no worker-side folder (but the listed exceptions)', () => {
    const unexpected = forbiddenEdges(edges).filter((edge) => !ALLOWED.has(edge));
    assert.deepEqual(unexpected, [], 'move what both sides need into src/contract (or a shared leaf such as src/redact)');
  });

  it('every listed exception still exists (drop it once it is gone)', () => {
    for (const edge of ALLOWED) assert.ok(forbiddenEdges(edges).includes(edge), `${edge} no longer exists: remove it from ALLOWED`);
  });

  it('flags a crossing edge in either direction', () => {
    assert.deepEqual(
      forbiddenEdges([
        'src/digests/a.ts -> src/mcp/b.ts',
        'src/mcp/toolsets/c.ts -> src/alerts/d.ts',
        'src/policy/e.ts -> src/mcp/f.ts',
        'src/worker/g.ts -> src/contract/h.ts',
      ]),
      ['src/digests/a.ts -> src/mcp/b.ts', 'src/mcp/toolsets/c.ts -> src/alerts/d.ts'],
    );
  });
});
