import type { ConsoleApi, ConsoleConversationSummary } from './console-api.ts';
import { el } from './dom.ts';

/** Lists the recent console conversations; choosing one calls `open`. */
export async function loadConversations({
  api,
  list,
  open,
}: {
  api: ConsoleApi;
  list: HTMLElement;
  open: (c: ConsoleConversationSummary) => void;
}): Promise<void> {
  const result = await api<{ conversations: ConsoleConversationSummary[] }>('/console/api/conversations');
  if (!result.ok) return;
  list.replaceChildren();
  for (const c of result.data.conversations) {
    const li = el('li');
    const button = el('button', `${c.title} — console:${c.user}, ${new Date(c.updatedAt).toLocaleString()}`);
    button.type = 'button';
    button.addEventListener('click', () => open(c));
    li.append(button);
    list.append(li);
  }
  if (result.data.conversations.length === 0) list.append(el('li', 'No conversations yet.'));
}
