import type { ConnectMcpToolboxOptions } from './mcp-toolbox.ts';
import type { Toolbox } from '../contract/toolbox.ts';
import { sharedMcpToolbox, type SharedMcpToolbox } from './shared-mcp-toolbox.ts';

export interface McpToolboxPool {
  /** A toolbox whose every MCP request names `chatUser` (none when undefined); close() releases it. */
  acquire(chatUser: string | undefined): Promise<Toolbox>;
  close(): Promise<void>;
}

export type McpToolboxPoolOptions = Omit<ConnectMcpToolboxOptions, 'chatUser'> & {
  /** Identities with a live session at once; the least recently used one is closed beyond this. */
  maxIdentities?: number;
  refreshMs?: number;
};

interface Entry {
  shared: SharedMcpToolbox;
  /** Jobs holding a toolbox from this entry: an evicted entry is closed only once they are done. */
  active: number;
  evicted: boolean;
}

/**
 * One shared MCP session per chat identity, least recently used first out. The identity header is fixed
 * per client transport, and the worker answers several users' jobs at once over shared sessions, so a
 * header swapped per call would race between concurrent jobs; a session per identity cannot mix them up.
 * A session is a client object and its tool list (no socket of its own: requests share fetch's keep-alive
 * pool), so keeping one per identity for the hundreds of jobs a worker runs at once costs little, while
 * evicting one that jobs still use would reconnect (initialize + tools/list) on the next question.
 */
export function mcpToolboxPool({ maxIdentities = 256, ...options }: McpToolboxPoolOptions): McpToolboxPool {
  const entries = new Map<string, Entry>(); // iteration order is least recently used first
  const closeEntry = (entry: Entry) => void entry.shared.close().catch(() => undefined);
  const release = (entry: Entry) => {
    entry.active -= 1;
    if (entry.evicted && entry.active === 0) closeEntry(entry);
  };
  const use = (chatUser: string | undefined): Entry => {
    const key = chatUser ?? '';
    const entry = entries.get(key) ?? { shared: sharedMcpToolbox({ ...options, chatUser }), active: 0, evicted: false };
    entries.delete(key);
    entries.set(key, entry);
    for (const [oldKey, old] of entries) {
      if (entries.size <= maxIdentities) break;
      entries.delete(oldKey);
      old.evicted = true;
      if (old.active === 0) closeEntry(old);
    }
    return entry;
  };
  return {
    acquire: async (chatUser) => {
      const entry = use(chatUser);
      entry.active += 1;
      let toolbox: Toolbox;
      try {
        toolbox = await entry.shared.acquire();
      } catch (error) {
        release(entry);
        throw error;
      }
      let released = false;
      return {
        ...toolbox,
        close: () => {
          if (!released) release(entry);
          released = true;
          return Promise.resolve();
        },
      };
    },
    close: async () => {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((entry) => entry.shared.close().catch(() => undefined)));
    },
  };
}
