import type {
  V1EndpointSlice,
  V1Ingress,
  V1IngressClass,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1Pod,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import { labelSelectorString } from '../../kube/label-selector.ts';
import type { Evidence } from '../evidence.ts';
import { conditionOf, mapSelectorString, selectorMatches, type KubeObject } from '../kube-object.ts';
import { ingressBackends } from '../walk/walk-network.ts';
import { eventFact, podName, podRef } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

function subjectService(ev: Evidence): V1Service | undefined {
  return ev.subject.kind === 'Service' ? ev.get<V1Service>(ev.subject) : undefined;
}

const podReady = (pod: V1Pod) => conditionOf(pod, 'Ready')?.status === 'True';

function endpointCounts(ev: Evidence): { total: number; ready: number } | undefined {
  const slices = ev.listed<V1EndpointSlice>('endpointSlices');
  if (slices === undefined) return undefined;
  const endpoints = slices.flatMap((s) => s.endpoints ?? []);
  return { total: endpoints.length, ready: endpoints.filter((e) => e.conditions?.ready !== false).length };
}

function declaredPorts(pods: V1Pod[]): { number: number; name?: string; protocol: string }[] {
  const seen = new Map<string, { number: number; name?: string; protocol: string }>();
  for (const pod of pods) {
    for (const c of pod.spec?.containers ?? []) {
      for (const p of c.ports ?? [])
        seen.set(`${p.containerPort}/${p.protocol ?? 'TCP'}`, {
          number: p.containerPort,
          ...(p.name ? { name: p.name } : {}),
          protocol: p.protocol ?? 'TCP',
        });
    }
  }
  return [...seen.values()];
}

function portText(p: { number: number; name?: string; protocol: string }): string {
  return `${p.number}/${p.protocol}${p.name ? ` (${p.name})` : ''}`;
}

/** The container port a Service port sends to on these pods, or undefined when it is not declared. */
function targetOf(port: V1ServicePort, pods: V1Pod[]): number | undefined {
  const target = port.targetPort ?? port.port;
  const declared = declaredPorts(pods);
  if (typeof target === 'number' || /^\d+$/.test(String(target))) {
    const n = Number(target);
    return declared.some((p) => p.number === n) ? n : undefined;
  }
  return declared.find((p) => p.name === target)?.number;
}

/** The selector picks no pod: the Service has no endpoints at all. */
export const serviceSelectorNoMatch: DiagnosisRule = {
  id: 'service-selector-no-match',
  failureClass: 'Service selector matches no pods',
  needs: ['pods'],
  detect(ev) {
    const service = subjectService(ev);
    const selector = service?.spec?.selector;
    if (service === undefined || selector === undefined || Object.keys(selector).length === 0 || ev.pods.length > 0) return [];
    const others = ev.listed<V1Pod>('namespacePods') ?? [];
    // Near misses: pods that share at least one of the selector's labels, and what they have instead.
    const near = others.filter((pod) => Object.entries(selector).some(([k, v]) => pod.metadata?.labels?.[k] === v));
    const differences = [
      ...new Set(
        near.flatMap((pod) =>
          Object.entries(selector)
            .filter(([k, v]) => pod.metadata?.labels?.[k] !== v)
            .map(([k]) => `${k}=${pod.metadata?.labels?.[k] ?? '(none)'}`),
        ),
      ),
    ];
    const shared = Object.entries(selector)
      .filter(([k, v]) => near.some((pod) => pod.metadata?.labels?.[k] === v))
      .map(([k, v]) => `${k}=${v}`);
    const counts = endpointCounts(ev);
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Service ${ev.subject.name}'s selector ${mapSelectorString(selector)} matches no pods in ${ev.subject.namespace ?? ''}: it has ${counts?.total ?? 0} endpoints`,
        facts:
          near.length === 0
            ? [`no pod in ${ev.subject.namespace ?? ''} carries any of the selector's labels (${others.length} pods there)`]
            : [
                `pods with ${shared.join(',')} have ${differences.join(', ')} instead: ${near
                  .slice(0, 5)
                  .map((p) => podName(p))
                  .join(', ')}`,
              ],
        fix:
          near.length === 0
            ? 'fix the selector to the labels the pods carry'
            : `change the Service's selector (or the pods' labels) so they agree on ${differences.map((d) => d.split('=')[0]).join(', ')}`,
      },
    ];
  },
};

