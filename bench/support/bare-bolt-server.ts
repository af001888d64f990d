/**
 * The floor of the ack-latency benchmark, run as its own process like the gateway: the same bolt
 * `HTTPReceiver` and `App` options as `adapters/slack/slack-routes.ts`, served by the same node:http
 * server on loopback, with a `/k8s` listener that only acks (same ephemeral body as the gateway), so the
 * difference is what the gateway does besides: normalise, enqueue into Redis, log.
 *
 * With BENCH_BOT_USER_ID and BENCH_BOT_ID set, bolt knows the bot's identity and skips the `auth.test`
 * call it otherwise makes on every request when `tokenVerificationEnabled` is false.
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { onItText } from '../../adapters/slack/k8s-command-text.ts';
import { startHttpServer } from '../../src/http/start-http-server.ts';
import { createLogger } from '../../src/log/create-logger.ts';

const env = process.env;
const logger = createLogger({ level: 'info' });
const identity = env.BENCH_BOT_USER_ID === undefined ? {} : { botUserId: env.BENCH_BOT_USER_ID, botId: env.BENCH_BOT_ID ?? '' };

const receiver = new HTTPReceiver({
  signingSecret: env.BENCH_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  processBeforeResponse: true, // as the gateway: Slack gets its 200 after the listeners ran
  bodyLimit: 64 * 1024,
  logLevel: LogLevel.WARN,
});
const app = new App({
  token: env.BENCH_BOT_TOKEN ?? '',
  ...identity,
  receiver,
  tokenVerificationEnabled: false,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env.BENCH_SLACK_API_URL ?? 'http://127.0.0.1:1/api/' },
});
app.command('/k8s', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: onItText });
});

const server = await startHttpServer({
  host: '127.0.0.1',
  port: 0,
  logger,
  routes: { 'POST /slack/events': (req, res) => receiver.requestListener(req, res) },
});
logger.info({ url: server.url }, 'bare bolt app listening');
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
