import type { V1Ingress, V1Pod, V1Service } from '@kubernetes/client-node';
import { mapSelectorString, refOf, type KubeObject } from '../kube-object.ts';
import { choosePods } from './choose-pods.ts';
import type { GraphReader } from './graph-reader.ts';

type Object<T> = T & KubeObject;

/** Backend Services of one Ingress examined, at most. */
const MAX_BACKENDS = 5;

/**
 * A Service: the pods its selector picks (or, when it picks none, every pod of the namespace for the
 * near misses), its EndpointSlices, and the NetworkPolicies of its namespace.
 */
export async function walkService(reader: GraphReader, service: Object<V1Service>): Promise<void> {
  const namespace = service.metadata?.namespace ?? '';
  reader.involve(refOf(service, 'Service'));
  const selector = mapSelectorString(service.spec?.selector);
  const [pods] = await Promise.all([
    selector === '' ? Promise.resolve([]) : reader.list<Object<V1Pod>>('Pod', { namespace, labelSelector: selector }),
    reader.list('EndpointSlice', {
      namespace,
      labelSelector: `kubernetes.io/service-name=${service.metadata?.name ?? ''}`,
      as: 'endpointSlices',
    }),
    reader.list('NetworkPolicy', { namespace, as: 'networkPolicies' }),
  ]);
  choosePods(reader.ev, pods ?? []);
  if (selector !== '' && (pods ?? []).length === 0) await reader.list('Pod', { namespace, limit: 200, as: 'namespacePods' });
}

/**
 * An Ingress: its IngressClass, its TLS Secrets (existence only, never their data), each backend
 * Service with its pods and EndpointSlices.
 */
export async function walkIngress(reader: GraphReader, ingress: Object<V1Ingress>): Promise<void> {
  const namespace = ingress.metadata?.namespace ?? '';
  reader.involve(refOf(ingress, 'Ingress'));
  const className = ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.['kubernetes.io/ingress.class'];
  const backends = ingressBackends(ingress).map((b) => b.service);
  const serviceNames = [...new Set(backends)].slice(0, MAX_BACKENDS);
  const tls = [...new Set((ingress.spec?.tls ?? []).flatMap((t) => (t.secretName ? [t.secretName] : [])))];
  const [services] = await Promise.all([
    Promise.all(serviceNames.map((name) => reader.read<Object<V1Service>>({ kind: 'Service', namespace, name }))),
    className === undefined
      ? reader.list('IngressClass', { as: 'ingressClasses' })
      : reader.read({ kind: 'IngressClass', name: className }),
    ...tls.map((name) => reader.read({ kind: 'Secret', namespace, name }, { metadataOnly: true })),
  ]);
  const reads: Promise<unknown>[] = [];
  if (className !== undefined && reader.ev.lookup({ kind: 'IngressClass', name: className }) === 'missing')
    reads.push(reader.list('IngressClass', { as: 'ingressClasses' }));
  if (services.some((s) => s === undefined)) reads.push(reader.list('Service', { namespace, metadataOnly: true, as: 'serviceNames' }));
  if (tls.some((name) => reader.ev.lookup({ kind: 'Secret', namespace, name }) === 'missing'))
    reads.push(reader.list('Secret', { namespace, metadataOnly: true, as: 'secretNames' }));
  const pods: Object<V1Pod>[] = [];
  for (const service of services) {
    if (service === undefined) continue;
    reader.involve(refOf(service, 'Service'));
    const selector = mapSelectorString(service.spec?.selector);
    if (selector !== '')
      reads.push(
        reader.list<Object<V1Pod>>('Pod', { namespace, labelSelector: selector }).then((found) => void pods.push(...(found ?? []))),
      );
  }
  reads.push(reader.list('EndpointSlice', { namespace, as: 'endpointSlices' }));
  await Promise.all(reads);
  choosePods(reader.ev, pods);
}

export interface IngressBackend {
  host: string;
  path: string;
  service: string;
  port: number | string | undefined;
}

/** Every rule's backend and the default backend, with the host and path that route to it. */
export function ingressBackends(ingress: V1Ingress): IngressBackend[] {
  const out: IngressBackend[] = [];
  const fallback = ingress.spec?.defaultBackend?.service;
  if (fallback !== undefined)
    out.push({ host: '*', path: '(default backend)', service: fallback.name, port: fallback.port?.number ?? fallback.port?.name });
  for (const rule of ingress.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const service = path.backend.service;
      if (service !== undefined)
        out.push({
          host: rule.host ?? '*',
          path: path.path ?? '/',
          service: service.name,
          port: service.port?.number ?? service.port?.name,
        });
    }
  }
  return out;
}
