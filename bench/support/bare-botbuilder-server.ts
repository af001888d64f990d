/**
 * The floor of the teams-ack-latency benchmark, run as its own process like the gateway: a bare botbuilder bot
 * (CloudAdapter with ConfigurationBotFrameworkAuthentication, the same JWT settings the gateway derives from
 * TEAMS_APP_ID, TEAMS_OPENID_METADATA_URL and TEAMS_LOGIN_URL) behind a plain node:http server. It parses the
 * activity, lets `adapter.process` validate the bearer token and run an empty turn, and answers 200: the
 * difference to the gateway is what ai4k8s does besides (activity checks, normalise, enqueue into Redis, log).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Response } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { createLogger } from '../../src/log/create-logger.ts';

const env = process.env;
const logger = createLogger({ level: 'info' });
const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: env.BENCH_TEAMS_APP_ID ?? '',
  MicrosoftAppPassword: env.BENCH_TEAMS_APP_PASSWORD ?? '',
  MicrosoftAppType: 'MultiTenant',
  ToChannelFromBotLoginUrl: env.BENCH_TEAMS_LOGIN_URL ?? '',
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  ToBotFromChannelOpenIdMetadataUrl: env.BENCH_TEAMS_OPENID_METADATA_URL ?? '',
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
  ValidateAuthority: true,
});
const adapter = new CloudAdapter(auth);

/** botbuilder's Response (restify / express shaped) over node's. */
function responseOf(res: ServerResponse): Response {
  return {
    socket: res.socket,
    status: (code: number) => {
      res.statusCode = code;
    },
    header: (name: string, value: unknown) => {
      res.setHeader(name, String(value));
    },
    send: (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.write(typeof body === 'string' ? body : JSON.stringify(body));
    },
    end: () => {
      res.end();
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/api/messages') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    res.writeHead(400).end();
    return;
  }
  await adapter.process({ method: req.method, headers: req.headers, body }, responseOf(res), async () => {
    // A bot that does nothing: the turn only runs.
  });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    logger.error({ err: error }, 'bare botbuilder bot failed');
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
logger.info({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, 'bare botbuilder bot listening');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
