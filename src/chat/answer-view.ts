import { parseHeading } from './markdown/markdown-lines.ts';
import { plainText } from './markdown/plain-text.ts';
import { previewCodeBlocks } from './preview-code-blocks.ts';
import { splitMessage } from './split-message.ts';

export { plainText };

/**
 * An answer as the worker hands it to a reply channel, whatever the platform: the Markdown the model
 * wrote, a headline and findings for channels that can show a title, the facts behind it (for a context
 * line) and links. A channel that only posts text posts `answerText(view)`.
 */
export interface AnswerView {
  /** The whole answer in Markdown (notes included, footer excluded): what a plain-text channel posts. */
  markdown: string;
  /** A one-line title in plain text, taken from the answer's first line; absent when it has none. */
  headline?: string;
  /** The Markdown after the headline's line (all of `markdown` without a headline). */
  findings: string;
  /** What the answer is based on, shown as a context line. Absent for notices and direct-mode output. */
  facts?: AnswerFacts;
  links?: AnswerLink[];
  /** A short italic line that must stay at the end even when the answer is shortened (e.g. "_direct mode…_"). */
  footnote?: string;
}

export interface AnswerFacts {
  /** The cluster the tools ran against, as the worker knows it. */
  cluster?: string;
  /** Namespaces the tools were asked about, in first-use order; `*` means all namespaces. */
  namespaces: string[];
  /** Tools used, in first-use order, each once. */
  tools: string[];
  steps: number;
  /** Input + output tokens of the answer. */
  tokens: number;
}

export interface AnswerLink {
  label: string;
  url: string;
}

/** Title length a header can show (Slack's header block allows 150 characters). */
const HEADLINE_CHARS = 150;
/** Lines that are structure, not a sentence: lists, quotes, tables, code fences, rules. */
const NOT_A_TITLE = /^\s*(?:[-*+]\s|\d+[.)]\s|>|\||`{3}|~{3}|[-*_]{3,}\s*$)/;
const FOOTNOTE = /\n\n(_[^\n_][^\n]*_)\s*$/;

/**
 * A view of plain Markdown (a notice, a direct-mode result): no facts. The first line becomes a headline
 * only when it is a Markdown heading, so short notices stay one section.
 */
export function markdownView(markdown: string, facts?: AnswerFacts): AnswerView {
  const footnote = FOOTNOTE.exec(markdown)?.[1];
  const body = footnote === undefined ? markdown : markdown.slice(0, markdown.length - footnote.length).trimEnd();
  const { headline, findings } = splitHeadline(body, { headingsOnly: true });
  return {
    markdown: body,
    ...(headline === undefined ? {} : { headline }),
    findings,
    ...(facts === undefined ? {} : { facts }),
    ...(footnote === undefined ? {} : { footnote }),
  };
}

/**
 * The headline is the first line when it is a heading, or a one-line first paragraph followed by more
 * text and not ending in a colon (a one-sentence answer stays a sentence, with its formatting).
 */
export function splitHeadline(markdown: string, { headingsOnly = false } = {}): { headline?: string; findings: string } {
  const text = markdown.replace(/^\s*\n/, '');
  const newline = text.indexOf('\n');
  const first = newline === -1 ? text : text.slice(0, newline);
  const rest = newline === -1 ? '' : text.slice(newline + 1);
  const heading = parseHeading(first, { minHashes: 1, maxHashes: 6, textRequired: 'non-empty' });
  // "Here is what I found:" introduces what follows; it is not a title.
  const paragraphTitle =
    heading === undefined && !headingsOnly && /^\s*\n/.test(rest) && rest.trim() !== '' && !NOT_A_TITLE.test(first) && !/:\s*$/.test(first)
      ? first
      : undefined;
  const title = heading ?? paragraphTitle;
  if (title === undefined) return { findings: markdown };
  const plain = plainText(title);
  if (plain === '' || plain.length > HEADLINE_CHARS) return { findings: markdown };
  return { headline: plain, findings: rest.replace(/^\s*\n/, '') };
}

/** The context line's facts as text, e.g. `cluster: prod · namespace: shop · tools: pods_list · 2 steps · 1,234 tokens`. */
export function factsText(facts: AnswerFacts): string {
  const parts: string[] = [];
  if (facts.cluster !== undefined && facts.cluster !== '') parts.push(`cluster: ${facts.cluster}`);
  if (facts.namespaces.length > 0)
    parts.push(`${facts.namespaces.length === 1 ? 'namespace' : 'namespaces'}: ${facts.namespaces.map(namespaceName).join(', ')}`);
  parts.push(facts.tools.length > 0 ? `tools: ${facts.tools.join(', ')}` : 'no tools used');
  parts.push(`${facts.steps} step${facts.steps === 1 ? '' : 's'}`);
  parts.push(`${facts.tokens.toLocaleString('en-US')} tokens`);
  return parts.join(' · ');
}

export const namespaceName = (namespace: string) => (namespace === '*' ? 'all namespaces' : namespace);

/** The answer as one Markdown text: body, links, footnote, and the facts as an italic context line. */
export function answerText(view: AnswerView): string {
  const parts = [view.markdown];
  if (view.links !== undefined && view.links.length > 0) parts.push(view.links.map((l) => `[${l.label}](${l.url})`).join(' · '));
  if (view.footnote !== undefined) parts.push(view.footnote);
  if (view.facts !== undefined) parts.push(`_${factsText(view.facts)}_`);
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}

export interface ShortenLimits {
  /** Findings longer than this (Markdown characters) are cut at a paragraph and the rest goes to the file. */
  maxChars: number;
  /** A code block longer than this many lines keeps its first `previewLines`; the rest goes to the file. */
  maxCodeLines: number;
  previewLines: number;
}

export const defaultShortenLimits: ShortenLimits = { maxChars: 2_800, maxCodeLines: 30, previewLines: 12 };

/** The note that replaces what was moved to the attached file. */
export const attachedNote = (filename: string) => `_… the full answer is in the attached file \`${filename}\`._`;

/**
 * A short version of a long answer, to post with the full text attached as a file: long code blocks keep a
 * preview, then long findings are cut at a paragraph. Undefined when the answer is short enough as it is.
 */
export function shortenAnswer(view: AnswerView, filename: string, limits: ShortenLimits = defaultShortenLimits): AnswerView | undefined {
  const previewed = previewCodeBlocks(view.findings, limits);
  const long = previewed.length > limits.maxChars;
  if (!long && previewed === view.findings) return undefined;
  const budget = Math.max(64, limits.maxChars - 80);
  const cut = long ? (splitMessage(previewed, budget, { maxChunks: 1 })[0] ?? '') : previewed;
  const findings = `${cut.trimEnd()}\n\n${attachedNote(filename)}`;
  const head = view.headline === undefined ? '' : `${markdownHeadlineOf(view)}\n\n`;
  return { ...view, findings, markdown: `${head}${findings}` };
}

/** The headline's source line as the model wrote it (so the short text reads like the original). */
function markdownHeadlineOf(view: AnswerView): string {
  // The findings end the Markdown (splitHeadline keeps the rest as it is): no need to search for them.
  const index = view.markdown.endsWith(view.findings)
    ? view.markdown.length - view.findings.length
    : view.markdown.lastIndexOf(view.findings);
  const head = index > 0 ? view.markdown.slice(0, index).trim() : '';
  return head === '' ? `*${view.headline ?? ''}*` : head;
}
