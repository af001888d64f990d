import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';

/**
 * The approval grant: proof, signed by the gateway when it accepts a human's Approve click, that exactly one call
 * of a write tool may run once. The gateway signs (it verified the click: Slack signature, Teams JWT, console
 * identity) and the MCP server verifies before the tool runs; both hold APPROVAL_SIGNING_KEY, the worker never
 * does, so neither a process holding MCP_TOKEN nor one writing to Redis can make one (decision 012).
 *
 * Format: `v1.<claims>.<mac>`, both parts base64url; mac = HMAC-SHA256(key, "ai4k8s-approval-grant.v1." + claims).
 */

/** Where the grant travels: the `_meta` of the MCP tools/call request, out of the model's sight and reach. */
export const APPROVAL_GRANT_META_KEY = 'dev.ai4k8s/approval-grant';

/** Exactly which call a grant allows: the tool, its arguments (dryRun aside), the kube context and the caller. */
export interface ApprovalBinding {
  tool: string;
  arguments: Record<string, unknown>;
  /** The kubeconfig context the call acts on, as the MCP server resolves it. */
  context: string;
  /** The X-Ai4k8s-User the call is made as; undefined when it names none. */
  user: string | undefined;
}

/** Clock difference between gateway and MCP server tolerated on `iat`. */
const CLOCK_SKEW_MS = 30_000;
const VERSION = 'v1';
const MAC_DOMAIN = 'ai4k8s-approval-grant.v1.';

export const grantClaimsSchema = z.object({
  /** Single-use id: the MCP server remembers it (SET NX) until the grant expires. */
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  /** The first 8 characters of the approval token, for the audit trail. */
  approval: z.string().max(64),
  tool: z.string().min(1),
  /** argumentsDigest of the arguments, dryRun excluded. */
  args: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  context: z.string(),
  user: z.string().nullable(),
  /** Who approved (chat user id): for the MCP server's log and audit. */
  by: z.string(),
  /** Issued and expiry times, epoch milliseconds. */
  iat: z.number().int(),
  exp: z.number().int(),
});
export type GrantClaims = z.infer<typeof grantClaimsSchema>;

export type GrantRefusalCode =
  | 'grant_missing'
  | 'grant_malformed'
  | 'grant_bad_signature'
  | 'grant_expired'
  | 'grant_other_tool'
  | 'grant_other_arguments'
  | 'grant_other_context'
  | 'grant_other_user'
  | 'grant_replayed';

export type GrantVerdict = { ok: true; claims: GrantClaims } | { ok: false; code: GrantRefusalCode; reason: string };

/** The arguments a grant binds: everything the caller sent except `dryRun` (the one field approving flips). */
export function bindingArguments(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { dryRun: _dryRun, ...rest } = args;
  return rest;
}

/** base64url SHA-256 of the canonical JSON of the arguments (dryRun excluded). */
export function argumentsDigest(args: Readonly<Record<string, unknown>>): string {
  return sha256(canonicalJson(bindingArguments(args)));
}

/**
 * base64url SHA-256 of the whole binding: what an approval card's Approve button carries, so the gateway can tell
 * that the action stored in Redis is still the one the card showed when the human clicked.
 */
export function actionDigest({ tool, arguments: args, context, user }: ApprovalBinding): string {
  return sha256(canonicalJson({ tool, arguments: bindingArguments(args), context, user: user ?? null }));
}

export interface SignApprovalGrantOptions {
  key: string;
  binding: ApprovalBinding;
  /** The approval token (only its first 8 characters go into the grant). */
  approval: string;
  by: string;
  ttlMs: number;
  now?: number;
}

export function signApprovalGrant({ key, binding, approval, by, ttlMs, now = Date.now() }: SignApprovalGrantOptions): string {
  const claims: GrantClaims = {
    id: randomBytes(16).toString('base64url'),
    approval: approval.slice(0, 8),
    tool: binding.tool,
    args: argumentsDigest(binding.arguments),
    context: binding.context,
    user: binding.user ?? null,
    by,
    iat: now,
    exp: now + ttlMs,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload)}`;
}

export interface VerifyApprovalGrantOptions {
  key: string;
  /** The grant as the request carried it (untrusted: anything). */
  grant: unknown;
  /** The call being made. */
  binding: ApprovalBinding;
  now?: number;
}

/**
 * Checks a grant's MAC (constant time), its times and that it names exactly this call. Single use is the caller's
 * part (it needs shared state): consume `claims.id` until `claims.exp` once this says ok.
 */
export function verifyApprovalGrant({ key, grant, binding, now = Date.now() }: VerifyApprovalGrantOptions): GrantVerdict {
  if (grant === undefined || grant === null || grant === '') {
    return refuse(
      'grant_missing',
      'this call changes the cluster and carries no approval grant: only a call approved by a human on an approval card may run (dryRun: true still previews)',
    );
  }
  const parts = typeof grant === 'string' && grant.length <= 4_096 ? grant.split('.') : [];
  const [version, payload, signature] = parts;
  if (parts.length !== 3 || version !== VERSION || payload === undefined || signature === undefined) {
    return refuse('grant_malformed', 'the approval grant is malformed');
  }
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('grant_bad_signature', "the approval grant is not signed with this server's APPROVAL_SIGNING_KEY");
  }
  let claims: GrantClaims;
  try {
    claims = grantClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return refuse('grant_malformed', "the approval grant's claims are malformed");
  }
  if (claims.exp <= now || claims.iat > now + CLOCK_SKEW_MS) {
    return refuse('grant_expired', `the approval grant expired at ${new Date(claims.exp).toISOString()}; approve the action again`);
  }
  if (claims.tool !== binding.tool) return refuse('grant_other_tool', `the approval grant is for ${claims.tool}, not ${binding.tool}`);
  if (claims.args !== argumentsDigest(binding.arguments))
    return refuse('grant_other_arguments', "the approval grant is for other arguments than this call's");
  if (claims.context !== binding.context)
    return refuse('grant_other_context', `the approval grant is for context ${claims.context}, not ${binding.context}`);
  if (claims.user !== (binding.user ?? null))
    return refuse('grant_other_user', 'the approval grant is for a call made as another user (X-Ai4k8s-User)');
  return { ok: true, claims };
}

function refuse(code: GrantRefusalCode, reason: string): GrantVerdict {
  return { ok: false, code, reason };
}

function mac(key: string, payload: string): string {
  return createHmac('sha256', key).update(MAC_DOMAIN).update(payload).digest('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
