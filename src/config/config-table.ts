import type { z } from 'zod';
import { configKeys, configSchema, secretKeys, type Settings } from './schema.ts';
import { settingDocs } from './setting-docs.ts';

/** Where the generated table sits in docs/configuration.md; the prose around it is kept as written. */
export const TABLE_START = '<!-- generated from src/config (npm run docs:config); edit setting-docs.ts or schema.ts, not this table -->';
export const TABLE_END = '<!-- end of the generated table -->';

/** The schema's own default of a setting, as the docs show it: `value`, or undefined when it has none. */
export function schemaDefault(key: keyof Settings): string | undefined {
  let schema: z.core.$ZodType = configSchema.shape[key];
  for (;;) {
    const def = schema._zod.def as { type: string; defaultValue?: unknown; innerType?: z.core.$ZodType };
    if (def.type === 'default') {
      const value = def.defaultValue;
      if (Array.isArray(value)) return value.length === 0 ? 'none' : `\`${value.join(',')}\``;
      return `\`${String(value)}\``;
    }
    if (def.type !== 'optional' || def.innerType === undefined) return undefined;
    schema = def.innerType;
  }
}

/** The configuration table: one row per setting (or group of settings sharing a row), in schema order. */
export function configTable(): string {
  const rows = ['| variable | meaning | default | secret |', '|---|---|---|---|'];
  for (const key of configKeys) {
    const doc = settingDocs[key];
    if ('sameRowAs' in doc) continue;
    const keys = [
      key,
      ...configKeys.filter((other) => {
        const d = settingDocs[other];
        return 'sameRowAs' in d && d.sameRowAs === key;
      }),
    ];
    const secret = keys.filter((k) => secretKeys.includes(k));
    const secretCell = secret.length === 0 ? '' : secret.length === keys.length ? 'yes' : secret.map((k) => `\`${k}\``).join(', ');
    rows.push(
      `| ${keys.map((k) => `\`${k}\``).join(', ')} | ${doc.meaning} | ${doc.default ?? schemaDefault(key) ?? '—'} | ${secretCell} |`,
    );
  }
  return rows.join('\n');
}

/** docs/configuration.md with its table regenerated; throws when the markers are missing. */
export function withConfigTable(markdown: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the configuration doc lacks the table markers ${TABLE_START} … ${TABLE_END}`);
  return `${markdown.slice(0, start + TABLE_START.length)}\n${configTable()}\n${markdown.slice(end)}`;
}
