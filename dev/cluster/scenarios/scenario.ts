import type { Obj } from './build.ts';

/** Logs of one container of a scenario, served by the fake kubelet. */
export interface ScenarioLog {
  namespace: string;
  pod: string;
  container: string;
  current?: string;
  previous?: string;
}

/**
 * One failure class, seeded as the cluster would show it: objects with their statuses, the events the
 * components recorded, and container logs. `verdict` and `facts` say what a correct diagnosis states.
 */
export interface Scenario {
  /** The diagnosis rule whose finding must be the verdict (the failure class). */
  rule: string;
  /** The scenario's own namespace, created before its objects; absent for cluster-scoped scenarios. */
  namespace?: string;
  /** In creation order: owners before what they own, events last. */
  objects: Obj[];
  logs?: ScenarioLog[];
  /** What a user would complain about. */
  subject: { kind: string; namespace?: string; name: string };
  /** The verdict line names the root cause: every pattern must match it. */
  verdict: RegExp[];
  /** The facts that prove it: every pattern must match the diagnosis text. */
  facts: RegExp[];
  /** How an on-call engineer would ask, for the eval suite. */
  question: string;
  /** Delete the namespace after seeding: with no namespace controller it stays Terminating. */
  deleteNamespace?: boolean;
}