/** The Service sends traffic to a port its pods do not declare. */
export const serviceTargetPortMismatch: DiagnosisRule = {
  id: 'service-target-port-mismatch',
  failureClass: 'Service targetPort does not match the container port',
  needs: ['pods'],
  detect(ev) {
    const service = subjectService(ev);
    const declared = declaredPorts(ev.pods);
    if (service === undefined || ev.pods.length === 0 || declared.length === 0) return [];
    const wrong = (service.spec?.ports ?? []).filter((p) => targetOf(p, ev.pods) === undefined);
    const first = wrong[0];
    if (first === undefined) return [];
    const target = first.targetPort ?? first.port;
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Service ${ev.subject.name} sends port ${first.port} to targetPort ${target}, but its pods' containers listen on ${declared.map(portText).join(', ')}: nothing answers on ${target}`,
        facts: [
          `pods behind it: ${ev.pods.slice(0, 4).map(podName).join(', ')} (${ev.pods.filter(podReady).length} ready); their containers declare port ${declared.map(portText).join(', ')}`,
          ...wrong.slice(1).map((p) => `port ${p.port} → targetPort ${p.targetPort ?? p.port} is not declared either`),
        ],
        fix: `set targetPort to ${declared[0]?.name ?? declared[0]?.number ?? 'the container port'} (or make the app listen on ${target})`,
      },
    ];
  },
};

/** A rule's sources. client-node names the field `_from`; the JSON read from the API has `from`. */
function peersOf(rule: V1NetworkPolicyIngressRule): V1NetworkPolicyPeer[] {
  return (rule as unknown as { from?: V1NetworkPolicyPeer[] }).from ?? [];
}

function peerText(peer: V1NetworkPolicyPeer): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  const parts = [];
  if (peer.namespaceSelector) parts.push(`namespaces ${labelSelectorString(peer.namespaceSelector) || '(all)'}`);
  if (peer.podSelector) parts.push(`pods ${labelSelectorString(peer.podSelector) || '(all)'}`);
  return parts.join(' / ');
}

