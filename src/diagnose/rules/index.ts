import { clusterRules } from './cluster-rules.ts';
import { configRules } from './config-rules.ts';
import { containerRules, containerWaiting, podNotReady } from './container-rules.ts';
import { imagePullFailed, imageRules } from './image-rules.ts';
import { networkRules } from './network-rules.ts';
import { nodeRules } from './node-rules.ts';
import type { DiagnosisRule } from './rule.ts';
import { schedulingRules, unschedulable } from './scheduling-rules.ts';
import { storageRules } from './storage-rules.ts';
import { workloadRules } from './workload-rules.ts';

export type { DiagnosisRule, Finding } from './rule.ts';

/**
 * Every diagnosis rule, in precedence order: what explains the subject as a whole (a quota, a failed
 * Job, a stuck rollout, a Service's selector, a node's pressure) before what explains one pod, and
 * within a pod the most specific cause (the node is down, the claim is unbound, the image is missing)
 * before the symptom it produces (a crash), and the catch-alls last. One explicit list: a new failure
 * class is a new entry here, with its scenario in dev/cluster/scenarios.
 */
export function diagnosisRules(): DiagnosisRule[] {
  return [
    ...workloadRules,
    ...clusterRules,
    ...nodeRules,
    ...networkRules,
    ...storageRules,
    ...schedulingRules,
    ...configRules,
    ...imageRules,
    ...containerRules,
    unschedulable,
    imagePullFailed,
    containerWaiting,
    podNotReady,
  ];
}
