import { connectMcpToolbox, type ConnectMcpToolboxOptions, type Toolbox } from './mcp-toolbox.ts';

export interface SharedMcpToolbox {
  /** A connected toolbox shared by every job of this worker; its close() is a no-op. */
  acquire(): Promise<Toolbox>;
  close(): Promise<void>;
}

/**
 * One MCP client session per worker instead of one per job: connecting (initialize + tools/list) was a
 * quarter of a job's time in the pipeline benchmark. The tool list is refreshed after `refreshMs`, and a
 * failed connection or a call that never completed drops the session so the next job reconnects; a read-only call
 * that never completed is retried once over a new session, so a replica dying mid-session is transparent.
 */
export function sharedMcpToolbox({ refreshMs = 60_000, ...options }: ConnectMcpToolboxOptions & { refreshMs?: number }): SharedMcpToolbox {
  let current: { toolbox: Promise<Toolbox>; connectedAt: number } | undefined;
  const drop = (stale: typeof current) => {
    if (stale === undefined || current !== stale) return;
    current = undefined;
    stale.toolbox.then((t) => t.close()).catch(() => undefined);
  };
  /** The live session, connecting one if there is none (or it is older than refreshMs). */
  const session = () => {
    if (current !== undefined && Date.now() - current.connectedAt > refreshMs) drop(current);
    if (current === undefined) {
      const entry = { toolbox: connectMcpToolbox(options), connectedAt: Date.now() };
      current = entry;
      entry.toolbox.catch(() => drop(entry));
    }
    return current;
  };
  /** Calls over `entry`; a call that never completed drops the session so the next one reconnects. */
  const callOver = async (entry: NonNullable<typeof current>, ...args: Parameters<Toolbox['call']>) => {
    const outcome = await (await entry.toolbox).call(...args);
    if (outcome.transportFailed === true) drop(entry);
    return outcome;
  };
  return {
    acquire: async () => {
      const entry = session();
      const toolbox = await entry.toolbox;
      return {
        tools: toolbox.tools,
        ...(toolbox.hints === undefined ? {} : { hints: toolbox.hints }),
        call: async (name, input, signal, callOptions) => {
          const outcome = await callOver(entry, name, input, signal, callOptions);
          // The server replica went away mid-session (a rolling upgrade, a crash): a read-only call is safe to send
          // again, once, over a fresh session (which reaches a live replica); a write is never resent.
          if (outcome.transportFailed !== true || toolbox.hints?.get(name)?.readOnlyHint !== true || signal?.aborted === true) return outcome;
          try {
            return await callOver(session(), name, input, signal, callOptions);
          } catch {
            return outcome; // no replica answers: the first failure says so
          }
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
