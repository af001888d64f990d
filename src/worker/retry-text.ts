import type { ToolRetry } from '../agent/mcp-toolbox-retries.ts';

/** Why a job was put back in the queue instead of answered with an error. */
export type DeferCause = 'model_rate_limited' | 'model_unavailable' | 'tool_server';

/** The progress message's line while a tool call waits for a restart to end. */
export function toolRetryText({ cause, delayMs }: Pick<ToolRetry, 'cause' | 'delayMs'>): string {
  const what = cause === 'cluster' ? 'cluster API unreachable' : 'tool server unreachable';
  return `⏳ ${what}, retrying in ${seconds(delayMs)} s…`;
}

/** The progress message while the job waits in the queue for the model or the tool server. */
export function deferredText(cause: DeferCause, retryAt: Date): string {
  const at = `${retryAt.toISOString().slice(11, 19)} UTC`;
  if (cause === 'model_rate_limited') return `⏳ Queued behind a rate limit of the AI model; retrying at ${at}…`;
  if (cause === 'model_unavailable') return `⏳ The AI model is unavailable right now; your question stays queued, retrying at ${at}…`;
  return `⏳ tool server unreachable, retrying in ${seconds(retryAt.getTime() - Date.now())} s…`;
}

/** What a job that can never be finished leaves in its thread (once), in place of the progress message. */
export const unfinishedText = (jobId: string) =>
  `⚠️ I could not finish this answer (reference \`${jobId}\`). Nothing more will be posted for it; please ask again.`;

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
