import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleRouteHash, parseConsoleRoute } from '../../../../adapters/console/ui/console-route.ts';

describe('console routes in the address fragment', () => {
  it('reads a view, and the audit view filtered to one conversation, and writes them back', () => {
    assert.deepEqual(parseConsoleRoute('#/audit?conversation=0a1b2c3d4e5f60718293'), {
      view: 'audit',
      conversation: '0a1b2c3d4e5f60718293',
    });
    assert.deepEqual(parseConsoleRoute('#/health'), { view: 'health' });
    assert.deepEqual(parseConsoleRoute('#/chat?conversation=0a1b2c3d4e5f60718293'), { view: 'chat' });
    assert.equal(consoleRouteHash({ view: 'audit', conversation: '0a1b2c3d4e5f60718293' }), '#/audit?conversation=0a1b2c3d4e5f60718293');
    assert.equal(consoleRouteHash({ view: 'conversations' }), '#/conversations');
  });

  it('ignores unknown views, the login view and malformed conversation ids', () => {
    for (const hash of [
      '',
      '#',
      '#/login',
      '#/admin',
      '#audit',
      '#/audit?conversation=short',
      '#/audit?conversation=%3Cscript%3E12345',
      `#/audit?conversation=${'a'.repeat(65)}`,
    ]) {
      assert.equal(parseConsoleRoute(hash), undefined, hash);
    }
  });
});
