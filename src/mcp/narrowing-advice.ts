import type { ToolInputShape } from './tool-definition.ts';

/** Arguments that ask for less, in the order worth trying, with what to say about each. */
const NARROWING: [argument: string, advice: string][] = [
  ['namespace', 'namespace'],
  ['labelSelector', 'labelSelector (e.g. "app=checkout")'],
  ['fieldSelector', 'fieldSelector (e.g. "status.phase!=Running")'],
  ['name', 'name'],
  ['kind', 'kind'],
  ['type', 'type (e.g. "Warning")'],
  ['since', 'since (e.g. "15m")'],
  ['grep', 'grep'],
  ['container', 'container'],
  ['tail', 'a smaller tail'],
  ['limit', 'a smaller limit'],
];

/** How to ask a tool for less, from the arguments its schema offers. */
export function narrowingAdvice(inputSchema: ToolInputShape): string {
  const offered = NARROWING.filter(([argument]) => argument in inputSchema).map(([, advice]) => advice);
  if (offered.length === 0) return 'a more specific tool (one object by name)';
  return offered.length === 1 ? (offered[0] ?? '') : `${offered.slice(0, -1).join(', ')} or ${offered.at(-1) ?? ''}`;
}
