import type { ReplyTarget } from '../queue/chat-job.ts';

/**
 * A link to a thread: Slack's permalink shape (`<workspace url>/archives/<channel>/p<ts without the dot>`), a
 * Teams message deep link; none for the console (its conversations have no URL of their own).
 */
export function threadLink(
  target: Pick<ReplyTarget, 'platform' | 'teamId' | 'channel'>,
  rootId: string,
  { slackWorkspaceUrl }: { slackWorkspaceUrl?: string | undefined },
): string | undefined {
  if (target.platform === 'slack') {
    if (slackWorkspaceUrl === undefined || !/^https:\/\//.test(slackWorkspaceUrl) || !/^\d+\.\d+$/.test(rootId)) return undefined;
    return `${slackWorkspaceUrl.replace(/\/+$/, '')}/archives/${encodeURIComponent(target.channel)}/p${rootId.replace('.', '')}`;
  }
  if (target.platform === 'teams') {
    const query = new URLSearchParams({ tenantId: target.teamId, parentMessageId: rootId });
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(target.channel)}/${encodeURIComponent(rootId)}?${query.toString()}`;
  }
  return undefined;
}
