import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditWhere } from '../../../../adapters/console/ui/audit-where.ts';

describe('auditWhere: an audit row names its conversation by platform, channel and question', () => {
  it('shows the start of a console conversation id, a Slack channel whole, and the question when known', () => {
    assert.equal(
      auditWhere({ platform: 'console', channel: '3f9a1c2e5b7d9e0f1a2b', cluster: 'prod', question: 'why is checkout crashing?' }),
      'console 3f9a1c2e… “why is checkout crashing?” @ prod',
    );
    assert.equal(
      auditWhere({ platform: 'slack', channel: 'C024BE91L', cluster: 'kind-dev', question: 'pods -n shop' }),
      'slack C024BE91L “pods -n shop” @ kind-dev',
    );
    assert.equal(auditWhere({ platform: 'mcp', channel: '', cluster: 'prod' }), 'mcp  @ prod');
  });
});
