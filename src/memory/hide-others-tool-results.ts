import type Anthropic from '@anthropic-ai/sdk';

type Message = Anthropic.MessageParam;

/** What replaces a tool result the reader may not see. */
export const OTHERS_RESULT_NOTE = '[tool result fetched as another user; call the tool again if you need it]';

/**
 * Who each stored tool result was fetched as, by its `tool_use_id`: the X-Ai4k8s-User of the job that ran the call,
 * or null when that job named no chat user (the MCP server's own identity, or refused).
 */
export type ToolResultOwners = Readonly<Record<string, string | null>>;

export interface HideOthersToolResultsOptions {
  messages: readonly Message[];
  owners: ToolResultOwners;
  /** The X-Ai4k8s-User of the person the history is read for; undefined: nobody named. */
  reader: string | undefined;
}

/**
 * A thread's history as one person may see it: a tool result fetched with someone else's Kubernetes identity (or
 * with an identity nobody recorded) becomes a short note, so a follow-up never reads what only the first asker's
 * RBAC allowed. The tool_use and its tool_result keep their ids, so the conversation stays valid for the Messages
 * API; questions and answers (posted in the thread anyway) stay as they are.
 */
export function hideOthersToolResults({ messages, owners, reader }: HideOthersToolResultsOptions): Message[] {
  const own = (id: string) => Object.hasOwn(owners, id) && owners[id] === (reader ?? null);
  return messages.map((message) => {
    // Only user messages carry tool results.
    if (
      message.role !== 'user' ||
      typeof message.content === 'string' ||
      !message.content.some((b) => b.type === 'tool_result' && !own(b.tool_use_id))
    )
      return message;
    const content = message.content.map((block): Anthropic.ContentBlockParam =>
      block.type === 'tool_result' && !own(block.tool_use_id)
        ? { type: 'tool_result', tool_use_id: block.tool_use_id, content: OTHERS_RESULT_NOTE }
        : block,
    );
    return { role: 'user', content };
  });
}

/** The ids of the tool calls in `messages`. */
export function toolUseIds(messages: readonly Message[]): string[] {
  return messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []))));
}
