import { ConfigError } from './errors.ts';
import { resolveRunbooks } from './resolve-runbooks.ts';
import { policyFileSchema, type PolicyFile } from '../policy/policy-schema.ts';
import { policyFileLabel, readPolicyFile } from './read-policy-file.ts';

/**
 * Reads and validates AI4K8S_POLICY, every section, once: loadConfig calls it at start and hands the result to
 * every role. Throws ConfigError naming the variable and each wrong key.
 */
export function loadPolicy(path: string): PolicyFile {
  const where = policyFileLabel(path);
  const data = readPolicyFile(path);
  const parsed = policyFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${where}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`),
    );
  }
  return { ...parsed.data, runbooks: resolveRunbooks(parsed.data.runbooks, { policyFile: path, where }) };
}
