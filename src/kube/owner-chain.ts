import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeClient } from './create-kube-client.ts';
import { KubeError } from './errors.ts';
import { getJson } from './get-json.ts';
import { resolveResource, resourcePath } from './resolve-resource.ts';

const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

export interface OwnerChainOptions {
  namespace: string;
  ownerReferences: V1OwnerReference[] | undefined;
  /** Levels to climb (Pod → ReplicaSet → Deployment is 2). */
  maxDepth?: number;
}

/**
 * Who controls an object, up to the top: ["ReplicaSet/checkout-7d4b9c6f5", "Deployment/checkout"].
 * Each step reads only the owner's metadata. An owner that cannot be read ends the chain with a note
 * rather than failing the caller, which wants the rest of its answer anyway.
 */
export async function ownerChain(kube: KubeClient, { namespace, ownerReferences, maxDepth = 4 }: OwnerChainOptions): Promise<string[]> {
  const chain: string[] = [];
  let references = ownerReferences;
  for (let depth = 0; depth < maxDepth; depth++) {
    const owner = references?.find((r) => r.controller === true) ?? references?.[0];
    if (owner === undefined) break;
    const label = `${owner.kind}/${owner.name}`;
    try {
      const resource = await resolveResource(kube, { kind: owner.kind, apiVersion: owner.apiVersion });
      if (resource === undefined) {
        chain.push(label);
        break;
      }
      const object = await getJson<{ metadata?: { ownerReferences?: V1OwnerReference[] } }>(kube, {
        path: resourcePath(resource, { namespace, name: owner.name }),
        accept: METADATA_ONLY,
      });
      chain.push(label);
      references = object.metadata?.ownerReferences;
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      chain.push(`${label} (${error.code === 'kube_not_found' ? 'gone' : 'not readable'})`);
      break;
    }
  }
  return chain;
}
