import { shownLink, type ShownLink } from './shown-link.ts';

/**
 * What a Slack `<…>` token found in untrusted text becomes. Nothing we post may ping or phish, whoever wrote
 * the text: `<!channel>`, `<!here>`, `<!everyone>` and `<!subteam^…>` become `@channel`-style words that notify
 * nobody (a zero-width space after the `@`), user and channel mentions become their name as text, a date its
 * fallback text, and a labelled link shows where it goes (shownLink).
 */
export type NeutralToken = { kind: 'text'; text: string } | ({ kind: 'link' } & ShownLink);

/** After `@`: Slack does not read `@\u200Bhere` as `@here`, and the reader sees `@here`. */
export const NO_PING = '\u200B';

export function neutralSlackToken(token: string): NeutralToken {
  const body = token.slice(1, -1);
  const bar = body.indexOf('|');
  const name = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? '' : body.slice(bar + 1).trim();
  const sigil = name.charAt(0);
  if (sigil === '@') return { kind: 'text', text: `@${NO_PING}${withoutAt(label) || name.slice(1)}` };
  if (sigil === '#') return { kind: 'text', text: `#${label || name.slice(1)}` };
  if (sigil === '!') {
    if (name.startsWith('!date^')) return { kind: 'text', text: label || name.slice(1) };
    const group = name.startsWith('!subteam^') ? 'group' : name.slice(1);
    return { kind: 'text', text: `@${NO_PING}${withoutAt(label) || group}` };
  }
  const link = shownLink(name, label);
  return link === undefined ? { kind: 'text', text: label === '' ? name : `${label} (${name})` } : { kind: 'link', ...link };
}

const withoutAt = (label: string) => label.replace(/^@/, '');
