import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every relative import (static, dynamic, `new URL(…, import.meta.url)`) of the .ts files under `folders`, as `from -> to`. */
export function relativeImports(root: string, folders: readonly string[]): string[] {
  const edges: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'results') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/(?:\bfrom|\bimport|\bnew URL)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          edges.push(`${relative(root, path)} -> ${relative(root, resolve(dirname(path), match[1] ?? ''))}`);
        }
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return edges;
}
