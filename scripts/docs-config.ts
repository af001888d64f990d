import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigTable } from '../src/config/config-table.ts';

/** npm run docs:config: rewrites the configuration table in docs/configuration.md from the schema. */
const path = join(import.meta.dirname, '../docs/configuration.md');
const before = readFileSync(path, 'utf8');
const after = withConfigTable(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? `${path}: up to date\n` : `${path}: table regenerated\n`);
