import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { teamsEnabled } from '../../../adapters/teams/teams-connector-from-config.ts';
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
    assert.throws(() => load({ TEAMS_ENABLED: 'true', TEAMS_LOGIN_URL: 'http://127.0.0.1:1/botframework.com' }), (error: unknown) => error instanceof ConfigError && /TEAMS_APP_ID: is required when TEAMS_LOGIN_URL is set/.test(error.message));
    assert.throws(() => load({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', TEAMS_OPENID_METADATA_URL: 'not a url' }), /TEAMS_OPENID_METADATA_URL/);
    assert.throws(() => load({ TEAMS_ENABLED: 'yes' }), /TEAMS_ENABLED: expected true or false/);
  });
});
