/** The views the navigation offers once signed in. */
export const CONSOLE_VIEWS = ['chat', 'conversations', 'audit', 'health'] as const;
export type ConsoleView = (typeof CONSOLE_VIEWS)[number];

/** What the address's fragment names: a view, and for the audit view the console conversation it is filtered to. */
export interface ConsoleRoute {
  view: ConsoleView;
  conversation?: string;
}

/** A console conversation id as the gateway accepts it (CONVERSATION_ID). */
const CONVERSATION = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Reads `#/audit?conversation=<id>` (or `#/chat`, `#/health`, …). Anything else, or a malformed id, is undefined:
 * the page then stays where it is.
 */
export function parseConsoleRoute(hash: string): ConsoleRoute | undefined {
  const match = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  if (match === null) return undefined;
  const view = CONSOLE_VIEWS.find((v) => v === match[1]);
  if (view === undefined) return undefined;
  const conversation = new URLSearchParams(match[2] ?? '').get('conversation') ?? undefined;
  if (conversation === undefined || view !== 'audit') return { view };
  return CONVERSATION.test(conversation) ? { view, conversation } : undefined;
}

/** The fragment for a route: `#/audit?conversation=<id>`. */
export function consoleRouteHash({ view, conversation }: ConsoleRoute): string {
  return conversation === undefined ? `#/${view}` : `#/${view}?conversation=${encodeURIComponent(conversation)}`;
}
