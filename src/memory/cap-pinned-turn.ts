import type Anthropic from '@anthropic-ai/sdk';
import { untrustedFenceClosing } from '../contract/fence-untrusted.ts';
import { estimateHistoryTokens } from './estimate-history-tokens.ts';

type Message = Anthropic.MessageParam;

export interface CapPinnedTurnOptions {
  /** A context turn: user/assistant messages of plain text (no tool calls). */
  messages: readonly Message[];
  /** Estimated tokens (characters / 4) the turn may take. */
  tokenBudget: number;
}

/** Ends a text that was cut, after any fence it left open is closed again. */
export const CUT_NOTE = '(cut short to fit the thread memory)';
const MAX_PASSES = 8;

/**
 * Cuts a pinned context turn to its budget, longest text first: lines are kept from the start (what an
 * alert's context leads with — group, status, first alerts — matters most), and an untrusted-data fence
 * that the cut leaves open is closed again, so cluster text never runs on into the rest of the conversation.
 */
export function capPinnedTurn({ messages, tokenBudget }: CapPinnedTurnOptions): Message[] {
  let capped = [...messages];
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const tokens = estimateHistoryTokens(capped);
    if (tokens <= tokenBudget) break;
    const longest = longestText(capped);
    if (longest === undefined || longest.text.length <= CUT_NOTE.length) break;
    // Aim a little under the proportional share: JSON escaping makes the estimate grow faster than the text.
    const maxChars = Math.min(longest.text.length - 1, Math.floor((longest.text.length * tokenBudget * 0.9) / tokens));
    capped = replaceText(capped, longest, capText(longest.text, Math.max(0, maxChars)));
  }
  return capped;
}

/**
 * The text cut to about `maxChars` at line boundaries (a line that does not fit is cut itself, unless it is a
 * fence line), with any open untrusted-data fence closed and a note that it was cut.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const kept: string[] = [];
  let used = 0;
  let closing: string | undefined;
  for (const line of text.split('\n')) {
    const opens = closing === undefined ? untrustedFenceClosing(line) : undefined;
    const openAfter = line === closing ? undefined : (closing ?? opens);
    const reserve = (openAfter === undefined ? 0 : openAfter.length + 1) + CUT_NOTE.length + 1;
    if (used + line.length + 1 + reserve > maxChars) {
      const room = maxChars - used - reserve - 2;
      if (opens === undefined && line !== closing && room > 0) kept.push(`${line.slice(0, room)}…`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
    closing = openAfter;
  }
  return [...kept, ...(closing === undefined ? [] : [closing]), CUT_NOTE].join('\n');
}

/** The message with the longest text (its text blocks joined): the one to cut next. */
function longestText(messages: readonly Message[]): { index: number; text: string } | undefined {
  let longest: { index: number; text: string } | undefined;
  messages.forEach((message, index) => {
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    if (longest === undefined || text.length > longest.text.length) longest = { index, text };
  });
  return longest;
}

/** A context turn is plain text, so a cut message becomes one string. */
function replaceText(messages: readonly Message[], at: { index: number }, text: string): Message[] {
  return messages.map((message, index) => (index === at.index ? { ...message, content: text } : message));
}
