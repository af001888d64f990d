import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configTable, schemaDefault, TABLE_END, TABLE_START, withConfigTable } from '../../src/config/config-table.ts';
import { configKeys } from '../../src/config/schema.ts';

const DOC = join(import.meta.dirname, '../../docs/configuration.md');

describe('docs/configuration.md (generated table)', () => {
  it('is current: npm run docs:config would not change it', () => {
    const committed = readFileSync(DOC, 'utf8');
    assert.equal(
      withConfigTable(committed),
      committed,
      'the configuration table is stale: run npm run docs:config and commit docs/configuration.md',
    );
  });

  it('names every setting once, marks the credentials secret, and takes defaults from the schema', () => {
    const table = configTable();
    const variables = table
      .split('\n')
      .slice(2)
      .flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]));
    assert.deepEqual([...variables].sort(), [...configKeys].sort(), 'every setting in the variable column, once');
    assert.match(table, /^\| `MCP_TOKEN` \| .* \| yes \|$/m);
    assert.match(
      table,
      /^\| `TEAMS_APP_ID`, `TEAMS_APP_PASSWORD`, `TEAMS_APP_TENANT_ID`, `TEAMS_APP_TYPE` \| .* \| `TEAMS_APP_PASSWORD` \|$/m,
    );
    assert.match(table, /^\| `PORT` \| gateway HTTP port \| `3000` \| {2}\|$/m);
    assert.equal(schemaDefault('AUDIT_MAX_EVENTS'), '`100000`');
    assert.equal(schemaDefault('MCP_DENIED_TOOLS'), 'none');
    assert.equal(schemaDefault('ANTHROPIC_API_KEY'), undefined);
  });

  it('keeps the prose around the table and refuses a document without the markers', () => {
    const doc = `# Title\n\nintro\n\n${TABLE_START}\n| stale |\n${TABLE_END}\n\nafter\n`;
    const regenerated = withConfigTable(doc);
    assert.ok(regenerated.startsWith(`# Title\n\nintro\n\n${TABLE_START}\n| variable | meaning | default | secret |`));
    assert.ok(regenerated.endsWith(`\n${TABLE_END}\n\nafter\n`));
    assert.ok(!regenerated.includes('| stale |'));
    assert.throws(() => withConfigTable('# no markers\n'), /table markers/);
  });
});
