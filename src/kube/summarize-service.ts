import type { V1Service } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';

/** One service as `kubectl get services -o wide` shows it. */
export interface ServiceRow {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string;
  externalIP?: string;
  /** e.g. "80:30080/TCP,443/TCP". */
  ports: string;
  selector?: string;
  age: string;
}

export function summarizeService(service: V1Service, now: Date = new Date()): ServiceRow {
  const spec = service.spec;
  const row: ServiceRow = {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    type: spec?.type ?? 'ClusterIP',
    clusterIP: spec?.clusterIP ?? '',
    ports: (spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(','),
    age: formatAge(service.metadata?.creationTimestamp, now),
  };
  const external = [
    ...(spec?.externalIPs ?? []),
    ...(service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? ''),
    ...(spec?.externalName ? [spec.externalName] : []),
  ].filter((v) => v !== '');
  if (external.length > 0) row.externalIP = external.join(',');
  const selector = Object.entries(spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`);
  if (selector.length > 0) row.selector = selector.join(',');
  return row;
}
