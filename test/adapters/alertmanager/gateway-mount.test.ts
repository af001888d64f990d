import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createLogger } from '../../../src/log/create-logger.ts';
import { startGateway } from '../../../src/roles/start-gateway.ts';
import { testRedisUrl, uniqueName } from '../../../dev/services/shared.ts';

const gatewayWith = async (env: Record<string, string>) =>
  startGateway({
    config: loadConfig({
      env: { REDIS_URL: await testRedisUrl(), QUEUE_PREFIX: uniqueName('alert-mount'), PORT: '0', ...env },
      role: 'gateway',
    }),
    logger: createLogger({ level: 'silent' }),
  });

describe('the gateway mounts /alerts/alertmanager only with ALERTS_TOKEN', () => {
  it('without ALERTS_TOKEN there is no alert intake (404)', async () => {
    const gateway = await gatewayWith({});
    try {
      const response = await fetch(`${gateway.urls.http}/alerts/alertmanager`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 404);
    } finally {
      await gateway.stop();
    }
  });

  it('with ALERTS_TOKEN the route answers, and refuses a request without the token (401)', async () => {
    const gateway = await gatewayWith({ ALERTS_TOKEN: 'mount-test-token-0123456789abcdef0123' });
    try {
      const response = await fetch(`${gateway.urls.http}/alerts/alertmanager`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 401);
      const authorized = await fetch(`${gateway.urls.http}/alerts/alertmanager`, {
        method: 'POST',
        body: '{}',
        headers: { authorization: 'Bearer mount-test-token-0123456789abcdef0123' },
      });
      assert.equal(authorized.status, 400);
    } finally {
      await gateway.stop();
    }
  });
});