/** NetworkPolicies select the Service's pods and allow no ingress to the port it targets. */
export const networkPolicyBlocksIngress: DiagnosisRule = {
  id: 'networkpolicy-blocks-ingress',
  failureClass: 'NetworkPolicy blocking traffic (as the API shows it)',
  needs: ['networkpolicies', 'pods'],
  detect(ev) {
    const service = subjectService(ev);
    const policies = ev.listed<V1NetworkPolicy>('networkPolicies');
    const pods = ev.pods.filter(podReady);
    if (service === undefined || policies === undefined || pods.length === 0) return [];
    const isolating = policies.filter(
      (p) =>
        (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress') &&
        pods.some((pod) => selectorMatches(p.spec?.podSelector, pod.metadata?.labels)),
    );
    if (isolating.length === 0) return [];
    const findings: Finding[] = [];
    for (const port of service.spec?.ports ?? []) {
      const target = targetOf(port, pods) ?? (typeof port.targetPort === 'number' ? port.targetPort : port.port);
      const names = declaredPorts(pods)
        .filter((p) => p.number === target)
        .map((p) => p.name);
      const allowing = isolating.flatMap((p) =>
        (p.spec?.ingress ?? []).filter(
          (rule) =>
            (rule.ports ?? []).length === 0 ||
            (rule.ports ?? []).some((rp) => rp.port === undefined || rp.port === target || names.includes(String(rp.port))),
        ),
      );
      if (allowing.length > 0) continue;
      const allowed = isolating.flatMap((p) =>
        (p.spec?.ingress ?? []).map(
          (rule) =>
            `${peersOf(rule).map(peerText).join(' or ') || 'anywhere'} to port ${(rule.ports ?? []).map((rp) => rp.port).join(',')}`,
        ),
      );
      findings.push({
        rule: this.id,
        about: ev.subject,
        cause: `NetworkPolicies ${isolating.map((p) => p.metadata?.name ?? '').join(', ')} select the pods of Service ${ev.subject.name} and allow no ingress to port ${target} (its targetPort)${allowed.length > 0 ? `: they allow only ${allowed.join('; ')}` : ''}`,
        facts: [
          ...isolating.map(
            (p) =>
              `NetworkPolicy ${p.metadata?.name ?? ''} selects pods ${labelSelectorString(p.spec?.podSelector) || '(all pods)'} and allows ingress ${(p.spec?.ingress ?? []).length === 0 ? 'none allowed' : (p.spec?.ingress ?? []).map((rule) => `from ${peersOf(rule).map(peerText).join(' or ') || 'anywhere'} to ${(rule.ports ?? []).map((rp) => rp.port).join(',') || 'all ports'}`).join('; ')}`,
          ),
          `pods behind it are ready (${pods.length}); only the API's view: whether the network plugin enforces NetworkPolicy is not visible here`,
        ],
        fix: `add an ingress rule allowing the clients (their pod/namespace labels) to port ${target}`,
      });
      break;
    }
    return findings;
  },
};

/** The Service selects pods, and none of them is ready: the pods' own failure is why. */
export const serviceNoReadyEndpoints: DiagnosisRule = {
  id: 'service-no-ready-endpoints',
  failureClass: 'Service without ready endpoints (backends failing)',
  needs: ['pods', 'endpointslices'],
  composite: true,
  detect(ev, found) {
    const service = subjectService(ev);
    if (service === undefined || ev.pods.length === 0 || ev.pods.some(podReady)) return [];
    const explained = ev.examined.map((pod) => ({ pod, f: found.of(podRef(pod)) })).find((x) => x.f !== undefined);
    const counts = endpointCounts(ev);
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Service ${ev.subject.name} has no ready endpoints (0 of ${ev.pods.length} pods ready)${explained?.f === undefined ? '' : `: pod ${podName(explained.pod)} → ${explained.f.cause}`}`,
        facts: [
          ...(counts === undefined ? [] : [`EndpointSlices: ${counts.ready}/${counts.total} endpoints ready`]),
          ...(explained?.f?.facts.slice(0, 2) ?? []),
        ],
        fix: 'fix the pods (the cause above); the Service answers again once one is ready',
      },
    ];
  },
};

function subjectIngress(ev: Evidence): V1Ingress | undefined {
  return ev.subject.kind === 'Ingress' ? ev.get<V1Ingress>(ev.subject) : undefined;
}

function namesListed(ev: Evidence, list: 'serviceNames' | 'secretNames'): string[] | undefined {
  return ev.listed<KubeObject>(list)?.map((o) => o.metadata?.name ?? '');
}

/** The Ingress routes to a Service (or a port of it) that does not exist. */
export const ingressBackendMissing: DiagnosisRule = {
  id: 'ingress-backend-missing',
  failureClass: 'Ingress backend Service (or port) missing',
  needs: ['services'],
  detect(ev) {
    const ingress = subjectIngress(ev);
    if (ingress === undefined) return [];
    const namespace = ev.subject.namespace ?? '';
    for (const backend of ingressBackends(ingress)) {
      const ref = { kind: 'Service', namespace, name: backend.service };
      const route = `${backend.host}${backend.path === '(default backend)' ? ' (default backend)' : backend.path}`;
      if (ev.lookup(ref) === 'missing') {
        const names = namesListed(ev, 'serviceNames');
        return [
          {
            rule: this.id,
            about: ev.subject,
            cause: `Ingress ${ev.subject.name} routes ${route} to Service ${backend.service}, which does not exist in ${namespace}: the controller answers 503`,
            facts: names === undefined ? [] : [`Services that exist in ${namespace} — ${names.join(', ') || 'none'}`],
            fix: `point the backend at the right Service (${names?.find((n) => n.replace(/-/g, '') === backend.service.replace(/-/g, '')) ?? 'an existing one'}) or create ${backend.service}`,
          },
        ];
      }
      const service = ev.get<V1Service>(ref);
      const ports = service?.spec?.ports ?? [];
      if (service !== undefined && backend.port !== undefined && !ports.some((p) => p.port === backend.port || p.name === backend.port)) {
        return [
          {
            rule: this.id,
            about: ev.subject,
            cause: `Ingress ${ev.subject.name} routes ${route} to port ${backend.port} of Service ${backend.service}, which has no such port (it has ${ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ''}`).join(', ')})`,
            facts: [],
            fix: `use one of the Service's ports in the Ingress backend`,
          },
        ];
      }
    }
    return [];
  },
};

