import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/web-api';
import { answerText, factsText, namespaceName, type AnswerView } from '../../../src/chat/answer-view.ts';
import { splitMessage } from '../../../src/chat/split-message.ts';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.ts';

/** Slack's Block Kit limits (chat.postMessage / chat.update refuse more with `invalid_blocks`). */
export const SLACK_BLOCK_LIMITS = { blocks: 50, sectionChars: 3_000, headerChars: 150, contextElements: 10 } as const;

/** Room under the section limit for a re-opened code fence and the truncation note. */
const SECTION_BUDGET = 2_900;
const FACT_CHARS = 300;
/** The fallback text's body; Slack refuses text over 40,000 characters. */
const FALLBACK_CHARS = 12_000;

/**
 * An answer as Block Kit: a header with the headline, the findings in sections (code blocks and tables
 * stay code blocks, cut so that each section renders on its own), the links, the footnote, and a context
 * line with the cluster, namespaces, tools and tokens. Always within Slack's limits.
 */
export function answerBlocks(view: AnswerView): KnownBlock[] {
  const head: KnownBlock[] = [];
  if (view.headline !== undefined && view.headline.trim() !== '') {
    head.push({
      type: 'header',
      text: { type: 'plain_text', text: clip(view.headline.trim(), SLACK_BLOCK_LIMITS.headerChars), emoji: true },
    });
  }
  const tail: KnownBlock[] = [];
  if (view.links !== undefined && view.links.length > 0) {
    tail.push(section(clip(view.links.map((l) => `<${l.url}|${escapeLabel(l.label)}>`).join('  ·  '), SECTION_BUDGET)));
  }
  const context = contextBlock(view);
  if (context !== undefined) tail.push(context);
  const room = SLACK_BLOCK_LIMITS.blocks - head.length - tail.length;
  // One chunk past the room is enough to know the rest is left out.
  const body = view.findings.trim() === '' ? [] : splitMessage(markdownToMrkdwn(view.findings), SECTION_BUDGET, { maxChunks: room + 1 });
  const footnote = view.footnote === undefined ? [] : [markdownToMrkdwn(view.footnote)];
  const sections = fitSections([...body, ...footnote], room);
  // A header alone would leave nothing to read when the findings are empty and there is no context.
  if (sections.length === 0 && tail.length === 0 && head.length === 0) sections.push('_(no answer text)_');
  return [...head, ...sections.map(section), ...tail];
}

/**
 * The `text` sent with the blocks: notifications, screen readers and clients without Block Kit show it.
 * A very long answer is cut (at a paragraph, fences closed) before its context line, under Slack's 40,000.
 */
export function answerFallbackText(view: AnswerView): string {
  const { facts, ...rest } = view;
  const body = markdownToMrkdwn(answerText(rest));
  const clipped = body.length <= FALLBACK_CHARS ? body : `${splitMessage(body, FALLBACK_CHARS, { maxChunks: 1 })[0] ?? ''}\n…`;
  const footer = facts === undefined ? '' : markdownToMrkdwn(`_${factsText(facts)}_`);
  return [clipped, footer].filter((part) => part.trim() !== '').join('\n\n');
}

/** The context line, one element per fact so Slack lays them out with spacing. */
function contextBlock(view: AnswerView): ContextBlock | undefined {
  const facts = view.facts;
  if (facts === undefined) return undefined;
  const elements: string[] = [];
  if (facts.cluster !== undefined && facts.cluster !== '') elements.push(`:globe_with_meridians: cluster \`${escapeCode(facts.cluster)}\``);
  if (facts.namespaces.length > 0) {
    const label = facts.namespaces.length === 1 ? 'namespace' : 'namespaces';
    elements.push(
      `:file_folder: ${label} ${facts.namespaces.map((n) => (n === '*' ? namespaceName(n) : `\`${escapeCode(n)}\``)).join(', ')}`,
    );
  }
  elements.push(
    facts.tools.length > 0
      ? `:hammer_and_wrench: tools ${facts.tools.map((t) => `\`${escapeCode(t)}\``).join(', ')}`
      : ':hammer_and_wrench: no tools used',
  );
  elements.push(`:abacus: ${facts.steps} step${facts.steps === 1 ? '' : 's'} · ${facts.tokens.toLocaleString('en-US')} tokens`);
  return {
    type: 'context',
    elements: elements
      .slice(0, SLACK_BLOCK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: clip(text, FACT_CHARS) })),
  };
}

/** At most `room` sections; past it the last one says the rest was left out (the channel attaches it as a file). */
function fitSections(sections: string[], room: number): string[] {
  if (sections.length <= room) return sections;
  const kept = sections.slice(0, Math.max(0, room - 1));
  kept.push('_… (too long for one message; the rest was left out)_');
  return kept;
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_BLOCK_LIMITS.sectionChars) } };
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Never leave half a surrogate pair.
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

function escapeLabel(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '¦');
}

function escapeCode(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', "'");
}
