import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolOutcome } from '../../src/contract/toolbox.ts';
import type { WriteContent } from '../../src/contract/write-content.ts';
import { previewVerdict } from '../../src/worker/approval-gate.ts';

const preview = {
  summary: 'scale deployment shop/web: replicas 2 → 5',
  target: { kind: 'Deployment', name: 'web', namespace: 'shop', context: 'admin' },
  changes: [],
};
const plan = { tool: 'deployment_scale', arguments: { namespace: 'shop', name: 'web', replicas: 5 }, context: 'admin' };
const outcome = (text: string, content: Partial<WriteContent> | undefined): ToolOutcome => ({
  isError: false,
  text,
  ...(content === undefined ? {} : { structuredContent: { preview, applied: false, dryRun: true, ...content } }),
});

describe('previewVerdict: the approval gate decides on the contract flags, not on the preview text', () => {
  it('changed: false is answered as it is, whatever the text says', () => {
    const said = outcome('DRY RUN (nothing changed): scale deployment shop/web', { changed: false });
    assert.deepEqual(previewVerdict('deployment_scale', said), { kind: 'answer', outcome: said });
  });

  it('changed: true with an apply plan awaits approval, even if the text starts with NO CHANGE', () => {
    assert.deepEqual(previewVerdict('deployment_scale', outcome('NO CHANGE: looks the same', { changed: true, apply: plan })), {
      kind: 'approve',
      plan,
    });
  });

  it('no write contract, or a plan for another tool, cannot be approved', () => {
    for (const odd of [
      outcome('DRY RUN', undefined),
      outcome('DRY RUN', { changed: true }),
      outcome('DRY RUN', { changed: true, apply: { ...plan, tool: 'pod_delete' } }),
    ]) {
      const verdict = previewVerdict('deployment_scale', odd);
      assert.equal(verdict.kind, 'answer');
      assert.match(verdict.kind === 'answer' ? verdict.outcome.text : '', /^NOT APPLIED: /);
    }
  });

  it('an error result is answered as it is', () => {
    const failed: ToolOutcome = { isError: true, text: 'deployments.apps "web" not found' };
    assert.deepEqual(previewVerdict('deployment_scale', failed), { kind: 'answer', outcome: failed });
  });
});
