import type { ReplyChannel } from '../chat/reply-channel.ts';

/**
 * Wraps a reply channel so the job's abort signal (shutdown, lock lost) ends a chat call at once. The Slack client
 * retries a platform that does not answer for up to a minute and takes no signal, which held a worker's shutdown
 * past SHUTDOWN_TIMEOUT_MS; the abandoned call may still land, and the post ledger's intent finds it on the retry.
 */
export function abortableChannel(channel: ReplyChannel, signal: AbortSignal | undefined): ReplyChannel {
  if (signal === undefined) return channel;
  const abortable =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      untilAborted(fn(...args), signal);
  const { updateAnswer, uploadFile, findPosted } = channel;
  return {
    ...channel,
    postRoot: abortable(channel.postRoot),
    postInThread: abortable(channel.postInThread),
    update: abortable(channel.update),
    postApproval: abortable(channel.postApproval),
    updateApproval: abortable(channel.updateApproval),
    ...(updateAnswer === undefined ? {} : { updateAnswer: abortable(updateAnswer) }),
    ...(uploadFile === undefined ? {} : { uploadFile: abortable(uploadFile) }),
    ...(findPosted === undefined ? {} : { findPosted: abortable(findPosted) }),
  };
}

/** `call`'s outcome, or an AbortError as soon as `signal` aborts (the call itself runs on, unobserved). */
function untilAborted<R>(call: Promise<R>, signal: AbortSignal): Promise<R> {
  if (signal.aborted) {
    call.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => {
      call.catch(() => undefined);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const abortError = (signal: AbortSignal) => new DOMException(`chat call stopped: ${String(signal.reason)}`, 'AbortError');
