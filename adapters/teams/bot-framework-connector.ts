import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import {
  AuthenticationConstants,
  type AuthenticateRequestResult,
  type ConnectorClient,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { TeamsConversationRef, TeamsMessage } from './reply/teams-conversations.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { TeamsAuthError } from './errors.ts';
import type { TeamsConnector, VerifiedRequest } from './teams-connector.ts';
import { TokenEndpointCredentialsFactory } from './token-endpoint-credentials.ts';

export interface BotFrameworkConnectorOptions {
  /** TEAMS_APP_ID; absent: emulator mode, no authentication either way. */
  appId?: string | undefined;
  password?: string | undefined;
  tenantId?: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** TEAMS_OPENID_METADATA_URL: where the keys that sign the channel's tokens are published (tests, private clouds). */
  openIdMetadataUrl?: string | undefined;
  /** TEAMS_LOGIN_URL: the authority the bot gets its own tokens from (tests, private clouds). */
  loginUrl?: string | undefined;
  logger: Logger;
}

/** The one place botbuilder is used: CloudAdapter with ConfigurationBotFrameworkAuthentication. */
export function botFrameworkConnector(options: BotFrameworkConnectorOptions): TeamsConnector {
  const { appId, logger } = options;
  const auth = botFrameworkAuthentication(options);
  const adapter = new CloudAdapter(auth);
  const verified = new WeakMap<VerifiedRequest, AuthenticateRequestResult>();

  /** Runs `write` with a connector client for the conversation, in a proactive turn (continueConversation). */
  const withClient = async <T>(
    conversation: TeamsConversationRef,
    write: (client: ConnectorClient, activity: Partial<Activity>) => Promise<T>,
  ): Promise<T> => {
    const reference: Partial<ConversationReference> = {
      channelId: conversation.channelId,
      serviceUrl: conversation.serviceUrl,
      conversation: {
        id: conversation.conversationId,
        isGroup: conversation.conversationType !== 'personal',
        conversationType: conversation.conversationType ?? 'personal',
        tenantId: conversation.tenantId ?? '',
        name: '',
      },
      bot: { id: conversation.bot.id, name: conversation.bot.name ?? '' },
    };
    let result: { value: T } | undefined;
    await adapter.continueConversationAsync(appId ?? '', reference, async (context) => {
      const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      const activity: Partial<Activity> = {
        type: 'message',
        from: reference.bot,
        conversation: reference.conversation,
        channelId: conversation.channelId,
        serviceUrl: conversation.serviceUrl,
      };
      result = { value: await write(client, activity) };
    });
    if (result === undefined) throw new Error('the Bot Framework turn ended without running');
    return result.value;
  };

  return {
    mode: appId === undefined ? 'emulator' : 'authenticated',
    async authenticate(authorization, activity) {
      try {
        const result = await auth.authenticateRequest(activity as Partial<Activity> as Activity, authorization);
        const handle: VerifiedRequest = { verified: true };
        verified.set(handle, result);
        return handle;
      } catch (error) {
        // botbuilder throws AuthenticationError for most failures but a bare jsonwebtoken error for a bad signature.
        logger.info({ reason: (error as Error).message }, 'teams request not authenticated');
        throw new TeamsAuthError((error as Error).message);
      }
    },
    async runTurn(handle, activity, turn) {
      const result = verified.get(handle);
      if (result === undefined) throw new Error('runTurn needs the VerifiedRequest authenticate returned');
      let outcome: { ok: true; value: Awaited<ReturnType<typeof turn>> } | { ok: false; error: unknown } | undefined;
      await adapter.processActivityDirect(result, activity as Partial<Activity> as Activity, async () => {
        try {
          outcome = { ok: true, value: await turn() };
        } catch (error) {
          outcome = { ok: false, error };
        }
      });
      if (outcome === undefined) throw new Error('the Bot Framework turn ended without running');
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    send: (conversation, message) =>
      withClient(conversation, async (client, activity) => {
        const response = await client.conversations.sendToConversation(conversation.conversationId, {
          ...activity,
          ...toActivity(message),
        });
        if (response.id === undefined || response.id === '') throw new Error('the Bot Connector accepted the message but returned no id');
        return response.id;
      }),
    update: (conversation, activityId, message) =>
      withClient(conversation, async (client, activity) => {
        await client.conversations.updateActivity(conversation.conversationId, activityId, {
          ...activity,
          ...toActivity(message),
          id: activityId,
        });
      }),
  };
}

function toActivity(message: TeamsMessage): Partial<Activity> {
  return {
    ...(message.text === undefined ? {} : { text: message.text }),
    ...(message.textFormat === undefined ? {} : { textFormat: message.textFormat }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
  };
}

/**
 * JWT validation of incoming requests (issuer, signature from the published keys, audience = app id, serviceUrl
 * claim) and the bot's outgoing credentials. Public Azure by default; the two URLs point both at another authority.
 */
function botFrameworkAuthentication({
  appId,
  password,
  tenantId,
  appType,
  openIdMetadataUrl,
  loginUrl,
}: BotFrameworkConnectorOptions): ConfigurationBotFrameworkAuthentication {
  if (appId === undefined) return new ConfigurationBotFrameworkAuthentication({});
  const credentials = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: password ?? '',
    MicrosoftAppType: appType,
    ...(tenantId === undefined ? {} : { MicrosoftAppTenantId: tenantId }),
  };
  if (openIdMetadataUrl === undefined && loginUrl === undefined) return new ConfigurationBotFrameworkAuthentication(credentials);
  const authority = (
    loginUrl ?? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenantId ?? AuthenticationConstants.DefaultChannelAuthTenant}`
  ).replace(/\/+$/, '');
  // Any one parameterised setting makes botbuilder expect all of them: the rest are the public-cloud values.
  const settings = {
    ...credentials,
    ToChannelFromBotLoginUrl: authority,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
  const factory: ServiceClientCredentialsFactory | undefined =
    loginUrl === undefined
      ? undefined
      : new TokenEndpointCredentialsFactory({ appId, password: password ?? '', tokenUrl: `${authority}/oauth2/v2.0/token` });
  return new ConfigurationBotFrameworkAuthentication(settings, factory);
}
