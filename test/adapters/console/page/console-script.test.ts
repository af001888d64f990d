import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleScript } from '../../../../adapters/console/page/console-script.ts';

describe('consoleScript: the browser code bundled from adapters/console/ui', () => {
  it('is one self-contained ES module built from the TypeScript sources', async () => {
    const script = await consoleScript();
    // Bundled: no imports left for the browser to resolve, no TypeScript syntax left.
    assert.doesNotMatch(script, /^\s*import\s/m);
    assert.doesNotMatch(script, /\bas const\b|: HTMLElement\b/);
    // The parts of the sources the page needs are in it.
    assert.match(script, /ai4k8s\.console\.history/);
    assert.match(script, /\/console\/api\/me/);
    assert.match(script, /Approval needed: /);
  });
});
