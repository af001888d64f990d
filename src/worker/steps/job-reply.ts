import type Anthropic from '@anthropic-ai/sdk';
import type { AgentUsage } from '../../contract/agent-usage.ts';
import type { AnswerView } from '../../chat/answer-view.ts';
import type { ReplyFile } from '../../chat/reply-channel.ts';

/** What the job delivers and records: an answer, a refusal or an error message, and how it is accounted for. */
export interface JobReply {
  answer: string | AnswerView;
  /** This answer's turn (question, tool calls, results, answer), added to the thread's memory once. */
  turn?: Anthropic.MessageParam[];
  /** Range-query graphs, uploaded after the answer. */
  graphs?: readonly ReplyFile[];
  /** An alert investigation's findings, pinned in the thread (replacing earlier ones). */
  findings?: string;
  /** A model answer's text, told to incident memory. */
  answeredText?: string;
  /** The `answer` / `answer_failed` audit event, written after delivery; absent when it was written already. */
  audit?: { usage: AgentUsage } | { error: string; usage?: AgentUsage };
  /** The log line once recorded; `timings` are completed with queue wait, chat and total time. */
  logged?: { fields: Record<string, unknown>; message: string; timings?: { mcpConnectMs: number; modelMs: number; toolsMs: number } };
}
