import { redactionMarker } from './redaction-marker.ts';

const PRIVATE_KEY = redactionMarker('private key');
/** The label between BEGIN/END and the closing dashes: "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK". */
const LABEL = /^[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?$/;
/** What a PEM body is made of, JSON's "\n" escapes and a cut-short body included. */
const isBodyChar = (c: string): boolean => /[A-Za-z0-9+/=\s\\]/.test(c);
/**
 * Three or more lines of exactly 64 base64 characters (the PEM line width), optionally closed by a shorter
 * padded line: the body of a key whose BEGIN line was cut off by a log tail and whose END is cut too.
 */
const BODY_LINES =
  /^[ \t]*[A-Za-z0-9+/]{64}[ \t]*(?:\r?\n[ \t]*[A-Za-z0-9+/]{64}[ \t]*){2,}(?:\r?\n[ \t]*[A-Za-z0-9+/]{1,63}={0,2}[ \t]*$)?/gm;

/**
 * Replaces private keys in PEM form: BEGIN to END, a key cut short after BEGIN, a body whose BEGIN line was
 * cut (lines before an END line), and bare runs of PEM body lines. One scan per marker kind: linear time
 * even for thousands of BEGIN lines with no END.
 */
export function redactPrivateKeys(text: string): string {
  if (!text.includes('-----') && text.length < 64 * 3) return text;
  return redactBodyLines(redactHeadless(redactFromBegin(text)));
}

/** BEGIN … END, or BEGIN and the body that follows when the END was cut. */
function redactFromBegin(text: string): string {
  let out = '';
  let from = 0;
  /** Labels whose END does not occur after the position recorded: never search for them again before it. */
  const noEndAfter = new Map<string, number>();
  for (let at = text.indexOf('-----BEGIN ', from); at !== -1; at = text.indexOf('-----BEGIN ', from)) {
    const labelEnd = text.indexOf('-----', at + 11);
    const label = labelEnd === -1 || labelEnd - at > 64 ? '' : text.slice(at + 11, labelEnd);
    if (!LABEL.test(label)) {
      out += text.slice(from, at + 11);
      from = at + 11;
      continue;
    }
    const bodyStart = labelEnd + 5;
    const endMarker = `-----END ${label}-----`;
    let end = -1;
    if ((noEndAfter.get(label) ?? -1) < bodyStart) {
      end = text.indexOf(endMarker, bodyStart);
      if (end === -1) noEndAfter.set(label, text.length);
    }
    let stop: number;
    if (end !== -1) stop = end + endMarker.length;
    else {
      stop = bodyStart;
      while (stop < text.length && isBodyChar(text[stop] ?? '')) stop++;
    }
    out += text.slice(from, at) + PRIVATE_KEY;
    from = stop;
  }
  return out + text.slice(from);
}

/** An END line with base64 lines before it but no BEGIN (cut off above): those lines and the END go. */
function redactHeadless(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('-----END ', from); at !== -1; at = text.indexOf('-----END ', at + 9)) {
    const labelEnd = text.indexOf('-----', at + 9);
    const label = labelEnd === -1 || labelEnd - at > 64 ? '' : text.slice(at + 9, labelEnd);
    if (!LABEL.test(label) || at < from) continue;
    const start = bodyLinesBefore(text, at, from);
    if (start === at) continue;
    out += text.slice(from, start) + PRIVATE_KEY;
    from = labelEnd + 5;
  }
  return out + text.slice(from);
}

/**
 * Where the run of base64 lines ending right before `at` starts (`at` when there is none). Lines end in a
 * line break or in JSON's two-character escape; each line is 16 or more base64 characters, maybe indented.
 */
function bodyLinesBefore(text: string, at: number, floor: number): number {
  let start = at;
  let cursor = at;
  for (;;) {
    let separator: number;
    if (text[cursor - 1] === '\n') separator = text[cursor - 2] === '\r' ? cursor - 2 : cursor - 1;
    else if (text[cursor - 1] === 'n' && text[cursor - 2] === '\\') separator = cursor - 2;
    else return start;
    let line = separator;
    while (line > floor && /[A-Za-z0-9+/=]/.test(text[line - 1] ?? '')) line--;
    // A JSON escape before the line: its "n" was taken for base64.
    if (text[line - 1] === '\\' && text[line] === 'n') line++;
    if (separator - line < 16) return start;
    let indent = line;
    while (indent > floor && (text[indent - 1] === ' ' || text[indent - 1] === '\t')) indent--;
    const before = text[indent - 1];
    const beginsLine = indent <= floor || before === '\n' || before === '"' || (before === 'n' && text[indent - 2] === '\\');
    if (!beginsLine) return start;
    start = line;
    cursor = indent;
  }
}

function redactBodyLines(text: string): string {
  if (text.length < 64 * 3) return text;
  return text.replace(BODY_LINES, (run) =>
    // Hex (digests listed one per line) is not a key body; base64 of a key has letters past f.
    /[g-zG-Z+/]/.test(run) ? PRIVATE_KEY : run,
  );
}
