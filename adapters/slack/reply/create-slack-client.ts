import { WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log/create-logger.ts';
import { slackLogger } from '../slack-logger.ts';

/** The worker's Slack Web API client: waits out 429s (Retry-After) and retries for up to a minute. */
export function createSlackClient({ token, slackApiUrl, logger }: { token: string; slackApiUrl: string; logger: Logger }): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    retryConfig: { retries: 5, maxRetryTime: 60_000 },
    logger: slackLogger(logger, 'slack-web-api'),
  });
}
