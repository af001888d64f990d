import { randomUUID } from 'node:crypto';
import { startFakeBotConnector, type FakeBotConnector, type FakeTeamsMessage } from './fake-bot-connector.ts';
import { startFakeBotFrameworkAuth, type FakeBotFrameworkAuth } from './fake-bot-framework-auth.ts';

export interface TeamsFakesOptions {
  /** TEAMS_APP_ID set, with fake OpenID metadata and token endpoint; otherwise emulator mode (TEAMS_ENABLED=true). */
  auth?: boolean;
}

/** The Teams side of a test stack: a fake Bot Connector, and with `auth` the fake Bot Framework token services. */
export interface TeamsFakes {
  connector: FakeBotConnector;
  auth: FakeBotFrameworkAuth | undefined;
  appId: string;
  /** Settings for every role. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const TEAMS_APP_PASSWORD = 'teams-e2e-app-password-4d2a';

export async function startTeamsFakes({ auth: withAuth = false }: TeamsFakesOptions = {}): Promise<TeamsFakes> {
  // An app id of the test's own: botbuilder caches keys and tokens per process by URL and app id.
  const appId = randomUUID();
  const auth = withAuth ? await startFakeBotFrameworkAuth({ appId, password: TEAMS_APP_PASSWORD }) : undefined;
  const connector = await startFakeBotConnector(auth === undefined ? {} : { acceptsToken: (token) => auth.issued(token) });
  const env: Record<string, string> =
    auth === undefined
      ? { TEAMS_ENABLED: 'true' }
      : { TEAMS_APP_ID: appId, TEAMS_APP_PASSWORD, TEAMS_OPENID_METADATA_URL: auth.openIdMetadataUrl, TEAMS_LOGIN_URL: auth.loginUrl };
  return {
    connector,
    auth,
    appId,
    env,
    stop: async () => {
      await Promise.all([connector.stop(), auth?.stop()]);
    },
  };
}

/** Posts an activity to the gateway's messaging endpoint, as the Bot Connector would. */
export function postActivity(gatewayUrl: string, activity: unknown, authorization?: string): Promise<Response> {
  return fetch(`${gatewayUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    signal: AbortSignal.timeout(10_000),
  });
}

/** The bot's finished answers in a conversation (the progress message, once it no longer says "Working on it"). */
export function waitForTeamsAnswers(
  connector: FakeBotConnector,
  conversationId: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<FakeTeamsMessage[]> {
  return connector.waitFor((c) => {
    const posted = c.messages(conversationId).filter((m) => m.attachments.length === 0);
    const finished = posted.every((m) => !m.text.includes('Working on it'));
    return posted.length >= count && finished ? posted : undefined;
  }, timeoutMs);
}
