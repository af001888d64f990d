import type { Platform } from '../queue/chat-job.ts';
import { helpText } from './help-text.ts';

/** Longest question accepted: longer ones are refused with a clear message instead of being truncated. */
export const MAX_QUESTION_CHARS = 2_000;
/** The web console's text box takes longer questions (its adapter refuses past this with a 400). */
export const CONSOLE_MAX_QUESTION_CHARS = 4_000;

export function tooLongText(length: number, limit = MAX_QUESTION_CHARS): string {
  return `That question is ${length} characters long; the limit is ${limit}. Please shorten it (paste only the relevant part of any logs).`;
}

/**
 * What to answer instead of asking the model: this surface's help for a mention without a question (or just "help"), a
 * clear refusal for a question over the limit; undefined for a real question. Adapters stay thin and enqueue
 * these too, so the answer comes from the worker like any other.
 */
export function questionNotice(text: string, platform: Platform, { ai = true }: { ai?: boolean } = {}): string | undefined {
  const question = text.trim();
  if (question === '' || question.toLowerCase() === 'help') return helpText(platform, { ai });
  const limit = platform === 'console' ? CONSOLE_MAX_QUESTION_CHARS : MAX_QUESTION_CHARS;
  if (question.length > limit) return tooLongText(question.length, limit);
  return undefined;
}
