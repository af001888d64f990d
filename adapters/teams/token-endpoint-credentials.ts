import { AppCredentials, ServiceClientCredentialsFactory, type AuthenticatorResult } from 'botframework-connector';

export interface TokenEndpointCredentialsFactoryOptions {
  appId: string;
  password: string;
  /** The OAuth 2.0 token endpoint, e.g. `<TEAMS_LOGIN_URL>/oauth2/v2.0/token`. */
  tokenUrl: string;
}

/**
 * The bot's outgoing credentials when TEAMS_LOGIN_URL names the token authority (tests, private clouds): a plain
 * OAuth 2.0 client-credentials grant against that endpoint. MSAL (the default path) insists on https and on
 * instance discovery at login.microsoftonline.com, neither of which a local or air-gapped authority offers.
 */
export class TokenEndpointCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly tokens = new Map<string, Promise<AuthenticatorResult>>();

  constructor(private readonly options: TokenEndpointCredentialsFactoryOptions) {
    super();
  }

  override isValidAppId(appId: string): Promise<boolean> {
    return Promise.resolve(appId === this.options.appId);
  }

  override isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(false);
  }

  override createCredentials(appId: string, audience: string | undefined): Promise<AppCredentials> {
    if (appId !== this.options.appId) return Promise.reject(new Error('Invalid appId.'));
    return Promise.resolve(new TokenEndpointCredentials(appId, audience, (scope) => this.token(scope)));
  }

  /** One token per scope, shared by every credentials object and refreshed five minutes before it expires. */
  private async token(scope: string): Promise<AuthenticatorResult> {
    const cached = this.tokens.get(scope);
    if (cached !== undefined) {
      const token = await cached.catch(() => undefined);
      if (token !== undefined && token.expiresOn.getTime() - 5 * 60_000 > Date.now()) return token;
    }
    const fresh = requestToken({ ...this.options, scope });
    this.tokens.set(scope, fresh);
    return fresh;
  }
}

class TokenEndpointCredentials extends AppCredentials {
  constructor(
    appId: string,
    audience: string | undefined,
    private readonly tokenFor: (scope: string) => Promise<AuthenticatorResult>,
  ) {
    super(appId, undefined, audience);
  }

  override async getToken(): Promise<string> {
    return (await this.refreshToken()).accessToken;
  }

  protected override refreshToken(): Promise<AuthenticatorResult> {
    const scope = this.oAuthScope.endsWith('/.default') ? this.oAuthScope : `${this.oAuthScope}/.default`;
    return this.tokenFor(scope);
  }
}

async function requestToken({
  appId,
  password,
  tokenUrl,
  scope,
}: TokenEndpointCredentialsFactoryOptions & { scope: string }): Promise<AuthenticatorResult> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: password, scope }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(`token endpoint ${tokenUrl} answered ${response.status}${typeof body.error === 'string' ? ` (${body.error})` : ''}`);
  }
  const seconds = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
  return { accessToken: body.access_token, expiresOn: new Date(Date.now() + (Number.isFinite(seconds) ? seconds : 3600) * 1000) };
}
