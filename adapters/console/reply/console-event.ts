import type { ApprovalCard } from '../../../src/chat/approval-card.ts';

/**
 * One change to a console conversation, as the page replays it: a new message (the asker's question or the
 * bot's), a new text for a message the bot posted (progress → answer), or an approval card (posted or decided;
 * the latest card with an id wins).
 */
export type ConsoleEvent =
  | { type: 'message'; id: string; role: 'user' | 'bot'; text: string; by?: string; at: string }
  | { type: 'update'; id: string; text: string; at: string }
  | { type: 'approval'; id: string; card: ApprovalCard; at: string };

/** A console conversation in the list of recent ones. */
export interface ConsoleConversationSummary {
  id: string;
  title: string;
  user: string;
  updatedAt: string;
}
