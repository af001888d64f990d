import { ToolServerUnavailableError } from './errors.ts';
import { connectMcpToolbox, type ConnectMcpToolboxOptions } from './mcp-toolbox.ts';
import type { Toolbox } from '../contract/toolbox.ts';

export interface SharedMcpToolbox {
  /** A connected toolbox shared by every job of this worker; its close() is a no-op. */
  acquire(): Promise<Toolbox>;
  close(): Promise<void>;
}

interface Session {
  toolbox: Promise<Toolbox>;
  connectedAt: number;
  /** Tool calls running on this session. */
  calls: number;
  /** Replaced: no new calls; closed once `calls` is 0. */
  dropped: boolean;
}

/**
 * One MCP client session per worker instead of one per job: connecting (initialize + tools/list) was a
 * quarter of a job's time in the pipeline benchmark. The tool list is refreshed after `refreshMs`, and a
 * failed connection or a call that never completed drops the session so the next job reconnects. A dropped
 * session closes only once its calls in flight have finished (closing it would fail them all: with hundreds
 * of jobs on one session, every refresh did), and a job holding it makes its next calls on the new one. A read-only
 * call that never completed is retried once over a new session, so a replica dying mid-session is transparent.
 */
export function sharedMcpToolbox({ refreshMs = 60_000, ...options }: ConnectMcpToolboxOptions & { refreshMs?: number }): SharedMcpToolbox {
  let current: Session | undefined;
  const closeIfIdle = (session: Session) => {
    if (session.dropped && session.calls === 0) session.toolbox.then((t) => t.close()).catch(() => undefined);
  };
  const drop = (session: Session) => {
    if (session.dropped) return;
    session.dropped = true;
    if (current === session) current = undefined;
    closeIfIdle(session);
  };
  const currentSession = (): Session => {
    if (current !== undefined && Date.now() - current.connectedAt > refreshMs) drop(current);
    if (current === undefined) {
      const session: Session = { toolbox: connectMcpToolbox(options), connectedAt: Date.now(), calls: 0, dropped: false };
      current = session;
      session.toolbox.catch(() => drop(session));
    }
    return current;
  };
  /** Calls over `session`; a call that never completed drops the session so the next one reconnects. */
  const callOn = async (session: Session, ...[name, input, signal, callOptions]: Parameters<Toolbox['call']>) => {
    session.calls += 1;
    try {
      let live: Toolbox;
      try {
        live = await session.toolbox;
      } catch (error) {
        const reason = error instanceof ToolServerUnavailableError ? error.reason : 'connection failed';
        return { text: `The tool server did not complete ${name}: ${reason}.`, isError: true, transportFailed: true };
      }
      const outcome = await live.call(name, input, signal, callOptions);
      if (outcome.transportFailed === true) drop(session);
      return outcome;
    } finally {
      session.calls -= 1;
      closeIfIdle(session);
    }
  };
  return {
    acquire: async () => {
      const first = currentSession();
      const toolbox = await first.toolbox;
      return {
        tools: toolbox.tools,
        ...(toolbox.hints === undefined ? {} : { hints: toolbox.hints }),
        // Each call goes to the session alive now: after a refresh or a restart of the MCP server dropped the
        // first one, a repeated call reconnects.
        call: async (name, input, signal, callOptions) => {
          const outcome = await callOn(first.dropped ? currentSession() : first, name, input, signal, callOptions);
          // The server replica went away mid-session (a rolling upgrade, a crash): a read-only call is safe to send
          // again, once, over a fresh session (which reaches a live replica); a write is never resent.
          if (outcome.transportFailed !== true || toolbox.hints?.get(name)?.readOnlyHint !== true || signal?.aborted === true)
            return outcome;
          const retry = currentSession();
          try {
            await retry.toolbox;
          } catch {
            return outcome; // no replica answers: the first failure says so
          }
          return callOn(retry, name, input, signal, callOptions);
        },
        close: () => Promise.resolve(),
      };
    },
    close: async () => {
      const session = current;
      current = undefined;
      if (session !== undefined) await session.toolbox.then((t) => t.close()).catch(() => undefined);
    },
  };
}