/** A TLS section names a Secret that does not exist: the controller serves its default certificate. */
export const ingressTlsSecretMissing: DiagnosisRule = {
  id: 'ingress-tls-secret-missing',
  failureClass: 'Ingress TLS Secret missing',
  needs: ['secrets'],
  detect(ev) {
    const ingress = subjectIngress(ev);
    if (ingress === undefined) return [];
    const namespace = ev.subject.namespace ?? '';
    const missing = (ingress.spec?.tls ?? []).find(
      (t) => t.secretName !== undefined && ev.lookup({ kind: 'Secret', namespace, name: t.secretName }) === 'missing',
    );
    if (missing === undefined) return [];
    const names = namesListed(ev, 'secretNames');
    const events = ev.eventsOf(ev.subject).filter((e) => e.type === 'Warning');
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Ingress ${ev.subject.name} serves TLS for ${(missing.hosts ?? []).join(', ') || 'its hosts'} from Secret ${missing.secretName ?? ''}, which does not exist: the controller falls back to its default certificate`,
        facts: [
          ...(names === undefined ? [] : [`Secrets that exist in ${namespace} — ${names.join(', ') || 'none'}`]),
          ...events.slice(0, 1).map((e) => eventFact(e, ev.now)),
        ],
        fix: `create the TLS Secret ${missing.secretName ?? ''} (or let cert-manager issue it), or point tls.secretName at the existing one`,
      },
    ];
  },
};

/** The Ingress names a class no controller serves: nothing picks it up, it gets no address. */
export const ingressClassMissing: DiagnosisRule = {
  id: 'ingress-class-missing',
  failureClass: 'IngressClass missing (no controller serves the Ingress)',
  needs: ['ingresses'],
  detect(ev) {
    const ingress = subjectIngress(ev);
    if (ingress === undefined) return [];
    const className = ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.['kubernetes.io/ingress.class'];
    const classes = ev.listed<V1IngressClass>('ingressClasses');
    const addresses = (ingress.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((a) => a !== '');
    const classList =
      classes === undefined
        ? []
        : [`IngressClasses: ${classes.map((c) => `${c.metadata?.name ?? ''} (${c.spec?.controller ?? '?'})`).join(', ') || 'none'}`];
    const addressFact = `status: ${addresses.length === 0 ? 'no address (no controller has admitted it)' : `address ${addresses.join(', ')}`}`;
    if (className !== undefined && ev.lookup({ kind: 'IngressClass', name: className }) === 'missing') {
      return [
        {
          rule: this.id,
          about: ev.subject,
          cause: `Ingress ${ev.subject.name} names IngressClass ${className}, which does not exist: no controller serves it, so it has ${addresses.length === 0 ? 'no address' : 'a stale address'}`,
          facts: [...classList, addressFact],
          fix: `set ingressClassName to a class that exists${classes?.[0]?.metadata?.name ? ` (e.g. ${classes[0].metadata.name})` : ''}, or install the controller for ${className}`,
        },
      ];
    }
    const defaultClass = classes?.find((c) => c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    if (className === undefined && classes !== undefined && defaultClass === undefined && addresses.length === 0) {
      return [
        {
          rule: this.id,
          about: ev.subject,
          cause: `Ingress ${ev.subject.name} names no IngressClass and the cluster has no default one: no controller serves it`,
          facts: [...classList, addressFact],
          fix: 'set spec.ingressClassName, or mark one IngressClass as the default',
        },
      ];
    }
    return [];
  },
};

export const networkRules: DiagnosisRule[] = [
  serviceNoReadyEndpoints,
  serviceSelectorNoMatch,
  ingressBackendMissing,
  ingressClassMissing,
  ingressTlsSecretMissing,
  networkPolicyBlocksIngress,
  serviceTargetPortMismatch,
];
