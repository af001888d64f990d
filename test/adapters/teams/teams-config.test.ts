import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { teamsAllowedTenants, teamsEnabled } from '../../../adapters/teams/teams-connector-from-config.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { ConfigError } from '../../../src/config/errors.ts';

const load = (env: Record<string, string>) => loadConfig({ env, role: 'gateway' });

describe('Teams settings', () => {
  it('turn Teams on with TEAMS_APP_ID, or with TEAMS_ENABLED=true alone (emulator mode), and off otherwise', () => {
    assert.equal(teamsEnabled(load({})), false);
    assert.equal(teamsEnabled(load({ TEAMS_ENABLED: 'true' })), true);
    assert.equal(teamsEnabled(load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' })), true);
  });

  it('refuse test/private-cloud auth URLs without an app id to verify for, and a non-URL', () => {
    assert.throws(
      () => load({ TEAMS_ENABLED: 'true', TEAMS_LOGIN_URL: 'http://127.0.0.1:1/botframework.com' }),
      (error: unknown) => error instanceof ConfigError && /TEAMS_APP_ID: is required when TEAMS_LOGIN_URL is set/.test(error.message),
    );
    assert.throws(
      () => load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', TEAMS_OPENID_METADATA_URL: 'not a url' }),
      /TEAMS_OPENID_METADATA_URL/,
    );
    assert.throws(() => load({ TEAMS_ENABLED: 'yes' }), /TEAMS_ENABLED: expected true or false/);
  });

  it('allow unauthenticated emulator mode only on a loopback HOST, naming the variables', () => {
    for (const role of ['gateway', 'all'] as const) {
      for (const HOST of ['0.0.0.0', '::', '10.0.0.7', 'ai4k8s.example.com']) {
        assert.throws(
          () => loadConfig({ env: { TEAMS_ENABLED: 'true', HOST, MCP_TOKEN: 'm'.repeat(32) }, role }),
          (error: unknown) =>
            error instanceof ConfigError &&
            /TEAMS_APP_ID: is required when TEAMS_ENABLED=true and HOST/.test(error.message) &&
            error.message.includes(HOST),
          `${role} on ${HOST}`,
        );
      }
    }
    for (const HOST of ['127.0.0.1', 'localhost', '::1']) assert.equal(teamsEnabled(load({ TEAMS_ENABLED: 'true', HOST })), true, HOST);
    assert.doesNotThrow(() => load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', HOST: '0.0.0.0' }));
    // The worker only calls out (no /api/messages): its HOST does not matter.
    assert.doesNotThrow(() =>
      loadConfig({
        env: { TEAMS_ENABLED: 'true', HOST: '0.0.0.0', MCP_URL: 'http://127.0.0.1:3001/mcp', MCP_TOKEN: 'm'.repeat(32) },
        role: 'worker',
      }),
    );
  });

  it('take the tenant allow-list from TEAMS_ALLOWED_TENANTS, else the app own tenant, else any; * is any', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const other = '0b6f8d5e-1c2a-4f3b-9a7e-5d4c3b2a1f0e';
    assert.deepEqual(teamsAllowedTenants(load({ TEAMS_ALLOWED_TENANTS: `${tenant}, ${other}` })), [tenant, other]);
    assert.deepEqual(teamsAllowedTenants(load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', TEAMS_APP_TENANT_ID: tenant })), [tenant]);
    assert.equal(
      teamsAllowedTenants(load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', TEAMS_APP_TENANT_ID: tenant, TEAMS_ALLOWED_TENANTS: '*' })),
      undefined,
    );
    assert.equal(teamsAllowedTenants(load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' })), undefined);
    assert.throws(
      () => load({ TEAMS_ALLOWED_TENANTS: 'a tenant with spaces' }),
      /TEAMS_ALLOWED_TENANTS: expected a comma-separated list of tenant ids/,
    );
  });
});
