import type { Config } from '../../src/config/schema.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { botFrameworkConnector } from './bot-framework-connector.ts';
import type { TeamsConnector } from './teams-connector.ts';

/** Teams is on when TEAMS_APP_ID is set (verified) or TEAMS_ENABLED=true (emulator mode without an app id). */
export function teamsEnabled(config: Config): boolean {
  return config.TEAMS_APP_ID !== undefined || config.TEAMS_ENABLED;
}

/**
 * The tenants whose activities the bot serves (undefined: any): TEAMS_ALLOWED_TENANTS (`*` is any), else the app's
 * own tenant when TEAMS_APP_TENANT_ID names it, else any.
 */
export function teamsAllowedTenants(config: Config): readonly string[] | undefined {
  const listed = config.TEAMS_ALLOWED_TENANTS;
  if (listed !== undefined) return listed.includes('*') ? undefined : listed;
  return config.TEAMS_APP_TENANT_ID === undefined ? undefined : [config.TEAMS_APP_TENANT_ID];
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
