import type { Toolbox } from '../contract/toolbox.ts';
import { redactStructured } from '../redact/redact-structured.ts';
import type { AuditContext } from '../contract/audit-event.ts';
import type { AuditLog } from './audit-log.ts';

export interface AuditedToolboxOptions {
  toolbox: Toolbox;
  audit: AuditLog;
  context: AuditContext;
}

/**
 * Records every tool call of a job as an audit event, whoever makes it (the model's loop or direct mode).
 * Arguments go through the same redactor as tool results: a model can be talked into putting a token
 * it saw into an argument, and the audit stream must not become the place it leaks to.
 */
export function auditedToolbox({ toolbox, audit, context }: AuditedToolboxOptions): Toolbox {
  return {
    ...toolbox,
    call: async (name, input, signal, options) => {
      const at = new Date().toISOString();
      const started = performance.now();
      const outcome = await toolbox.call(name, input, signal, options);
      await audit.record({
        ...context,
        kind: 'tool_call',
        at,
        tool: name,
        arguments: redactStructured(input ?? {}).value,
        result: outcome.isError ? 'error' : 'ok',
        durationMs: Math.round(performance.now() - started),
      });
      return outcome;
    },
  };
}
