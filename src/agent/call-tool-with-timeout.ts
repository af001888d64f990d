import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';

export interface CallToolWithTimeoutOptions {
  toolbox: Toolbox;
  name: string;
  input: unknown;
  /** The loop's signal: an abort ends the wait at once, whether or not the tool heeds it. */
  signal?: AbortSignal | undefined;
  /** How long the loop waits for the call (AGENT_TOOL_TIMEOUT_MS); absent: as long as it takes. */
  timeoutMs?: number | undefined;
}

/**
 * One tool call the loop can leave: past `timeoutMs` the call is aborted and the model gets an `isError` result
 * saying so (it can try a narrower request); an abort of the loop rejects at once with the signal's reason.
 * Either way the tool gets an aborted signal, so a well-behaved one stops its work.
 */
export async function callToolWithTimeout({ toolbox, name, input, signal, timeoutMs }: CallToolWithTimeoutOptions): Promise<ToolOutcome> {
  signal?.throwIfAborted();
  const call = new AbortController();
  const ended: Promise<ToolOutcome>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  if (timeoutMs !== undefined) {
    ended.push(
      new Promise((resolve) => {
        timer = setTimeout(() => {
          call.abort(new Error(`${name} timed out after ${timeoutMs} ms`));
          resolve(timedOut(name, timeoutMs));
        }, timeoutMs);
      }),
    );
  }
  if (signal !== undefined) {
    ended.push(
      new Promise((_resolve, reject) => {
        onAbort = () => {
          call.abort(signal.reason);
          reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    );
  }
  try {
    return await Promise.race([toolbox.call(name, input, call.signal), ...ended]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

const timedOut = (name: string, timeoutMs: number): ToolOutcome => ({
  text: `${name} did not answer within ${timeoutMs >= 1_000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped. Try a narrower request (one namespace, fewer lines, a shorter range) or another tool.`,
  isError: true,
});
