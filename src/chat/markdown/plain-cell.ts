import { isSpaceCode } from './char-classes.ts';
import { nextIndexFinder } from './next-index.ts';

/**
 * A table cell's words for a code block, where no marks render: `<br>` becomes a space, a link becomes its
 * label and URL, bold, strike-through and code marks go. Linear: the link scan reuses its searches.
 */
export function plainCell(cell: string): string {
  if (!/[<[*_~`]/.test(cell)) return cell;
  const text = withLinksSpelledOut(cell.replace(/<br\s*\/?>/gi, ' '));
  return text.replace(/(\*\*|__|~~)(.+?)\1/g, '$2').replace(/`([^`]+)`/g, '$1');
}

/** `!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)` → `label (url)`, or the URL alone when the label is empty or the URL. */
function withLinksSpelledOut(text: string): string {
  const closeBracket = nextIndexFinder(text, (code) => code === 93);
  const urlEnd = nextIndexFinder(text, (code) => code === 41 || isSpaceCode(code));
  const closeParen = nextIndexFinder(text, (code) => code === 41);
  let out = '';
  let copied = 0;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    const labelStart = code === 91 ? at + 1 : code === 33 && text.charCodeAt(at + 1) === 91 ? at + 2 : -1;
    if (labelStart === -1) continue;
    const close = closeBracket(labelStart);
    if (text.charCodeAt(close + 1) !== 40) continue;
    const end = urlEnd(close + 2);
    if (end === close + 2) continue;
    const paren = closeParen(end);
    if (paren === text.length) continue;
    const label = text.slice(labelStart, close);
    const url = text.slice(close + 2, end);
    out += text.slice(copied, at) + (label === '' || label === url ? url : `${label} (${url})`);
    copied = paren + 1;
    at = paren;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
