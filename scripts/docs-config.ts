import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigTable } from '../src/config/config-table.ts';

/**
 * npm run docs:config: rewrites the configuration table in docs/configuration.md from the schema.
 * With --check (npm run docs:config:check, part of npm run check) it changes nothing and exits 1 when the table is stale.
 */
const check = process.argv.includes('--check');
const path = join(import.meta.dirname, '../docs/configuration.md');
const before = readFileSync(path, 'utf8');
const after = withConfigTable(before);
if (after === before) process.stdout.write(`${path}: up to date\n`);
else if (check) {
  process.stderr.write(`${path}: the configuration table is stale; run npm run docs:config and commit the result\n`);
  process.exitCode = 1;
} else {
  writeFileSync(path, after);
  process.stdout.write(`${path}: table regenerated\n`);
}
