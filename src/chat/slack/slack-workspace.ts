import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log/create-logger.ts';
import { createSlackClient } from './create-slack-client.ts';

/** The bot's Slack workspace as auth.test names it. */
export interface SlackWorkspace {
  /** `team_id`: Slack events carry the same id, so thread and channel keys computed from it match theirs. */
  teamId: string;
  /** The workspace's URL (https://<name>.slack.com/), the base of message permalinks. */
  url: string | undefined;
}

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

/** The workspace URL for links, or undefined when Slack is not configured or unreachable (a link is a nicety). */
export function slackWorkspaceUrl(workspace: () => Promise<SlackWorkspace>): () => Promise<string | undefined> {
  return () =>
    workspace().then(
      (found) => found.url,
      () => undefined,
    );
}
