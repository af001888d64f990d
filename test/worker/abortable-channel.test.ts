import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { abortableChannel } from '../../src/worker/abortable-channel.ts';
import { SHUTDOWN_REASON } from '../../src/worker/job-abort.ts';

/** A channel whose posts hang until released, like a Slack client retrying a platform that does not answer. */
function hangingChannel() {
  const releases: (() => void)[] = [];
  const hang = <T>(value: T) => new Promise<T>((resolve) => releases.push(() => resolve(value)));
  const channel: ReplyChannel = {
    postRoot: () => hang('root-ts'),
    postInThread: () => hang('reply-ts'),
    update: () => hang(undefined),
    postApproval: () => hang('card-ts'),
    updateApproval: () => hang(undefined),
    findPosted: () => hang('found-ts'),
    format: (markdown) => markdown,
    maxMessageChars: 4_000,
  };
  return { channel, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

describe('abortableChannel: the job signal ends a chat call that does not answer', () => {
  it('rejects every kind of call at once when the signal aborts, and a call made after it without waiting', async () => {
    const { channel, releaseAll } = hangingChannel();
    const controller = new AbortController();
    const wrapped = abortableChannel(channel, controller.signal);
    const { findPosted } = wrapped;
    assert.ok(findPosted !== undefined);
    const calls = [
      wrapped.postRoot('q'),
      wrapped.postInThread('t', 'x'),
      wrapped.update('m', 'x'),
      wrapped.postApproval('t', {} as never),
      wrapped.updateApproval('m', {} as never),
      findPosted({ job: 'j', part: 'root' }, { since: 0 }),
    ];
    const started = performance.now();
    controller.abort(SHUTDOWN_REASON);
    const outcomes = await Promise.allSettled(calls);
    assert.ok(performance.now() - started < 1_000);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.equal((outcome.reason as Error).name, 'AbortError');
      assert.match((outcome.reason as Error).message, /worker shutting down/);
    }
    await assert.rejects(wrapped.postRoot('later'), { name: 'AbortError' });
    releaseAll(); // the abandoned calls settle unobserved: no unhandled rejection
  });

  it('passes results and failures through while the signal is not aborted', async () => {
    const { channel, releaseAll } = hangingChannel();
    const wrapped = abortableChannel(
      { ...channel, update: () => Promise.reject(new Error('message_not_found')) },
      new AbortController().signal,
    );
    const root = wrapped.postRoot('q');
    releaseAll();
    assert.equal(await root, 'root-ts');
    await assert.rejects(wrapped.update('m', 'x'), /message_not_found/);
    assert.equal(wrapped.format('**a**'), '**a**');
    assert.equal(wrapped.maxMessageChars, 4_000);
  });

  it('is the channel itself without a signal', () => {
    const { channel } = hangingChannel();
    assert.equal(abortableChannel(channel, undefined), channel);
  });
});
