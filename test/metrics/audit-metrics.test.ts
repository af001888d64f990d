import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { auditMetrics } from '../../src/metrics/audit-metrics.ts';
import { parseMetrics, valueOf } from './parse-metrics.ts';

const context = { platform: 'slack', channel: 'C1', user: 'U1', jobId: 'j1', cluster: 'default', at: new Date().toISOString() };
const approval = { approval: 'abcd1234', tool: 'deployment_scale', arguments: {} };

describe('audit metrics: counters follow audit events', () => {
  it('counts tool calls by tool and outcome, answers by outcome with latency, tokens by type and approvals by outcome', async () => {
    const registry = new Registry();
    const metrics = auditMetrics(registry);
    const events: AuditEvent[] = [
      { ...context, kind: 'tool_call', tool: 'pods_list', arguments: {}, result: 'ok', durationMs: 120 },
      { ...context, kind: 'tool_call', tool: 'pods_list', arguments: {}, result: 'ok', durationMs: 80 },
      { ...context, kind: 'tool_call', tool: 'pod_logs', arguments: {}, result: 'error', durationMs: 40 },
      {
        ...context,
        kind: 'model_call',
        result: 'ok',
        model: 'm',
        step: 1,
        durationMs: 900,
        usage: { inputTokens: 60, outputTokens: 15, cacheReadTokens: 300, cacheWriteTokens: 0 },
      },
      {
        ...context,
        kind: 'model_call',
        result: 'ok',
        model: 'm',
        step: 2,
        durationMs: 900,
        usage: { inputTokens: 40, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 40 },
      },
      // The answer sums its calls: its usage is not counted a second time.
      {
        ...context,
        kind: 'answer',
        result: 'ok',
        durationMs: 3_500,
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 300, cacheWriteTokens: 40 },
      },
      { ...context, kind: 'answer_failed', result: 'error', error: 'model_unavailable', durationMs: 45_000 },
      // A failed attempt's call still counts.
      {
        ...context,
        kind: 'model_call',
        result: 'ok',
        model: 'm',
        step: 1,
        durationMs: 100,
        usage: { inputTokens: 5, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
      {
        ...context,
        kind: 'answer_failed',
        result: 'error',
        error: 'internal_error',
        durationMs: 1_000,
        usage: { inputTokens: 5, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
      { ...context, ...approval, kind: 'approval_requested', result: 'ok', durationMs: 0 },
      { ...context, ...approval, kind: 'approval_approved', result: 'ok', by: 'U2', durationMs: 0 },
      { ...context, ...approval, kind: 'approval_executed', result: 'error', durationMs: 10 },
      { ...context, ...approval, tool: '', kind: 'approval_refused', result: 'error', by: 'U3', reason: 'unknown', durationMs: 0 },
    ];
    for (const event of events) metrics.observe(event);
    const samples = parseMetrics(await registry.metrics());

    assert.equal(valueOf(samples, 'ai4k8s_tool_calls_total', { tool: 'pods_list', outcome: 'ok' }), 2);
    assert.equal(valueOf(samples, 'ai4k8s_tool_calls_total', { tool: 'pod_logs', outcome: 'error' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_tool_calls_total', { tool: 'pod_logs', outcome: 'ok' }), 0);
    assert.equal(valueOf(samples, 'ai4k8s_tool_call_duration_seconds_sum', { tool: 'pods_list' }), 0.2);
    assert.equal(valueOf(samples, 'ai4k8s_tool_call_duration_seconds_bucket', { tool: 'pods_list', le: '0.1' }), 1);

    assert.equal(valueOf(samples, 'ai4k8s_answers_total', { platform: 'slack', outcome: 'ok' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_answers_total', { platform: 'slack', outcome: 'model_unavailable' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_answer_duration_seconds_count', { platform: 'slack', outcome: 'ok' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_answer_duration_seconds_bucket', { platform: 'slack', outcome: 'ok', le: '2' }), 0);
    assert.equal(valueOf(samples, 'ai4k8s_answer_duration_seconds_bucket', { platform: 'slack', outcome: 'ok', le: '5' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_answer_duration_seconds_sum', { outcome: 'model_unavailable' }), 45);

    assert.equal(valueOf(samples, 'ai4k8s_tokens_total', { type: 'input' }), 105);
    assert.equal(valueOf(samples, 'ai4k8s_tokens_total', { type: 'output' }), 21);
    assert.equal(valueOf(samples, 'ai4k8s_tokens_total', { type: 'cache_read' }), 300);
    assert.equal(valueOf(samples, 'ai4k8s_tokens_total', { type: 'cache_write' }), 40);

    assert.equal(valueOf(samples, 'ai4k8s_approvals_total', { tool: 'deployment_scale', outcome: 'requested' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_approvals_total', { tool: 'deployment_scale', outcome: 'approved' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_approvals_total', { tool: 'deployment_scale', outcome: 'execution_failed' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_approvals_total', { tool: 'unknown', outcome: 'refused' }), 1);
  });

  it('never labels by user, channel or job (unbounded label values)', async () => {
    const registry = new Registry();
    auditMetrics(registry).observe({ ...context, kind: 'tool_call', tool: 'pods_list', arguments: {}, result: 'ok', durationMs: 1 });
    const text = await registry.metrics();
    for (const leak of ['U1', 'C1', 'j1']) assert.ok(!text.includes(`"${leak}"`), `${leak} is a label value`);
  });
});
