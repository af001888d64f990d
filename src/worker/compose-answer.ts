import type { AgentAnswer } from '../agent/run-agent.ts';
import type { ToolCallRecord } from '../contract/toolbox.ts';
import { parseKubectlCommand } from '../contract/kubectl/parse-kubectl-command.ts';
import { splitHeadline, type AnswerFacts, type AnswerView } from '../chat/answer-view.ts';

export interface ComposeLimits {
  maxSteps: number;
  maxAnswerTokens: number;
}

/**
 * The answer as a view: the model's text (its first line as the headline when it reads as one), a note
 * when it was cut short, and the facts for the context line (cluster, namespaces, tools, steps, tokens).
 */
export function composeAnswerView(answer: AgentAnswer, limits: ComposeLimits, cluster?: string): AnswerView {
  const lead =
    answer.outcome === 'step_limit'
      ? `I reached my step limit (${limits.maxSteps} model turns) before finishing. What I found so far:`
      : answer.outcome === 'token_budget'
        ? `I reached my token budget for one answer (${limits.maxAnswerTokens.toLocaleString('en-US')} tokens) before finishing. What I found so far:`
        : undefined;
  const text = answer.text === '' ? '_The model returned no text._' : answer.text;
  const tail = answer.outcome === 'max_tokens' ? '_(The answer was cut off at the length limit.)_' : undefined;
  // A note before the text makes the note the first thing read, so there is no headline then.
  const { headline, findings } = lead === undefined ? splitHeadline(text) : { headline: undefined, findings: text };
  const join = (...parts: (string | undefined)[]) => parts.filter((p): p is string => p !== undefined).join('\n\n');
  const facts: AnswerFacts = {
    ...(cluster === undefined ? {} : { cluster }),
    namespaces: namespacesOf(answer.toolCalls),
    tools: [...new Set(answer.toolCalls.map((c) => c.name))],
    steps: answer.steps,
    tokens: answer.usage.inputTokens + answer.usage.outputTokens,
  };
  return {
    markdown: join(lead, text, tail),
    ...(headline === undefined ? {} : { headline }),
    findings: join(lead, findings, tail),
    facts,
  };
}

/** The namespaces the tools were asked about: a `namespace` argument, or kubectl's `-n` / `-A`. */
export function namespacesOf(calls: readonly ToolCallRecord[]): string[] {
  const found = new Set<string>();
  for (const call of calls) {
    const input = typeof call.input === 'object' && call.input !== null ? (call.input as Record<string, unknown>) : {};
    if (typeof input.namespace === 'string' && input.namespace !== '') found.add(input.namespace);
    if (input.allNamespaces === true) found.add('*');
    if (typeof input.command === 'string') {
      // The kubectl tool's own parser, so the namespaces named are the ones the command really used.
      const parsed = parseKubectlCommand(input.command);
      if (parsed.ok && 'namespace' in parsed.command && parsed.command.namespace !== undefined) found.add(parsed.command.namespace);
      if (parsed.ok && 'allNamespaces' in parsed.command && parsed.command.allNamespaces) found.add('*');
    }
  }
  return [...found];
}
