import { redactText } from '../mcp/redact-text.ts';
import { clip } from './recurrence-note.ts';

const FINDINGS_CHARS = 400;

/**
 * What an answer found, short enough to remember: its heading (the system prompt asks for one naming the
 * finding) and the first paragraph after it, redacted. Undefined for an empty answer.
 */
export function findingsOf(answer: string): string | undefined {
  const lines = answer.split('\n');
  const headingIndex = lines.findIndex((line) => /^\s{0,3}#{1,6}\s+\S/.test(line));
  const heading = headingIndex === -1 ? undefined : lines[headingIndex]?.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
  const rest = lines.slice(headingIndex + 1).join('\n');
  const paragraph = rest
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .find((part) => part !== '' && !/^#{1,6}\s/.test(part));
  const text = [heading, paragraph].filter((part): part is string => part !== undefined && part.trim() !== '').join(' — ');
  return text === '' ? undefined : clip(redactText(text), FINDINGS_CHARS);
}
