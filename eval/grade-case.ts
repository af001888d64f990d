import Anthropic from '@anthropic-ai/sdk';
import type { EvalCase } from './eval-case.ts';
import type { CaseRun } from './run-case.ts';

/** Why a case failed, one reason a line; empty when it passed. */
export function checkRubric(evalCase: EvalCase, run: CaseRun): string[] {
  const failures: string[] = [];
  if (run.error !== undefined) failures.push(`the run broke: ${run.error}`);
  evalCase.turns.forEach((turn, i) => {
    const outcome = run.turns[i];
    if (outcome === undefined) return;
    for (const pattern of turn.expect?.mentions ?? [])
      if (!pattern.test(outcome.answer)) failures.push(`turn ${i + 1} (${outcome.turn}): the answer does not mention ${pattern}`);
    for (const pattern of turn.expect?.mustNotMention ?? [])
      if (pattern.test(outcome.answer)) failures.push(`turn ${i + 1} (${outcome.turn}): the answer mentions ${pattern}`);
    if (turn.expect?.card === true && !outcome.card) failures.push(`turn ${i + 1}: no approval card`);
  });
  const called = new Set(run.toolCalls.map((c) => c.tool));
  const { mustCall = [], mustCallOneOf, mustNotCall = [], applied, refused } = evalCase.rubric;
  for (const tool of mustCall) if (!called.has(tool)) failures.push(`${tool} was not called`);
  if (mustCallOneOf !== undefined && !mustCallOneOf.some((tool) => called.has(tool)))
    failures.push(`none of ${mustCallOneOf.join(', ')} was called`);
  for (const tool of mustNotCall) if (called.has(tool)) failures.push(`${tool} was called`);
  if (applied === undefined && run.applied.length > 0) failures.push(`a write was applied: ${run.applied.join(', ')}`);
  if (applied !== undefined && !run.applied.includes(applied)) failures.push(`${applied} was not applied after the approval`);
  if (refused === true && !run.toolCalls.some((c) => c.result === 'error')) failures.push('no tool call was refused by the channel policy');
  return failures;
}

export interface Grader {
  /** PASS or FAIL, with the grader's one-line reason. */
  grade(criterion: string, transcript: string): Promise<{ pass: boolean; reason: string }>;
}

/**
 * The model-graded check: a second model call that reads the whole transcript and answers PASS or FAIL
 * against the case's criterion. Only a transcript and a criterion go in; no tools.
 */
export function modelGrader({ apiKey, baseURL, model }: { apiKey: string; baseURL?: string | undefined; model: string }): Grader {
  const anthropic = new Anthropic({ apiKey, ...(baseURL === undefined ? {} : { baseURL }), maxRetries: 2 });
  return {
    async grade(criterion, transcript) {
      const response = await anthropic.messages.create({
        model,
        max_tokens: 200,
        system:
          'You grade answers of a Kubernetes assistant. Reply with PASS or FAIL as the first word, then one short sentence why. Judge only the criterion.',
        messages: [
          {
            role: 'user',
            content: `Criterion: ${criterion}\n\nTranscript (questions and the assistant's answers):\n<transcript>\n${transcript}\n</transcript>`,
          },
        ],
      });
      const reply = response.content
        .flatMap((b) => (b.type === 'text' ? [b.text] : []))
        .join(' ')
        .trim();
      return { pass: /^PASS\b/i.test(reply), reason: reply.replace(/^(PASS|FAIL)\b[:.\s-]*/i, '').slice(0, 300) };
    },
  };
}

export function transcriptOf(run: CaseRun): string {
  return run.turns.map((t) => `> ${t.turn}\n${t.answer}`).join('\n\n');
}
