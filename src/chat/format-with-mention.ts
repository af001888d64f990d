import { randomBytes } from 'node:crypto';
import type { ReplyChannel } from './reply-channel.ts';

/**
 * Formats a template's Markdown (which quotes untrusted text) and then puts in the one mention the template
 * makes of a verified user. `format` neutralises every mention it reads, so the template writes a random slot
 * where the mention goes: text from the model or the cluster cannot guess the slot, and cannot write a mention.
 */
export function formatWithMention(
  channel: Pick<ReplyChannel, 'format' | 'mention'>,
  userId: string,
  template: (mention: string) => string,
): string {
  const slot = `mention${randomBytes(8).toString('hex')}`;
  const mention = channel.mention?.(userId) ?? userId;
  return channel.format(template(slot)).replace(slot, () => mention);
}
