/**
 * Built-in namespaced types by every spelling kubectl takes (plural, singular, short name, `.group`). A
 * type not here may be cluster-scoped (nodes, namespaces, CRDs, cluster roles …), where `-n` means
 * nothing: channel policy must treat such a command as cluster-wide without asking discovery.
 */
const NAMESPACED: ReadonlyArray<readonly [plural: string, singular: string, shortNames: readonly string[], group: string]> = [
  ['pods', 'pod', ['po'], ''],
  ['services', 'service', ['svc'], ''],
  ['configmaps', 'configmap', ['cm'], ''],
  ['secrets', 'secret', [], ''],
  ['events', 'event', ['ev'], ''],
  ['endpoints', 'endpoints', ['ep'], ''],
  ['persistentvolumeclaims', 'persistentvolumeclaim', ['pvc'], ''],
  ['serviceaccounts', 'serviceaccount', ['sa'], ''],
  ['replicationcontrollers', 'replicationcontroller', ['rc'], ''],
  ['limitranges', 'limitrange', ['limits'], ''],
  ['resourcequotas', 'resourcequota', ['quota'], ''],
  ['deployments', 'deployment', ['deploy'], 'apps'],
  ['statefulsets', 'statefulset', ['sts'], 'apps'],
  ['daemonsets', 'daemonset', ['ds'], 'apps'],
  ['replicasets', 'replicaset', ['rs'], 'apps'],
  ['controllerrevisions', 'controllerrevision', [], 'apps'],
  ['jobs', 'job', [], 'batch'],
  ['cronjobs', 'cronjob', ['cj'], 'batch'],
  ['horizontalpodautoscalers', 'horizontalpodautoscaler', ['hpa'], 'autoscaling'],
  ['poddisruptionbudgets', 'poddisruptionbudget', ['pdb'], 'policy'],
  ['ingresses', 'ingress', ['ing'], 'networking.k8s.io'],
  ['networkpolicies', 'networkpolicy', ['netpol'], 'networking.k8s.io'],
  ['endpointslices', 'endpointslice', [], 'discovery.k8s.io'],
  ['roles', 'role', [], 'rbac.authorization.k8s.io'],
  ['rolebindings', 'rolebinding', [], 'rbac.authorization.k8s.io'],
  ['leases', 'lease', [], 'coordination.k8s.io'],
];

const WORDS = new Set(
  NAMESPACED.flatMap(([plural, singular, shortNames, group]) => [
    plural,
    singular,
    ...shortNames,
    ...(group === '' ? [] : [`${plural}.${group}`]),
  ]),
);

/** Is this type word surely a built-in namespaced type? */
export function isKnownNamespacedType(word: string): boolean {
  return WORDS.has(word.toLowerCase());
}
