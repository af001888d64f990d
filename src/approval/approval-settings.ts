import type { Config } from '../config/schema.ts';
import { approversFor } from '../policy/channel-policy.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { PendingAction } from '../queue/pending-action.ts';

/** Who may approve and for how long, from APPROVERS, APPROVAL_SELF_ALLOWED, APPROVAL_TTL_SECONDS and AI4K8S_POLICY. */
export interface ApprovalSettings {
  /**
   * The global approvers (APPROVERS): bare Slack user ids (U0123) or chat user ids (slack:T0123:U0456,
   * teams:<tenant>:<user>). Empty: anyone may approve (subject to `selfAllowed`), unless `approversFor` names some.
   */
  approvers: readonly string[];
  selfAllowed: boolean;
  ttlSeconds: number;
  /**
   * The approvers the policy file names for this action's channel and namespace (chat user ids), or undefined
   * when it names none and `approvers` applies.
   */
  approversFor?: (action: PendingAction) => readonly string[] | undefined;
}

/** The settings from the configuration and, when AI4K8S_POLICY is set, its per-channel and per-namespace approvers. */
export function approvalSettingsFrom(
  config: Pick<Config, 'APPROVERS' | 'APPROVAL_SELF_ALLOWED' | 'APPROVAL_TTL_SECONDS'>,
  policy: PolicyFile | undefined,
): ApprovalSettings {
  return {
    approvers: config.APPROVERS,
    selfAllowed: config.APPROVAL_SELF_ALLOWED,
    ttlSeconds: config.APPROVAL_TTL_SECONDS,
    ...(policy?.channels === undefined ? {} : { approversFor: (action: PendingAction) => approversFor(policy, action) }),
  };
}
