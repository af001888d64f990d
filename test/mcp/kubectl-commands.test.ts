import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CHECKOUT_CRASH_LINE,
  CHECKOUT_POD,
  FRONTEND_PODS,
  FRONTEND_REPLICASET,
  LEDGER_POD,
  NOT_READY_NODE,
  PAYMENTS_API_POD,
  SECRET_CANARY,
} from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

/**
 * kubectl habits, one row each: the command, what its answer must contain, what it must never contain,
 * and whether it is refused (isError). Run through the MCP `kubectl` tool against the test cluster.
 */
interface Case {
  command: string;
  has?: (string | RegExp)[];
  hasNot?: (string | RegExp)[];
  refused?: boolean;
}

const REFUSAL = /read-only\. Allowed:/;

const CASES: Case[] = [
  // get: built-in kinds by plural, singular and short name
  { command: 'get pods -n shop', has: [CHECKOUT_POD, 'CrashLoopBackOff', FRONTEND_PODS[0]] },
  { command: 'kubectl get po -n shop', has: [CHECKOUT_POD] },
  { command: 'k get po -n shop', has: [CHECKOUT_POD] },
  { command: 'get pod checkout-7d4b9c6f5-x2x9z -n shop', has: [CHECKOUT_POD], hasNot: [FRONTEND_PODS[0]] },
  { command: `get pods/${CHECKOUT_POD} -n shop`, has: [CHECKOUT_POD] },
  { command: 'get pods -n shop -o wide', has: [CHECKOUT_POD, /node/] },
  { command: 'get pods -n shop -owide', has: [CHECKOUT_POD] },
  { command: 'get pods -n shop -o name', has: [`pod/${CHECKOUT_POD}`, `pod/${FRONTEND_PODS[1]}`] },
  { command: 'get pods -A -l app=frontend', has: [FRONTEND_PODS[0], /shop/], hasNot: [CHECKOUT_POD] },
  { command: 'get pods --all-namespaces -l "app in (payments-api)"', has: [PAYMENTS_API_POD, 'ImagePullBackOff'] },
  { command: 'get pods -n payments --field-selector spec.nodeName=node-2', has: [PAYMENTS_API_POD], hasNot: [LEDGER_POD] },
  { command: 'get deploy -n shop', has: ['checkout', 'frontend', /2\/2/] },
  { command: 'get deployments.apps frontend -n shop', has: ['frontend'], hasNot: ['checkout '] },
  { command: 'get deploy -n shop -o name', has: ['deployment.apps/frontend', 'deployment.apps/checkout'] },
  { command: 'get svc -n shop', has: ['frontend', 'ClusterIP'] },
  { command: 'get services -n payments -o wide', has: ['payments-db'] },
  { command: 'get ns', has: ['shop', 'payments'] },
  { command: 'get namespaces -o name', has: ['namespace/shop', 'namespace/payments'] },
  { command: 'get no', has: [NOT_READY_NODE, 'NotReady'] },
  { command: 'get nodes -o name', has: ['node/node-1', `node/${NOT_READY_NODE}`] },
  { command: 'get node node-3', has: [NOT_READY_NODE], hasNot: ['node-1 '] },
  { command: 'get sts -n payments', has: ['ledger'] },
  { command: 'get statefulsets -A', has: ['elasticsearch', 'triage-pending-memory'] },
  { command: 'get ds -n triage-evicted', has: ['log-shipper'] },
  { command: 'get rs -n shop', has: [FRONTEND_REPLICASET] },
  { command: 'get replicasets -n shop -o name', has: [`replicaset.apps/${FRONTEND_REPLICASET}`] },
  { command: 'get cm -n triage-ns-stuck', has: ['tenant-lock'] },
  { command: 'get ing -n triage-ingress', has: ['shop'] },
  { command: 'get pvc -n triage-pvc-pv', has: ['grafana-data'] },
  { command: 'get pv', has: ['nfs-grafana'] },
  { command: 'get sc', has: ['standard'] },
  { command: 'get ingressclasses', has: ['nginx'] },
  { command: 'get jobs -n triage-job-backoff', has: ['nightly-report'] },
  { command: 'get cj -n triage-cron', has: ['backup'] },
  { command: 'get hpa -n triage-hpa', has: ['checkout-api'] },
  { command: 'get pdb -n triage-drain', has: ['zk-pdb'] },
  { command: 'get ep -n shop', has: ['frontend'] },
  { command: 'get netpol -A', has: ['triage-netpol'] },
  { command: 'get ev -n payments', has: ['FailedScheduling'] },
  { command: 'get events -n payments --field-selector type=Warning', has: ['Warning'] },
  { command: 'get deploy,svc -n shop', has: ['deployments in namespace shop', 'services in namespace shop', 'ClusterIP'] },
  { command: 'get all -n shop', has: [CHECKOUT_POD, 'ClusterIP', FRONTEND_REPLICASET, /deployments in namespace shop/] },
  // CRDs through discovery
  { command: 'get crd', has: ['certificates.cert-manager.io'] },
  { command: 'get certificates -n triage-certs', has: ['shop-tls'] },
  { command: 'get cert -A', has: ['shop-tls', 'triage-certs'] },
  { command: 'get certificates.cert-manager.io shop-tls -n triage-certs -o yaml', has: ['kind: Certificate', 'secretName: shop-tls'] },
  { command: 'get certificate shop-tls -n triage-certs -o json', has: ['"kind": "Certificate"'] },
  // Secrets: names and key names, never values
  { command: 'get secrets -n payments', has: ['payments-db', 'password'], hasNot: [SECRET_CANARY] },
  {
    command: 'get secret payments-db -n payments -o yaml',
    has: ['keys:', 'password', 'Secret values are never returned'],
    hasNot: [SECRET_CANARY, 'stringData'],
  },
  { command: 'get secret payments-db -n payments -o json', has: ['"password"'], hasNot: [SECRET_CANARY] },
  { command: 'describe secret payments-db -n payments', has: ['password'], hasNot: [SECRET_CANARY] },
  // describe any kind
  { command: `describe pod ${CHECKOUT_POD} -n shop`, has: ['status: CrashLoopBackOff', 'BackOff'] },
  { command: 'describe po/checkout-7d4b9c6f5-x2x9z -n shop', has: ['CrashLoopBackOff'] },
  { command: 'describe deploy frontend -n shop', has: ['ready: 2/2'] },
  { command: `describe node ${NOT_READY_NODE}`, has: [`Node ${NOT_READY_NODE}`, 'Ready'] },
  { command: 'describe no node-1', has: ['Node node-1'] },
  { command: 'describe ns payments', has: ['Namespace payments'] },
  { command: 'describe sts ledger -n payments', has: ['StatefulSet payments/ledger'] },
  { command: 'describe certificate shop-tls -n triage-certs', has: ['Certificate triage-certs/shop-tls', 'order is in'] },
  { command: 'describe svc frontend -n shop', has: ['Service shop/frontend'] },
  // logs of pods and workloads
  { command: `logs ${CHECKOUT_POD} -n shop --previous`, has: [CHECKOUT_CRASH_LINE] },
  {
    command: `logs ${CHECKOUT_POD} -n shop -p -c checkout --tail 5`,
    has: ['goroutine 1 [running]', 'Last 5 log lines'],
    hasNot: [CHECKOUT_CRASH_LINE],
  },
  { command: `logs pod/${FRONTEND_PODS[0]} -n shop --tail=2`, has: [/Last 2 log lines/] },
  { command: 'logs deploy/frontend -n shop', has: [/First of 2 pods of deployment\/frontend: frontend-6d9f7c8b5-/, 'frontend listening'] },
  { command: 'logs deployment/checkout -n shop -p', has: [CHECKOUT_CRASH_LINE] },
  { command: 'logs -l app=frontend -n shop --tail 3', has: ['selector app=frontend', /Last 3 log lines/] },
  { command: `logs ${FRONTEND_PODS[0]} -n shop --since 87600h`, has: ['frontend listening'] },
  { command: `logs ${FRONTEND_PODS[0]} frontend -n shop`, has: ['frontend listening'] },
  { command: 'logs job/nightly-report -n triage-job-backoff', has: [/pods? of job\/nightly-report: nightly-report-/] },
  { command: 'logs rs/frontend-6d9f7c8b5 -n shop', has: [/of replicaset\/frontend-6d9f7c8b5/] },
  { command: 'logs deploy/no-such -n shop', refused: true, has: ['not found'] },
  // events, rollout, top, discovery, contexts
  { command: 'events -n payments', has: ['FailedScheduling'] },
  { command: `events -n shop --for pod/${CHECKOUT_POD}`, has: ['BackOff'], hasNot: ['FailedScheduling'] },
  { command: 'events -n payments --types Warning', has: ['Warning'], hasNot: [/\bNormal\b/] },
  { command: 'events -A --for certificate/shop-tls', has: ['order is in'] },
  { command: 'rollout status deploy/frontend -n shop', has: ['frontend'] },
  { command: 'rollout history deployment/frontend -n shop', has: [FRONTEND_REPLICASET] },
  { command: 'top pods -n shop', refused: true, has: ['metrics API (metrics.k8s.io) is not available'] },
  { command: 'top nodes', refused: true, has: ['metrics-server is not installed'] },
  { command: 'api-resources', has: ['deploy', 'certificates', 'cert-manager.io/v1'] },
  { command: 'cluster-info', has: [/Kubernetes v1\./] },
  { command: 'config current-context', has: ['kubeconfig context'] },
  { command: 'config get-contexts', has: ['kubeconfig context'] },
  // never a mutation; nothing unreadable
  { command: 'delete pod x -n shop', refused: true, has: ['kubectl delete is not allowed', REFUSAL] },
  { command: 'k apply -f x.yaml', refused: true, has: ['kubectl apply is not allowed'] },
  { command: 'scale deploy frontend --replicas=0 -n shop', refused: true, has: ['kubectl scale is not allowed'] },
  { command: 'edit deploy frontend -n shop', refused: true, has: ['not allowed'] },
  { command: 'exec -it checkout -- sh', refused: true, has: ['kubectl exec is not allowed'] },
  { command: 'rollout restart deploy/frontend -n shop', refused: true, has: ['only rollout status and rollout history'] },
  { command: 'config use-context prod', refused: true, has: ['only config current-context and config get-contexts'] },
  { command: 'config view', refused: true, has: ['not allowed'] },
  { command: 'get pods -w -n shop', refused: true, has: ['cannot stream'] },
  { command: 'logs -f deploy/frontend -n shop', refused: true, has: ['cannot stream'] },
  { command: 'get pods -o yaml', refused: true, has: ['-o yaml needs one object'] },
  { command: 'get pods --as=admin', refused: true, has: ['flag --as is not supported'] },
  { command: 'get widgets', refused: true, has: ['serves no resource type "widgets"'] },
  { command: 'get pods -n shop | grep checkout', refused: true, has: ['shell operator'] },
];

