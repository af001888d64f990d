import { z } from 'zod';

/** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
export const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a namespace name (lower-case letters, digits and -)' })
  .max(63);

/** Arguments every list tool takes, named as in the Kubernetes API. */
export const listArguments = {
  namespace: namespaceName.optional().describe('Namespace to list; all namespaces when omitted.'),
  labelSelector: z.string().max(1024).optional().describe('Label selector, e.g. "app=checkout,tier!=cache".'),
  fieldSelector: z.string().max(1024).optional().describe('Field selector, e.g. "status.phase!=Running" or "spec.nodeName=node-1".'),
  limit: z.number().int().min(1).max(500).default(100).describe('Most items to return (default 100).'),
  continue: z.string().max(4096).optional().describe('The continue token of the previous page.'),
};

export interface ListArguments {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
}

/** The query of a list call, in client-node's object-parameter style. */
export function listQuery(args: ListArguments) {
  return {
    labelSelector: args.labelSelector,
    fieldSelector: args.fieldSelector,
    limit: args.limit ?? 100,
    _continue: args.continue,
  };
}

export function scopeOf(namespace: string | undefined): string {
  return namespace === undefined ? 'in all namespaces' : `in namespace ${namespace}`;
}
