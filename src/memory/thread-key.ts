import type { ReplyTarget } from '../queue/chat-job.ts';

/** The conversation of one thread, `<platform>:<team>:<channel>:<thread>`: what thread memory is keyed by. */
export function threadKey({ platform, teamId, channel }: Pick<ReplyTarget, 'platform' | 'teamId' | 'channel'>, threadTs: string): string {
  return `${platform}:${teamId}:${channel}:${threadTs}`;
}
