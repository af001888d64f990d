export interface PostExpectingOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The status a right answer has. */
  status: number;
  timeoutMs: number;
}

/** POSTs and reads the whole answer; resolves to why it was wrong, or undefined when it had the expected status. */
export async function postExpecting({ url, body, headers, status, timeoutMs }: PostExpectingOptions): Promise<string | undefined> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  await response.arrayBuffer();
  return response.status === status ? undefined : `HTTP ${response.status}`;
}
