import { createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './read-request-body.ts';

/**
 * A local stand-in for the Bot Framework's token services, for tests without the internet:
 * - the OpenID configuration and JWKS that publish the key the Bot Connector signs its requests to the bot with
 *   (what TEAMS_OPENID_METADATA_URL points at), so a test can sign a valid token for `POST /api/messages`, or a
 *   forged one (same key id, another key), or an expired one;
 * - an OAuth 2.0 token endpoint (`<loginUrl>/oauth2/v2.0/token`, what TEAMS_LOGIN_URL names) that hands the bot its
 *   own access token for calls to the connector in exchange for the app id and password (client credentials).
 */
export interface FakeBotFrameworkAuthOptions {
  appId: string;
  password: string;
}

export interface TokenRequest {
  path: string;
  form: Record<string, string>;
  status: number;
}

export interface ChannelTokenOptions {
  /** The activity's serviceUrl: botbuilder checks the token's `serviceurl` claim against it. */
  serviceUrl: string;
  /** Default: the bot's app id. */
  audience?: string;
  issuer?: string;
  expiresInSeconds?: number;
}

export interface FakeBotFrameworkAuth {
  readonly url: string;
  /** For TEAMS_OPENID_METADATA_URL. */
  readonly openIdMetadataUrl: string;
  /** For TEAMS_LOGIN_URL. */
  readonly loginUrl: string;
  readonly tokenRequests: readonly TokenRequest[];
  /** A token the Bot Connector would send with an activity: RS256, signed with the published key. */
  channelToken(options: ChannelTokenOptions): string;
  /** Like channelToken, but signed with a key nobody published (under the published key id). */
  forgedToken(options: ChannelTokenOptions): string;
  /** Whether `token` is an access token this fake's token endpoint issued (what the fake connector accepts). */
  issued(token: string): boolean;
  stop(): Promise<void>;
}

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export async function startFakeBotFrameworkAuth({ appId, password }: FakeBotFrameworkAuthOptions): Promise<FakeBotFrameworkAuth> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `fake-${randomUUID().slice(0, 8)}`;
  const jwk = published.publicKey.export({ format: 'jwk' });
  const tokenRequests: TokenRequest[] = [];
  const accessTokens = new Set<string>();
  let url = '';

  const sign = (
    key: KeyObject,
    { serviceUrl, audience = appId, issuer = BOT_FRAMEWORK_ISSUER, expiresInSeconds = 3600 }: ChannelTokenOptions,
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid, x5t: kid };
    const payload = { serviceurl: serviceUrl, nbf: now - 60, exp: now + expiresInSeconds, iss: issuer, aud: audience };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
    return `${input}.${signature}`;
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    'GET /v1/.well-known/openidconfiguration': (_req, res) =>
      json(res, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${url}/v1/authorize`,
        jwks_uri: `${url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      }),
    // Endorsements name the channels a key may sign for; botbuilder checks the activity's channelId against them.
    // The real keys endorse every channel the Bot Connector serves (Web Chat, Direct Line, Slack, ... besides Teams),
    // so a validly signed activity may come from a channel whose user the client names itself.
    'GET /v1/.well-known/keys': (_req, res) =>
      json(res, 200, {
        keys: [
          {
            kty: 'RSA',
            use: 'sig',
            kid,
            x5t: kid,
            n: jwk.n,
            e: jwk.e,
            endorsements: ['msteams', 'emulator', 'webchat', 'directline', 'slack'],
          },
        ],
      }),
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[`${req.method} ${path}`];
    const handled =
      route !== undefined
        ? route(req, res)
        : /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path) && req.method === 'POST'
          ? token(req, res, path)
          : json(res, 404, { error: 'not_found' });
    Promise.resolve(handled).catch(() => json(res, 500, { error: 'server_error' }));
  });

  /** The client-credentials grant, answered like Azure AD: 400/401 with `error` and `error_description`. */
  const token = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const form = Object.fromEntries(new URLSearchParams(await readRequestBody(req)));
    const refuse = (status: number, error: string, description: string) => {
      tokenRequests.push({ path, form: { ...form, client_secret: '<redacted>' }, status });
      json(res, status, { error, error_description: description });
    };
    if (form.grant_type !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'expected grant_type=client_credentials');
    if (form.scope === undefined || !form.scope.endsWith('/.default'))
      return refuse(400, 'invalid_scope', 'expected a scope ending in /.default');
    if (form.client_id !== appId || form.client_secret !== password)
      return refuse(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const accessToken = `fake-bf-${randomBytes(16).toString('hex')}`;
    accessTokens.add(accessToken);
    tokenRequests.push({ path, form: { ...form, client_secret: '<redacted>' }, status: 200 });
    json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    loginUrl: `${url}/botframework.com`,
    tokenRequests,
    channelToken: (options) => sign(published.privateKey, options),
    forgedToken: (options) => sign(other.privateKey, options),
    issued: (candidate) => accessTokens.has(candidate),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
