import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AuditEvent } from '../contract/audit-event.ts';
import { auditMetrics, type AuditMetrics } from './audit-metrics.ts';

export interface ProcessMetrics {
  registry: Registry;
  audit: AuditMetrics;
}

let current: ProcessMetrics | undefined;

/**
 * The metrics of this process: Node.js runtime metrics and the counters fed by audit events. One registry per
 * process, made on first use, because audit events are written from several places (worker, gateway clicks) that
 * share nothing else; each role's /metrics adds its own registry (HTTP, queues) to this one.
 */
export function processMetrics(): ProcessMetrics {
  if (current === undefined) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    current = { registry, audit: auditMetrics(registry) };
  }
  return current;
}

/** Counts an audit event in this process's metrics; a metrics bug must never fail the audited action. */
export function observeAuditEvent(event: AuditEvent): void {
  try {
    processMetrics().audit.observe(event);
  } catch {
    // Metrics are best effort; the audit log itself is the record.
  }
}
