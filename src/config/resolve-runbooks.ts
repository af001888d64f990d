import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { RUNBOOK_MAX_BYTES, type Runbook, type runbookPolicySchema } from '../runbooks/runbook-policy.ts';
import { ConfigError } from './errors.ts';

/**
 * The runbooks of a validated `runbooks:` section, each `file` read now (relative to the policy file's folder), so a
 * missing or oversized file fails the start, naming it. Called once, by loadPolicy.
 */
export function resolveRunbooks(
  entries: z.output<typeof runbookPolicySchema>,
  { policyFile, where }: { policyFile: string; where: string },
): Runbook[] {
  return entries.map((entry, index) => {
    const list = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
    const alertnames = list(entry.match.alertname);
    const namespaces = list(entry.match.namespace);
    const markdown =
      entry.file === undefined
        ? entry.markdown
        : readRunbookFile(join(isAbsolute(entry.file) ? '' : dirname(policyFile), entry.file), `${where}: runbooks.${index}.file`);
    return {
      name: entry.name,
      match: {
        ...(alertnames === undefined ? {} : { alertnames }),
        ...(namespaces === undefined ? {} : { namespaces }),
        ...(entry.match.labels === undefined ? {} : { labels: entry.match.labels }),
      },
      ...(entry.url === undefined ? {} : { url: entry.url }),
      ...(markdown === undefined ? {} : { markdown }),
    };
  });
}

function readRunbookFile(path: string, where: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ConfigError([`${where}: cannot read ${path}`]);
  }
  if (size > RUNBOOK_MAX_BYTES) throw new ConfigError([`${where}: ${path} is ${size} bytes; expected at most ${RUNBOOK_MAX_BYTES}`]);
  return readFileSync(path, 'utf8');
}
