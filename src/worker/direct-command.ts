/** Verbs the kubectl tool runs, plus the ones it refuses: a refused verb should get the tool's own explanation. */
const KUBECTL_VERBS = new Set([
  'get',
  'describe',
  'logs',
  'log',
  'top',
  'events',
  'rollout',
  'api-resources',
  'cluster-info',
  'version',
  'config',
  'auth',
  'proxy',
  'delete',
  'apply',
  'create',
  'edit',
  'patch',
  'replace',
  'scale',
  'exec',
  'cordon',
  'uncordon',
  'drain',
  'label',
  'annotate',
  'set',
  'run',
  'expose',
  'port-forward',
  'cp',
  'attach',
  'debug',
  'taint',
  'autoscale',
]);

/** `/k8s pods -n payments` is short for `get pods -n payments`. */
const SHORTHAND_RESOURCES = new Set([
  'po',
  'pod',
  'pods',
  'deploy',
  'deployment',
  'deployments',
  'svc',
  'service',
  'services',
  'no',
  'node',
  'nodes',
  'ns',
  'namespaces',
  'sts',
  'statefulsets',
  'ds',
  'daemonsets',
  'rs',
  'replicasets',
  'cm',
  'configmaps',
  'ing',
  'ingresses',
  'pvc',
  'pv',
  'cj',
  'cronjobs',
  'jobs',
  'hpa',
  'crd',
  'crds',
]);

/**
 * The kubectl-tool command a chat text stands for in direct mode (no model configured), or undefined when
 * the text reads as a free-form question. Only the first word decides: the tool parses the rest and
 * refuses what it does not allow, so there is one parser and one list of what is permitted.
 */
export function directCommand(text: string): string | undefined {
  const words = text.trim().split(/\s+/);
  if (words[0] === 'kubectl' || words[0] === 'k') words.shift();
  const first = words[0];
  if (first === undefined || first === '') return undefined;
  if (KUBECTL_VERBS.has(first)) return words.join(' ');
  if (SHORTHAND_RESOURCES.has(first)) return ['get', ...words].join(' ');
  return undefined;
}
