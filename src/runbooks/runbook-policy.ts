import { z } from 'zod';

/** A runbook's guidance is given to the model with every matching alert: keep it to a page or two. */
export const RUNBOOK_MAX_BYTES = 16 * 1024;

const oneOrMore = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'expected a name or a list of names' });

const runbookSchema = z
  .strictObject({
    /** Shown in the thread, e.g. "Checkout errors". */
    name: z.string({ error: "expected the runbook's name" }).min(1).max(100),
    match: z
      .strictObject({
        alertname: oneOrMore.optional(),
        namespace: oneOrMore.optional(),
        /** Every label must have this value in the alert group's common labels. */
        labels: z.record(z.string(), z.string()).optional(),
      })
      .refine((match) => match.alertname !== undefined || match.namespace !== undefined || match.labels !== undefined, {
        error: 'expected at least one of alertname, namespace or labels (a runbook for every alert is rarely meant)',
      }),
    /** Where the runbook lives (a wiki page); linked in the thread. */
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    /** The guidance itself, given to the model as operator guidance. */
    markdown: z
      .string()
      .min(1)
      .max(RUNBOOK_MAX_BYTES, { error: `expected at most ${RUNBOOK_MAX_BYTES} characters` })
      .optional(),
    /** Or a Markdown file, relative to the policy file's folder, read once at start. */
    file: z.string().min(1).optional(),
  })
  .refine((runbook) => !(runbook.markdown !== undefined && runbook.file !== undefined), { error: 'give markdown or file, not both' })
  .refine((runbook) => runbook.url !== undefined || runbook.markdown !== undefined || runbook.file !== undefined, {
    error: 'expected a url, markdown or file: a runbook with none has nothing to show',
  });

/** The `runbooks:` section of AI4K8S_POLICY. */
export const runbookPolicySchema = z.array(runbookSchema, { error: 'expected a list of runbooks' }).default([]);

export interface Runbook {
  name: string;
  match: { alertnames?: string[]; namespaces?: string[]; labels?: Record<string, string> };
  url?: string;
  /** Inline or read from its file; absent for a link-only runbook. */
  markdown?: string;
}
