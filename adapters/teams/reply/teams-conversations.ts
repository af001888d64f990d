/**
 * Our own seam to the Bot Framework connector: what the worker needs to write into a Teams conversation.
 * Only `adapters/teams` implements it with botbuilder, so a move to the Microsoft 365 Agents SDK touches that
 * folder alone (docs/decisions/007-teams-bot-framework-seam.md).
 */

/** Where to write: the conversation reference the gateway stored in the job's reply target. */
export interface TeamsConversationRef {
  /** The Bot Framework channel: `msteams`, or `emulator`. */
  channelId: string;
  serviceUrl: string;
  /** The conversation id to post to; for a channel reply chain `<channel>;messageid=<root activity id>`. */
  conversationId: string;
  conversationType?: string | undefined;
  tenantId?: string | undefined;
  bot: { id: string; name?: string | undefined };
}

/** The part of a Bot Framework message activity the bot sends: text (Markdown) and/or card attachments. */
export interface TeamsMessage {
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  /** Cards (`content`) or inline images (`contentUrl`, a data: URL). */
  attachments?: { contentType: string; content?: unknown; contentUrl?: string; name?: string }[];
}

export interface TeamsConversations {
  /** Posts a message into the conversation; returns the new activity's id. */
  send(conversation: TeamsConversationRef, message: TeamsMessage): Promise<string>;
  /** Replaces a message the bot posted (text and attachments). */
  update(conversation: TeamsConversationRef, activityId: string, message: TeamsMessage): Promise<void>;
}
