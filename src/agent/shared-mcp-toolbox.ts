import { connectMcpToolbox, type ConnectMcpToolboxOptions, type Toolbox } from './mcp-toolbox.ts';

export interface SharedMcpToolbox {
  /** A connected toolbox shared by every job of this worker; its close() is a no-op. */
  acquire(): Promise<Toolbox>;
  close(): Promise<void>;
}

/**
 * One MCP client session per worker instead of one per job: connecting (initialize + tools/list) was a
 * quarter of a job's time in the pipeline benchmark. The tool list is refreshed after `refreshMs`, and a
 * failed connection or a call that never completed drops the session so the next job reconnects.
 */
export function sharedMcpToolbox({ refreshMs = 60_000, ...options }: ConnectMcpToolboxOptions & { refreshMs?: number }): SharedMcpToolbox {
  let current: { toolbox: Promise<Toolbox>; connectedAt: number } | undefined;
  const drop = (stale: typeof current) => {
    if (stale === undefined || current !== stale) return;
    current = undefined;
    stale.toolbox.then((t) => t.close()).catch(() => undefined);
  };
  return {
    acquire: async () => {
      if (current !== undefined && Date.now() - current.connectedAt > refreshMs) drop(current);
      if (current === undefined) {
        const entry = { toolbox: connectMcpToolbox(options), connectedAt: Date.now() };
        current = entry;
        entry.toolbox.catch(() => drop(entry));
      }
      const entry = current;
      const toolbox = await entry.toolbox;
      return {
        tools: toolbox.tools,
        ...(toolbox.hints === undefined ? {} : { hints: toolbox.hints }),
        call: async (name, input, signal, options) => {
          const outcome = await toolbox.call(name, input, signal, options);
          if (outcome.transportFailed === true) drop(entry);
          return outcome;
        },
        close: () => Promise.resolve(),
      };
    },
    close: async () => {
      const entry = current;
      current = undefined;
      if (entry !== undefined) await entry.toolbox.then((t) => t.close()).catch(() => undefined);
    },
  };
}
