import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';

/** How a chat user is named on the wire: `<platform>:<workspace or tenant>:<user id>`, e.g. slack:T0123:U0456. */
export const CHAT_USER = /^[a-z][a-z0-9-]*:[\x21-\x7e]{1,250}$/;

const kubeName = z.string({ error: 'expected a Kubernetes user or group name' }).min(1, { error: 'expected a non-empty name' }).max(253);

const identitySchema = z.strictObject({
  user: kubeName.describe('Kubernetes user name the cluster sees (Impersonate-User)'),
  groups: z.array(kubeName).default([]).describe('Kubernetes groups (one Impersonate-Group each)'),
});

/**
 * The identity part of the policy file. Strict, so a misspelt key fails at start instead of silently
 * leaving a chat user with the server's own rights; the channel and approver sections join it later.
 */
const policyFileSchema = z.strictObject({
  identities: z.strictObject({
    unmapped: z.enum(['refuse', 'server'], { error: 'expected refuse or server' }).default('refuse'),
    users: z
      .record(z.string().regex(CHAT_USER), identitySchema, {
        error: (issue) => (issue.code === 'invalid_key' ? 'expected a chat user id like slack:T0123:U0456' : undefined),
      })
      .default({}),
  }),
});

export type IdentityPolicy = z.output<typeof policyFileSchema>['identities'];

/** Reads the identity mapping of AI4K8S_POLICY once at start. Throws ConfigError naming the variable and key. */
export function loadIdentityPolicy(path: string): IdentityPolicy {
  const where = `AI4K8S_POLICY (${path})`;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${where}: cannot read it as YAML (${(error as Error).message.split('\n')[0] ?? ''})`]);
  }
  const parsed = policyFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${where}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`),
    );
  }
  return parsed.data.identities;
}
