/**
 * The floor of the socket-mode-ack-latency benchmark, run as its own process like the gateway: a bare bolt
 * App on the same SocketModeReceiver settings as `adapters/slack/slack-socket-mode.ts` (app token, Web API URL),
 * with a `/k8s` listener that only acks (same ephemeral body as the gateway). The bot's identity is given, so
 * bolt makes no `auth.test` call per envelope (the gateway makes none either).
 */
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { onItText } from '../../adapters/slack/k8s-command-text.ts';
import { createLogger } from '../../src/log/create-logger.ts';

const env = process.env;
const logger = createLogger({ level: 'info' });
const slackApiUrl = env.BENCH_SLACK_API_URL ?? 'http://127.0.0.1:1/api/';

const receiver = new SocketModeReceiver({
  appToken: env.BENCH_APP_TOKEN ?? '',
  logLevel: LogLevel.WARN,
  installerOptions: { clientOptions: { slackApiUrl } },
});
const app = new App({
  token: env.BENCH_BOT_TOKEN ?? '',
  botUserId: env.BENCH_BOT_USER_ID ?? '',
  botId: env.BENCH_BOT_ID ?? '',
  receiver,
  tokenVerificationEnabled: false,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl },
});
app.command('/k8s', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: onItText });
});

await app.start();
logger.info('bare bolt socket mode app connected');
process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
