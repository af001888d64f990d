/**
 * Text written to be expensive: the shapes that make backtracking patterns and nested scans blow up
 * (long runs of backticks, `*`, `_`, `~`, `<`, `>`, `|`, `[`, `](`, `a.a.a…`, nested brackets, huge tables,
 * millions of newlines, one enormous line, unclosed and alternating fences). Each generator returns
 * exactly `size` characters, so costs compare per MiB.
 */
export const MIB = 1024 * 1024;

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Lengths 1, 2, 3, …: a code span opener that no later run of the same length closes. */
function growingRuns(char: string, size: number): string {
  let text = '';
  for (let length = 1; text.length < size; length += 1) text += `${char.repeat(length)}a`;
  return text.slice(0, size);
}

export const hostileText = {
  /** The alert summary measured at 8.5 s for 6.9 KB: `x`, 600 backticks, 6,000 `a`, scaled. */
  'backticks then letters': (size: number) => {
    const ticks = Math.round((size * 600) / 6601);
    return `x${'`'.repeat(ticks)}${'a'.repeat(size - ticks - 1)}`;
  },
  'backtick runs of growing length': (size: number) => growingRuns('`', size),
  'one run of backticks': (size: number) => '`'.repeat(size),
  'backticks before a line separator': (size: number) => `${'`'.repeat(size - 1)}\u2028`,
  '*a openers': (size: number) => repeat('*a ', size),
  '**a openers': (size: number) => repeat('**a ', size),
  '***a openers': (size: number) => repeat('***a ', size),
  '__a openers': (size: number) => repeat('__a ', size),
  '~~a openers': (size: number) => repeat('~~a ', size),
  'run of *': (size: number) => '*'.repeat(size),
  'run of _': (size: number) => '_'.repeat(size),
  'run of ~': (size: number) => '~'.repeat(size),
  'run of <': (size: number) => '<'.repeat(size),
  'unclosed Slack tokens': (size: number) => repeat('<@a|', size),
  'unclosed Slack links': (size: number) => repeat('<https://a|', size),
  'unclosed mentions of the bot': (size: number) => repeat('<@U0BOT0001|', size),
  'run of >': (size: number) => '>'.repeat(size),
  'quote markers': (size: number) => repeat('> ', size),
  'run of |': (size: number) => '|'.repeat(size),
  'run of [': (size: number) => '['.repeat(size),
  'run of ](': (size: number) => repeat('](', size),
  'link without its )': (size: number) => `[a](${'b'.repeat(size - 4)}`,
  'nested brackets': (size: number) => `${'['.repeat(Math.floor(size / 2))}${']'.repeat(Math.ceil(size / 2))}`,
  'brackets and parentheses': (size: number) => repeat('[[a](', size),
  'parentheses in a link': (size: number) => `[a](${'('.repeat(size - 4)}`,
  'a.a.a': (size: number) => repeat('a.', size),
  'URL and parentheses': (size: number) => `https://a${')'.repeat(size - 9)}`,
  'URL and dots': (size: number) => `https://a${'.'.repeat(size - 9)}`,
  'bare URLs': (size: number) => repeat('https://', size),
  'heading and spaces': (size: number) => `# ${' '.repeat(size - 3)}x`,
  'line of spaces': (size: number) => `a${' '.repeat(size - 2)}x`,
  'table delimiter and spaces': (size: number) => `|a|\n-${' '.repeat(size - 7)}x|`,
  '100k-row table': (size: number) => `| a | b |\n|---|---|\n${repeat('| x | y |\n', size - 20)}`,
  'wide table': (size: number) => {
    const header = `${'|h'.repeat(2048)}|\n${'|-'.repeat(2048)}|\n`;
    return header + repeat('|x\n', size - header.length);
  },
  'million newlines': (size: number) => '\n'.repeat(size),
  'one line of words': (size: number) => repeat('abcdefgh ', size),
  'one word': (size: number) => 'a'.repeat(size),
  'unclosed code fence': (size: number) => `\`\`\`\n${repeat('a b c\n', size - 4)}`,
  'alternating fences': (size: number) => repeat('```\n```x\n', size),
  'fence lines': (size: number) => repeat('```\n', size),
  'backslash escapes': (size: number) => repeat('\\`', size),
  'mentions and links': (size: number) => repeat('<@U0ADMIN> <!channel> <https://evil.example|click> [here](https://evil.example) ', size),
  'HTML and at-mentions': (size: number) => repeat('<at>admin</at><a href="https://evil.example">x</a>', size),
} satisfies Record<string, (size: number) => string>;

export type HostileTextName = keyof typeof hostileText;
export const hostileTextNames = Object.keys(hostileText) as HostileTextName[];
