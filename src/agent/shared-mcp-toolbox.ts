import { ToolServerUnavailableError } from './errors.ts';
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
  const connected = async (): Promise<{ entry: NonNullable<typeof current>; toolbox: Toolbox }> => {
    if (current !== undefined && Date.now() - current.connectedAt > refreshMs) drop(current);
    if (current === undefined) {
      const entry = { toolbox: connectMcpToolbox(options), connectedAt: Date.now() };
      current = entry;
      entry.toolbox.catch(() => drop(entry));
    }
    const entry = current;
    return { entry, toolbox: await entry.toolbox };
  };
  return {
    acquire: async () => {
      const first = await connected();
      return {
        tools: first.toolbox.tools,
        ...(first.toolbox.hints === undefined ? {} : { hints: first.toolbox.hints }),
        // Each call goes to the session alive now: after the MCP server restarted, a repeated call reconnects.
        call: async (name, input, signal, options) => {
          let live;
          try {
            live = current === first.entry ? first : await connected();
          } catch (error) {
            const reason = error instanceof ToolServerUnavailableError ? error.reason : 'connection failed';
            return { text: `The tool server did not complete ${name}: ${reason}.`, isError: true, transportFailed: true };
          }
          const outcome = await live.toolbox.call(name, input, signal, options);
          if (outcome.transportFailed === true) drop(live.entry);
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
