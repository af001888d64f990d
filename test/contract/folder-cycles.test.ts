import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { relativeImports } from './relative-imports.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Folder pairs under src/ that still import each other. Issue 17 emptied it; it stays so that a pair that has to be
 * tolerated for a while is written down here, with why. A new mutual pair fails the test, and so does a listed pair
 * that is no longer mutual.
 */
const KNOWN_MUTUAL_PAIRS: readonly string[] = [];

/** Each pair of src/ folders with imports both ways, as "a <-> b" with a before b. */
export function mutualFolderPairs(edges: readonly string[]): string[] {
  const folderEdges = new Set<string>();
  for (const edge of edges) {
    const [from = '', to = ''] = edge.split(' -> ');
    const a = from.split('/')[1];
    const b = to.split('/')[1];
    if (to.startsWith('src/') && a !== undefined && b !== undefined && a !== b) folderEdges.add(`${a} -> ${b}`);
  }
  const pairs = new Set<string>();
  for (const edge of folderEdges) {
    const [a = '', b = ''] = edge.split(' -> ');
    if (folderEdges.has(`${b} -> ${a}`)) pairs.add(a < b ? `${a} <-> ${b}` : `${b} <-> ${a}`);
  }
  return [...pairs].sort();
}

describe('folder cycles: src/ folders that import each other', () => {
  it('finds a mutual pair, and only a mutual pair', () => {
    assert.deepEqual(mutualFolderPairs(['src/a/x.ts -> src/b/y.ts', 'src/b/y.ts -> src/a/z.ts', 'src/c/x.ts -> src/a/x.ts']), ['a <-> b']);
  });

  it('has no mutual pair beyond the known ones, and each known one is still real', () => {
    assert.deepEqual(mutualFolderPairs(relativeImports(ROOT, ['src'])), [...KNOWN_MUTUAL_PAIRS].sort());
  });
});
