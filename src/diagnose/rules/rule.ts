import type { Evidence, EvidenceKind } from '../evidence.ts';
import type { ObjectRef } from '../kube-object.ts';

/** What one rule found about one object: the root cause in a line, and the facts that prove it. */
export interface Finding {
  /** The rule's id: the failure class it names. */
  rule: string;
  /** The object at fault (a pod, the node, the Service, the claim...). */
  about: ObjectRef;
  /** One line: what is wrong and why. May quote cluster text (a log line, an event message). */
  cause: string;
  /** The evidence, most telling first: states, spec values, events, log lines. */
  facts: string[];
  /** The next step, when the rule can tell. */
  fix?: string;
}

/** The findings of the object rules so far, for the composite rules that explain a subject from them. */
export interface FindingsSoFar {
  of(ref: ObjectRef): Finding | undefined;
}

/**
 * One failure class as data: the evidence it needs, and a detector over that evidence. Rules never
 * call the API. Their order in the rule list is their precedence: a more specific explanation comes
 * before a more general one, and each object keeps the first finding about it.
 */
export interface DiagnosisRule {
  id: string;
  /** The failure class, as docs/diagnosis.md lists it. */
  failureClass: string;
  /** What must have been readable for the rule's silence to mean "not this": otherwise it is reported as not checked. */
  needs: EvidenceKind[];
  /** Explains the subject from the object rules' findings (a Job from its pods'); runs after them. */
  composite?: true;
  /** A catch-all for what no specific rule explains; it names a symptom, not a root cause. */
  fallback?: true;
  detect(ev: Evidence, found: FindingsSoFar): Finding[];
}
