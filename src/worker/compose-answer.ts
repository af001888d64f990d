import type { AgentAnswer } from '../agent/run-agent.ts';

/** The final Markdown: the model's answer, a note when it was cut short, and a context line. */
export function composeAnswer(answer: AgentAnswer, limits: { maxSteps: number; maxAnswerTokens: number }): string {
  const parts: string[] = [];
  if (answer.outcome === 'step_limit') {
    parts.push(`I reached my step limit (${limits.maxSteps} model turns) before finishing. What I found so far:`);
  }
  if (answer.outcome === 'token_budget') {
    parts.push(`I reached my token budget for one answer (${limits.maxAnswerTokens.toLocaleString('en-US')} tokens) before finishing. What I found so far:`);
  }
  parts.push(answer.text === '' ? '_The model returned no text._' : answer.text);
  if (answer.outcome === 'max_tokens') parts.push('_(The answer was cut off at the length limit.)_');
  const tools = [...new Set(answer.toolCalls.map((c) => c.name))];
  const tokens = answer.usage.inputTokens + answer.usage.outputTokens;
  const context = [
    tools.length > 0 ? `tools: ${tools.join(', ')}` : 'no tools used',
    `${answer.steps} step${answer.steps === 1 ? '' : 's'}`,
    `${tokens.toLocaleString('en-US')} tokens`,
  ];
  parts.push(`_${context.join(' · ')}_`);
  return parts.join('\n\n');
}
