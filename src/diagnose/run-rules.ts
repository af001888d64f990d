import type { EvidenceKind, Evidence } from './evidence.ts';
import { refKey } from './kube-object.ts';
import type { DiagnosisRule, Finding } from './rules/rule.ts';

export interface RuleOutcome {
  /** Every finding, in rule precedence: the first is the verdict. */
  findings: Finding[];
  /** Rules that found nothing while evidence they need could not be read, with why. */
  notChecked: { rule: string; gaps: string[] }[];
}

/**
 * Runs the rules over the evidence: the object rules first (each object keeps the first finding about
 * it), then the composite ones, which see those findings. Findings come back in the rules' order.
 */
export function runRules(ev: Evidence, rules: readonly DiagnosisRule[]): RuleOutcome {
  const byObject = new Map<string, Finding>();
  const produced = new Map<DiagnosisRule, Finding[]>();
  const found = { of: (ref: { kind: string; namespace?: string | undefined; name: string }) => byObject.get(refKey(ref)) };
  const run = (rule: DiagnosisRule) => {
    const kept: Finding[] = [];
    for (const finding of rule.detect(ev, found)) {
      const key = refKey(finding.about);
      if (byObject.has(key)) continue;
      byObject.set(key, finding);
      kept.push(finding);
    }
    produced.set(rule, kept);
  };
  for (const rule of rules) if (rule.composite !== true) run(rule);
  for (const rule of rules) if (rule.composite === true) run(rule);
  const findings = rules.flatMap((rule) => produced.get(rule) ?? []);
  const notChecked = rules.flatMap((rule) => {
    const gaps = rule.needs.filter((kind: EvidenceKind) => ev.gaps.has(kind)).map((kind) => `${kind}: ${ev.gaps.get(kind) ?? ''}`);
    return gaps.length === 0 || (produced.get(rule) ?? []).length > 0 ? [] : [{ rule: rule.id, gaps }];
  });
  return { findings, notChecked };
}
