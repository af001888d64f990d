import type { SlackReplyTarget } from '../queue/chat-job.ts';

/** The conversation of one Slack thread, `slack:<team>:<channel>:<threadTs>`: what thread memory is keyed by. */
export function threadKey({ teamId, channel }: Pick<SlackReplyTarget, 'teamId' | 'channel'>, threadTs: string): string {
  return `slack:${teamId}:${channel}:${threadTs}`;
}
