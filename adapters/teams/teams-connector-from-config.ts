import type { Config } from '../../src/config/schema.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { botFrameworkConnector } from './bot-framework-connector.ts';
import type { TeamsConnector } from './teams-connector.ts';

/** Teams is on when TEAMS_APP_ID is set (verified) or TEAMS_ENABLED=true (emulator mode without an app id). */
export function teamsEnabled(config: Config): boolean {
  return config.TEAMS_APP_ID !== undefined || config.TEAMS_ENABLED;
}

/** The Bot Framework connector the gateway and the worker share the settings of; undefined when Teams is off. */
export function teamsConnectorFromConfig(config: Config, logger: Logger): TeamsConnector | undefined {
  if (!teamsEnabled(config)) return undefined;
  return botFrameworkConnector({
    appId: config.TEAMS_APP_ID,
    password: config.TEAMS_APP_PASSWORD,
    tenantId: config.TEAMS_APP_TENANT_ID,
    appType: config.TEAMS_APP_TYPE,
    openIdMetadataUrl: config.TEAMS_OPENID_METADATA_URL,
    loginUrl: config.TEAMS_LOGIN_URL,
    logger,
  });
}
