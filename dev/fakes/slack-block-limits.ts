/**
 * The Block Kit limits Slack enforces when a message is posted or updated (50 blocks, 3000 characters of
 * section text, 150 of header text, ...). A bot that posts long model answers hits these in production,
 * so the fake refuses what Slack refuses, with Slack's `invalid_blocks` error and json-pointer messages.
 */
export type BlockCheck = { ok: true } | { ok: false; error: 'invalid_blocks_format' | 'invalid_blocks'; errors: string[] };

const knownTypes = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'rich_text',
  'markdown',
  'input',
  'file',
  'video',
  'table',
]);

export function checkBlocks(blocks: unknown): BlockCheck {
  if (!Array.isArray(blocks)) return { ok: false, error: 'invalid_blocks_format', errors: ['must be an array'] };
  const errors: string[] = [];
  if (blocks.length > 50) errors.push('no more than 50 items allowed [json-pointer:/blocks]');
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, index) => {
    const at = `/blocks/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string' || !knownTypes.has(block.type)) {
      errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) errors.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      if (blockIds.has(block.block_id)) errors.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) errors.push(`must provide text or fields [json-pointer:${at}]`);
        if (block.text !== undefined) checkText(block.text, 3000, `${at}/text`, errors);
        if (block.fields !== undefined) checkList(block.fields, 10, `${at}/fields`, errors, (f, p) => checkText(f, 2000, p, errors));
        break;
      case 'header':
        checkText(block.text, 150, `${at}/text`, errors, 'plain_text');
        break;
      case 'markdown':
        if (typeof block.text !== 'string' || block.text.length > 12000) {
          errors.push(`must be a string of at most 12000 characters [json-pointer:${at}/text]`);
        }
        break;
      case 'context':
        checkList(block.elements, 10, `${at}/elements`, errors);
        break;
      case 'actions':
        checkList(block.elements, 25, `${at}/elements`, errors, (element, path) => {
          if (isRecord(element) && element.type === 'button') {
            checkText(element.text, 75, `${path}/text`, errors, 'plain_text');
            if (typeof element.value === 'string' && element.value.length > 2000) {
              errors.push(`must be less than 2001 characters [json-pointer:${path}/value]`);
            }
          }
        });
        break;
      default:
        break;
    }
  });
  return errors.length === 0 ? { ok: true } : { ok: false, error: 'invalid_blocks', errors };
}

function checkText(text: unknown, max: number, path: string, errors: string[], only?: 'plain_text'): void {
  const types = only === undefined ? ['plain_text', 'mrkdwn'] : [only];
  if (!isRecord(text) || typeof text.type !== 'string' || !types.includes(text.type) || typeof text.text !== 'string') {
    errors.push(`failed to match all allowed schemas [json-pointer:${path}]`);
  } else if (text.text.length === 0) {
    errors.push(`must be more than 0 characters [json-pointer:${path}/text]`);
  } else if (text.text.length > max) {
    errors.push(`must be less than ${max + 1} characters [json-pointer:${path}/text]`);
  }
}

function checkList(list: unknown, max: number, path: string, errors: string[], each?: (item: unknown, path: string) => void): void {
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(`must provide at least 1 item [json-pointer:${path}]`);
    return;
  }
  if (list.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${path}]`);
  list.forEach((item: unknown, index) => each?.(item, `${path}/${index}`));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
