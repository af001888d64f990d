import { Counter, Histogram, type Registry } from 'prom-client';
import type { AuditEvent } from '../contract/audit-event.ts';

export interface AuditMetrics {
  /** Counts one audit event; never throws (metrics must not break an answer). */
  observe(event: AuditEvent): void;
}

/**
 * Answers, tool calls, tokens and approvals, counted from the audit events: every one of them is already
 * audited with its outcome, duration and usage, so counting there keeps the metrics and the audit log in step
 * without counters scattered through the worker. Labels are bounded sets only (tool names, outcomes, platform):
 * never a user, channel or job id.
 */
export function auditMetrics(registry: Registry): AuditMetrics {
  const registers = [registry];
  const answers = new Counter({
    name: 'ai4k8s_answers_total',
    help: 'Answers finished, by platform and outcome (ok or the failure code).',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'ai4k8s_answer_duration_seconds',
    help: 'Time from taking a question to the finished answer, by outcome.',
    labelNames: ['platform', 'outcome'] as const,
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers,
  });
  const toolCalls = new Counter({
    name: 'ai4k8s_tool_calls_total',
    help: 'MCP tool calls made by the agent, by tool and outcome (ok or error).',
    labelNames: ['tool', 'outcome'] as const,
    registers,
  });
  const toolSeconds = new Histogram({
    name: 'ai4k8s_tool_call_duration_seconds',
    help: 'Duration of MCP tool calls, by tool.',
    labelNames: ['tool'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const tokens = new Counter({
    name: 'ai4k8s_tokens_total',
    help: 'Model tokens used, by type (input, output, cache_read, cache_write); counted per model call, failed attempts included.',
    labelNames: ['type'] as const,
    registers,
  });
  const refusedCalls = new Counter({
    name: 'ai4k8s_mcp_calls_refused_total',
    help: 'Tool calls the MCP server refused before they ran (no valid approval grant, read-only token), by tool and reason code.',
    labelNames: ['tool', 'code'] as const,
    registers,
  });
  const approvals = new Counter({
    name: 'ai4k8s_approvals_total',
    help: 'Approval steps, by tool and outcome (requested, approved, denied, expired, refused, executed, execution_failed).',
    labelNames: ['tool', 'outcome'] as const,
    registers,
  });

  const countTokens = (usage: Extract<AuditEvent, { kind: 'answer' }>['usage'] | undefined) => {
    if (usage === undefined) return;
    tokens.inc({ type: 'input' }, usage.inputTokens);
    tokens.inc({ type: 'output' }, usage.outputTokens);
    tokens.inc({ type: 'cache_read' }, usage.cacheReadTokens);
    tokens.inc({ type: 'cache_write' }, usage.cacheWriteTokens);
  };
  const seconds = (event: AuditEvent) => Math.max(0, event.durationMs) / 1000;

  return {
    observe(event) {
      switch (event.kind) {
        case 'tool_call':
          toolCalls.inc({ tool: event.tool, outcome: event.result });
          toolSeconds.observe({ tool: event.tool }, seconds(event));
          return;
        case 'grafana_snapshot':
          return; // a link created, not an outcome to count
        case 'mcp_call_refused':
          refusedCalls.inc({ tool: event.tool, code: event.code });
          return;
        case 'model_call':
          // Tokens are counted per call, where every call is audited (the answer's event only sums its last attempt).
          countTokens(event.usage);
          return;
        case 'answer':
        case 'answer_failed': {
          const labels = { platform: event.platform, outcome: event.kind === 'answer' ? 'ok' : event.error };
          answers.inc(labels);
          answerSeconds.observe(labels, seconds(event));
          return;
        }
        default: {
          const step = event.kind.slice('approval_'.length);
          const outcome = event.kind === 'approval_executed' && event.result === 'error' ? 'execution_failed' : step;
          // An unknown token's refusal has no tool.
          approvals.inc({ tool: event.tool === '' ? 'unknown' : event.tool, outcome });
        }
      }
    },
  };
}
