/**
 * The bot's Slack workspace as auth.test names it: what the worker side needs of Slack beyond posting (thread keys,
 * permalinks). `adapters/slack/reply/slack-workspace.ts` asks for it; src/roles hands it to the workers.
 */
export interface SlackWorkspace {
  /** `team_id`: Slack events carry the same id, so thread and channel keys computed from it match theirs. */
  teamId: string;
  /** The workspace's URL (https://<name>.slack.com/), the base of message permalinks. */
  url: string | undefined;
}

/** The workspace URL for links, or undefined when Slack is not configured or unreachable (a link is a nicety). */
export function slackWorkspaceUrl(workspace: () => Promise<SlackWorkspace>): () => Promise<string | undefined> {
  return () =>
    workspace().then(
      (found) => found.url,
      () => undefined,
    );
}
