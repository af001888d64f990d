import { consoleConversations } from '../../adapters/console/reply/console-conversations.ts';
import { consoleReplyChannel } from '../../adapters/console/reply/console-reply-channel.ts';
import { createSlackClient } from '../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../adapters/slack/reply/slack-reply-channel.ts';
import { slackWorkspace } from '../../adapters/slack/reply/slack-workspace.ts';
import { teamsReplyChannel } from '../../adapters/teams/reply/teams-reply-channel.ts';
import { teamsConnectorFromConfig } from '../../adapters/teams/teams-connector-from-config.ts';
import type { ReplyChannelFactories } from '../chat/reply-channels.ts';
import type { SlackWorkspace } from '../chat/slack-workspace-url.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import type { RedisClient } from '../queue/create-redis.ts';

export interface WorkerPlatforms {
  /** How to write into a conversation on each configured platform. */
  replyChannels: ReplyChannelFactories;
  /** The bot's Slack workspace, asked once when first needed; throws when Slack is not configured on this worker. */
  slackWorkspace: () => Promise<SlackWorkspace>;
}

/** The workers' side of each chat platform configured here: its reply channel, and Slack's workspace. */
export function workerPlatforms({ config, logger, redis }: { config: Config; logger: Logger; redis: RedisClient }): WorkerPlatforms {
  const slack =
    config.SLACK_BOT_TOKEN === undefined
      ? undefined
      : createSlackClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger });
  const teams = teamsConnectorFromConfig(config, logger);
  const consoleChats = consoleConversations({ redis, prefix: config.QUEUE_PREFIX, ttlSeconds: config.CONVERSATION_TTL_SECONDS });
  return {
    replyChannels: {
      ...(slack === undefined ? {} : { slack: (target) => slackReplyChannel({ client: slack, channel: target.channel }) }),
      ...(teams === undefined ? {} : { teams: (target) => teamsReplyChannel({ conversations: teams, target }) }),
      // The web console needs nothing but Redis, so every worker can answer it.
      console: (target) => consoleReplyChannel({ conversations: consoleChats, conversationId: target.channel }),
    },
    slackWorkspace: slackWorkspace(config, logger),
  };
}
