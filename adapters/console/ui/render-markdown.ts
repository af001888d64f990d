import { el } from './dom.ts';
import { markdownBlocks, type Block, type Inline } from './markdown-blocks.ts';

/** Renders an answer's Markdown into `target` as elements; text only ever goes in through textContent. */
export function renderMarkdown(target: HTMLElement, text: string): void {
  for (const block of markdownBlocks(text)) {
    if (block.kind === 'paragraph') {
      const p = el('p');
      if (block.emphasis) {
        const em = el('em');
        appendInlines(em, block.inlines);
        p.append(em);
      } else appendInlines(p, block.inlines);
      target.append(p);
    } else if (block.kind === 'heading') {
      const h = el(`h${block.level}`);
      appendInlines(h, block.inlines);
      target.append(h);
    } else if (block.kind === 'list') {
      const list = el(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) {
        const li = el('li');
        appendInlines(li, item);
        list.append(li);
      }
      target.append(list);
    } else if (block.kind === 'table') target.append(renderTable(block));
    else if (block.closed) {
      const pre = el('pre');
      pre.append(el('code', block.text));
      target.append(withCopyButton(pre, block.text));
    } else target.append(el('pre', block.text));
  }
}

/** A real <table> inside a wrapper that scrolls sideways, so a wide table never widens the page. */
function renderTable({ align, head, rows }: Extract<Block, { kind: 'table' }>): HTMLElement {
  const table = el('table');
  const cell = (tag: 'th' | 'td', inlines: Inline[], column: number) => {
    const c = el(tag);
    const a = align[column];
    if (a !== undefined) c.className = `align-${a}`;
    appendInlines(c, inlines);
    return c;
  };
  const headRow = el('tr');
  headRow.append(...head.map((inlines, column) => cell('th', inlines, column)));
  table.createTHead().append(headRow);
  const body = table.createTBody();
  for (const row of rows) {
    const tr = el('tr');
    tr.append(...row.map((inlines, column) => cell('td', inlines, column)));
    body.append(tr);
  }
  const wrap = el('div', undefined, 'table-wrap');
  wrap.append(table);
  return wrap;
}

function appendInlines(target: HTMLElement, inlines: Inline[]): void {
  for (const inline of inlines) {
    if (inline.kind === 'code') target.append(el('code', inline.text));
    else if (inline.kind === 'strong') target.append(el('strong', inline.text));
    else if (inline.kind === 'mention') target.append(`@${inline.user}`);
    else target.append(inline.text);
  }
}

/** A code block with a Copy button; the text to copy is on the button (data-copy) as well as in the block. */
function withCopyButton(pre: HTMLElement, text: string): HTMLElement {
  const wrap = el('div', undefined, 'code');
  const button = el('button', 'Copy', 'copy');
  button.type = 'button';
  button.dataset.copy = text;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => (button.textContent = 'Copied'),
      () => (button.textContent = 'Select and copy'),
    );
  });
  wrap.append(button, pre);
  return wrap;
}
