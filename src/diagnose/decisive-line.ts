/**
 * How strongly a log line says "this is what went wrong": 3 a panic, fatal or an exception line
 * ("TypeError: …", "Caused by: …"), 2 a line logged at error level, 1 a warning or a failure word
 * (refused, denied, timed out, not found), 0 anything else — including the noise that follows a crash
 * (stack frames, npm's "ERR!" epilogue, goroutine dumps) which must not outrank the error itself.
 */
export function lineSeverity(line: string): number {
  const text = line.length > 2_000 ? line.slice(0, 2_000) : line;
  if (NOISE.test(text)) return 0;
  if (FATAL.test(text) || EXCEPTION.test(text)) return 3;
  if (ERROR.test(text)) return 2;
  if (WARNING.test(text)) return 1;
  return 0;
}

// Each pattern is a flat alternation of literals and bounded classes: linear on any input.
const NOISE = /^\s*(at\s|npm (ERR|error)!|goroutine \d|\.\.\. \d+ more|File "|\^+\s*$)|^\s+\S+\.(go|py|js|ts|java|rb):\d+/i;
const FATAL =
  /\bpanic:|\bfatal\b|"level":\s*(60|"fatal")|level=fatal|\bFATAL\b|\bcritical\b|\bsegmentation fault\b|\bout of memory\b|\bemergency\b/i;
const EXCEPTION = /(^|\s)(Caused by:\s*)?[A-Za-z_$][\w$.]*(Error|Exception|Fault)(:|\s*$)/;
const ERROR = /\berror\b|\bERR\b|"level":\s*(50|"error")|level=error|\bE\d{4}\s|\bexception\b/i;
const WARNING =
  /\bwarn(ing)?\b|"level":\s*(40|"warn")|\brefused\b|\bdenied\b|\bunauthori[sz]ed\b|\bforbidden\b|\btimed? ?out\b|\bno such\b|\bnot found\b|\bunreachable\b|\bcannot\b|\bcould not\b|\bunable to\b|\bfailed\b/i;

/**
 * The index of the line that best explains how a log ended: the most severe line, the latest of equals
 * (a crash's own error comes after the retries that led to it). Undefined when no line is more than
 * ordinary output: the last lines then speak for themselves.
 */
export function decisiveLine(lines: readonly string[]): number | undefined {
  let best: number | undefined;
  let bestSeverity = 0;
  for (const [index, line] of lines.entries()) {
    const severity = lineSeverity(line);
    if (severity > 0 && severity >= bestSeverity) {
      best = index;
      bestSeverity = severity;
    }
  }
  return best;
}
