import { tokenSafeEnd } from '../kube/clip-text.ts';
import { isUntrusted } from './result-parts.ts';
import type { ResultPart } from './tool-definition.ts';

export interface WindowedParts {
  parts: ResultPart[];
  /** Lines left out past the window (a line cut in the middle counts as left out). */
  omittedLines: number;
}

/**
 * The head of a result's parts, at most `maxChars` characters in all: the most the output budget can show,
 * with a margin, so redaction and fencing never work on megabytes to produce a page. The cut falls at a line
 * boundary, or, inside a line longer than the window, where a token ends (the partial token goes too): a
 * credential straddling the cut is never half-shown to a redactor that could no longer recognise it.
 */
export function windowResultParts({ parts, maxChars }: { parts: readonly ResultPart[]; maxChars: number }): WindowedParts {
  const kept: ResultPart[] = [];
  let room = maxChars;
  let omittedLines = 0;
  for (const part of parts) {
    const text = isUntrusted(part) ? part.untrusted : part.own;
    if (room <= 0) {
      omittedLines += countLines(text, 0);
      continue;
    }
    if (text.length <= room) {
      kept.push(part);
      room -= text.length + 1;
      continue;
    }
    // At a line break, unless that would waste most of the room on one long line: then inside it.
    const lineCut = text.lastIndexOf('\n', room);
    const tokenCut = lineCut >= room / 2 ? -1 : tokenSafeEnd(text, room);
    const atLine = tokenCut <= lineCut;
    const cut = atLine ? lineCut : tokenCut;
    // The line cut in the middle counts as left out, and so does every line after the cut.
    omittedLines += countLines(text, atLine ? cut + 1 : cut);
    const head = text.slice(0, Math.max(0, cut));
    if (head !== '') kept.push(isUntrusted(part) ? { ...part, untrusted: head } : { own: head });
    room = 0;
  }
  return { parts: kept, omittedLines };
}

/** Lines of text from `from` on (a final line break ends the last line, it does not start another). */
function countLines(text: string, from: number): number {
  if (from >= text.length) return 0;
  let lines = text.endsWith('\n') ? 0 : 1;
  for (let at = text.indexOf('\n', from); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
