/** Where the history lives: the browser's localStorage, or any store with its two calls. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const HISTORY_KEY = 'ai4k8s.console.history';
export const HISTORY_MAX = 100;

/**
 * The user's own questions, newest last, kept in this browser only, for recall with the arrow keys: Up on the
 * first line walks back through earlier questions, Down forward, past the newest to an empty box.
 */
export function questionHistory(store: KeyValueStore) {
  /** The position being shown: -1 is the user's own (empty) box. */
  let recall = -1;
  const past = (): string[] => {
    try {
      const stored: unknown = JSON.parse(store.getItem(HISTORY_KEY) ?? '[]');
      return Array.isArray(stored) ? stored.filter((q): q is string => typeof q === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    past,
    remember(text: string): void {
      const kept = past().filter((q) => q !== text);
      kept.push(text);
      try {
        store.setItem(HISTORY_KEY, JSON.stringify(kept.slice(-HISTORY_MAX)));
      } catch {
        // Storage full or disabled: history is a convenience.
      }
      recall = -1;
    },
    /** The text for the box after Up or Down, or undefined when the key should do what it usually does. */
    step(direction: 'up' | 'down'): string | undefined {
      const questions = past();
      if (questions.length === 0 || (direction === 'down' && recall === -1)) return undefined;
      recall = direction === 'up' ? (recall === -1 ? questions.length - 1 : Math.max(0, recall - 1)) : recall + 1;
      if (recall >= questions.length) recall = -1;
      return recall === -1 ? '' : (questions[recall] ?? '');
    },
  };
}

export type QuestionHistory = ReturnType<typeof questionHistory>;
