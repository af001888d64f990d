import type { ReplyChannel } from '../chat/reply-channel.ts';

/** Wraps a reply channel to add up the time spent talking to the chat platform. */
export function timedChannel(channel: ReplyChannel, total: { ms: number }): ReplyChannel {
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        total.ms += performance.now() - started;
      }
    };
  return {
    ...channel,
    postRoot: timed(channel.postRoot),
    postInThread: timed(channel.postInThread),
    update: timed(channel.update),
    postApproval: timed(channel.postApproval),
    ...(channel.updateAnswer === undefined ? {} : { updateAnswer: timed(channel.updateAnswer) }),
    ...(channel.uploadFile === undefined ? {} : { uploadFile: timed(channel.uploadFile) }),
    ...(channel.findPosted === undefined ? {} : { findPosted: timed(channel.findPosted) }),
  };
}
