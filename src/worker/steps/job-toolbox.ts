import type { Toolbox } from '../../contract/toolbox.ts';
import { retryingToolbox } from '../../agent/mcp-toolbox-retries.ts';
import { auditedToolbox } from '../../audit/audited-toolbox.ts';
import { channelPolicyFor } from '../../policy/channel-policy.ts';
import { channelPolicyToolbox } from '../../policy/channel-policy-toolbox.ts';
import { chatUserOf } from '../chat-user-of.ts';
import { toolRetryText } from '../retry-text.ts';
import type { AnsweringContext } from './answering-context.ts';

/** The job's tools, and how long connecting to the tool server took (for the answer's timings). */
export interface JobTools {
  toolbox: Toolbox;
  connectMs: number;
}

/** A tool call waits for a restart at most this long inside the loop (bounded by the retry window). */
const TOOL_RETRY_WINDOW_MS = 60_000;

/**
 * The job's tools, acting as the asking user: limited by the channel policy inside the audit (a refused call is
 * audited like any failed one), and a read repeated while the tool server or the cluster restarts (each repeat
 * audited, and said in the progress message).
 */
export async function connectJobToolbox({ deps, data, auditContext, log, progress }: AnsweringContext): Promise<JobTools> {
  const started = performance.now();
  const limited = channelPolicyToolbox({
    toolbox: await deps.connectToolbox(chatUserOf(data), data),
    policy: channelPolicyFor(deps.policy, data.replyTarget),
  });
  const toolbox = retryingToolbox({
    toolbox: auditedToolbox({ toolbox: limited, audit: deps.audit, context: auditContext }),
    windowMs: Math.min(TOOL_RETRY_WINDOW_MS, deps.retryWindowMs),
    onRetry: (retry) => {
      log.warn({ tool: retry.tool, cause: retry.cause, delayMs: retry.delayMs }, 'tool call held up by a restart; retrying');
      progress.note(toolRetryText(retry));
    },
  });
  return { toolbox, connectMs: Math.round(performance.now() - started) };
}
