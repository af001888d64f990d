import { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/log/create-logger.ts';
import { slackLogger } from './slack-logger.ts';

export interface FetchBotUserIdOptions {
  botToken: string;
  slackApiUrl: string;
  logger: Logger;
}

/**
 * The bot's user id from `auth.test`, asked once at gateway start (never per request). When Slack cannot
 * be reached the gateway still starts: the bot's own messages are then recognised by their `bot_id`.
 */
export async function fetchBotUserId({ botToken, slackApiUrl, logger }: FetchBotUserIdOptions): Promise<string | undefined> {
  const client = new WebClient(botToken, {
    slackApiUrl,
    timeout: 5_000,
    retryConfig: { retries: 2, maxRetryTime: 10_000 },
    logger: slackLogger(logger, 'slack-web-api'),
  });
  try {
    const { user_id: userId } = await client.auth.test();
    if (userId !== undefined) return userId;
    logger.warn('auth.test returned no user_id; set SLACK_BOT_USER_ID');
  } catch (error) {
    logger.warn({ err: error }, 'auth.test failed; set SLACK_BOT_USER_ID to skip it');
  }
  return undefined;
}
