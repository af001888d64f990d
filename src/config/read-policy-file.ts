import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.ts';

/** How errors about the policy file name it: the variable and the path. */
export const policyFileLabel = (path: string) => `AI4K8S_POLICY (${path})`;

/** The parsed YAML of AI4K8S_POLICY (an empty file is `{}`); each section's owner validates its part. */
export function readPolicyFile(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError([`${policyFileLabel(path)}: cannot read it as YAML (${(error as Error).message.split('\n')[0] ?? ''})`]);
  }
}
