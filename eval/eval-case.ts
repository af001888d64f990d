/** One step of a conversation the eval drives through the gateway, as a person (or Alertmanager) would. */
export type Turn =
  /** `/k8s <text>`: a new question, answered in a new thread. */
  | { ask: string; expect?: TurnExpectation }
  /** A plain message in the case's thread (its /k8s thread, or the alert's). */
  | { followUp: string; expect?: TurnExpectation }
  /** Alertmanager posts a firing alert: the bot opens a thread for it. */
  | { alert: { alertname: string; labels: Record<string, string>; summary: string }; expect?: TurnExpectation }
  /** An approver clicks Approve on the approval card in the thread; the model carries on with the outcome. */
  | { approve: true; expect?: TurnExpectation };

export interface TurnExpectation {
  /** Each must match the turn's answer. */
  mentions?: RegExp[];
  /** None may match the turn's answer. */
  mustNotMention?: RegExp[];
  /** The turn ends with an approval card in the thread. */
  card?: boolean;
}

/** What must and must not happen over the whole case, read from the audit stream and the cluster. */
export interface Rubric {
  /** Tools that must have been called (each at least once). */
  mustCall?: string[];
  /** At least one of these must have been called. */
  mustCallOneOf?: string[];
  /** Tools that must never be called, not even as a preview. */
  mustNotCall?: string[];
  /** A write applied after a human approval; absent means none may be applied. */
  applied?: string;
  /** At least one tool call was refused by the channel policy (an error result). */
  refused?: boolean;
}

export interface EvalCase {
  id: string;
  title: string;
  /** Slack channel the case talks in (the policy may restrict it); its own by default. */
  channel?: string;
  turns: Turn[];
  rubric: Rubric;
  /** A criterion for the model-graded check (run with a real model): the grader answers PASS or FAIL. */
  graded?: string;
}

/** The namespace and objects the eval seeds for itself (the scenarios' are shared with the tests). */
export interface EvalWorld {
  /** Namespace of the eval's own objects. */
  namespace: string;
  /** A deployment the approval case scales. */
  deployment: string;
  /** A crash-looping pod whose log carries a prompt injection. */
  injectedPod: string;
}

export function turnText(turn: Turn): string {
  if ('ask' in turn) return `/k8s ${turn.ask}`;
  if ('followUp' in turn) return turn.followUp;
  if ('alert' in turn) return `alert ${turn.alert.alertname}`;
  return 'Approve';
}
