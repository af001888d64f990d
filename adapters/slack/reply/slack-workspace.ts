import type { Config } from '../../../src/config/schema.ts';
import type { Logger } from '../../../src/log/create-logger.ts';
import type { SlackWorkspace } from '../../../src/chat/slack-workspace-url.ts';
import { createSlackClient } from './create-slack-client.ts';

/**
 * Asks auth.test once, when first needed (a failure is asked again on the next call, so a job's retry recovers).
 * Throws when Slack is not configured on this worker.
 */
export function slackWorkspace(config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL'>, logger: Logger): () => Promise<SlackWorkspace> {
  let workspace: Promise<SlackWorkspace> | undefined;
  return async () => {
    if (config.SLACK_BOT_TOKEN === undefined) throw new Error('Slack is needed here but SLACK_BOT_TOKEN is not set on this worker');
    const token = config.SLACK_BOT_TOKEN;
    workspace ??= createSlackClient({ token, slackApiUrl: config.SLACK_API_URL, logger })
      .auth.test()
      .then((result) => {
        if (result.team_id === undefined) throw new Error('auth.test returned no team_id');
        return { teamId: result.team_id, url: result.url };
      });
    try {
      return await workspace;
    } catch (error) {
      workspace = undefined;
      throw error;
    }
  };
}