describe('kubectl tool: common kubectl commands against the test cluster', () => {
  let mcp: TestMcpServer;
  let client: Client;
  const outputs: string[] = [];
  const call = recordingCall(() => client, outputs);

  before(async () => {
    mcp = await startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath });
    client = await mcp.connect();
  });
  after(() => mcp.stop());

  it(`has at least 50 commands in its table (${CASES.length})`, () => {
    assert.ok(CASES.length >= 50);
  });

  for (const { command, has = [], hasNot = [], refused = false } of CASES) {
    it(command, async () => {
      const result = await call('kubectl', { command });
      assert.equal(result.isError === true, refused, `${refused ? 'expected a refusal' : 'expected an answer'}:\n${result.text}`);
      for (const needle of has) {
        if (typeof needle === 'string') assert.ok(result.text.includes(needle), `missing ${JSON.stringify(needle)} in:\n${result.text}`);
        else assert.match(result.text, needle);
      }
      for (const needle of hasNot) {
        if (typeof needle === 'string')
          assert.ok(!result.text.includes(needle), `unexpected ${JSON.stringify(needle)} in:\n${result.text}`);
        else assert.doesNotMatch(result.text, needle);
      }
    });
  }

  it('no answer ever held the Secret canary', () => {
    for (const output of outputs) assert.ok(!output.includes(SECRET_CANARY));
  });
});
