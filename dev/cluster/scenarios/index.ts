import type { Obj } from './build.ts';
import { batchScenarios } from './batch-scenarios.ts';
import { crashScenarios } from './crash-scenarios.ts';
import { imageConfigScenarios } from './image-config-scenarios.ts';
import { networkScenarios } from './network-scenarios.ts';
import { nodeScenarios, SCENARIO_NODES } from './node-scenarios.ts';
import type { Scenario } from './scenario.ts';
import { schedulingScenarios } from './scheduling-scenarios.ts';

export type { Scenario } from './scenario.ts';
export { SCENARIO_NODES } from './node-scenarios.ts';
export { STUCK_NAMESPACE_STATUS } from './batch-scenarios.ts';

/** Every diagnosis scenario: one failure class each, in its own namespace (`triage-*`, after the fixtures' names). */
export const SCENARIOS: Scenario[] = [
  ...crashScenarios,
  ...imageConfigScenarios,
  ...schedulingScenarios,
  ...nodeScenarios,
  ...networkScenarios,
  ...batchScenarios,
];

/** Cluster-scoped objects the scenarios share, created before any of them. */
export const CLUSTER_OBJECTS: Obj[] = [
  ...SCENARIO_NODES.map((n) => n.object),
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard' },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx' },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'nfs-grafana', labels: { team: 'observability' } },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      nfs: { server: 'nfs.storage.acme.internal', path: '/exports/grafana' },
    },
    status: { phase: 'Available' },
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'certificates.cert-manager.io' },
    spec: {
      group: 'cert-manager.io',
      names: {
        kind: 'Certificate',
        listKind: 'CertificateList',
        plural: 'certificates',
        singular: 'certificate',
        shortNames: ['cert', 'certs'],
        categories: ['cert-manager'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          // No status subresource: the seeded status is kept as created.
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  },
];
