import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DelayedError, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { handBackOnShutdown } from '../../src/worker/hand-back-on-shutdown.ts';
import { SHUTDOWN_REASON } from '../../src/worker/job-abort.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';

describe('handBackOnShutdown: a worker that is stopping returns its job to the queue at once', () => {
  let connection: Redis;
  let queue: Queue;
  let worker: Worker;
  before(async () => {
    connection = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    const name = uniqueName('hand-back');
    queue = new Queue(name, { connection });
    // Manual fetching: the test takes each job with its lock token, as BullMQ's processor would get it.
    worker = new Worker(name, null, { connection });
  });
  after(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  /** A job taken with its lock, run through handBackOnShutdown with `body` standing for the answer. */
  async function take({ closing = false, body }: { closing?: boolean; body: (stop: AbortController) => Promise<void> }) {
    await queue.add('q', {}, { attempts: 3 });
    const token = randomUUID();
    const job = await worker.getNextJob(token);
    assert.ok(job !== undefined);
    const stop = new AbortController();
    let ran = false;
    const outcome = await handBackOnShutdown({ job, token, signal: stop.signal, closing: () => closing }, async () => {
      ran = true;
      await body(stop);
    }).then(
      () => 'returned',
      (error: unknown) => error,
    );
    const state = await job.getState();
    await job.remove().catch(() => undefined);
    return { outcome, state, attemptsMade: job.attemptsMade, ran };
  }

  it('a job stopped by the shutdown signal, at any step, is moved back to the queue without using an attempt', async () => {
    const { outcome, state, attemptsMade, ran } = await take({
      body: (stop) => {
        stop.abort(SHUTDOWN_REASON);
        return Promise.reject(new Error('the root post was cut off'));
      },
    });
    assert.ok(outcome instanceof DelayedError, 'BullMQ is told the job was moved');
    assert.equal(state, 'delayed');
    assert.equal(attemptsMade, 0);
    assert.equal(ran, true);
  });

  it('a job a closing worker still fetches is handed back without being started', async () => {
    const { outcome, state, ran } = await take({ closing: true, body: () => Promise.resolve() });
    assert.ok(outcome instanceof DelayedError);
    assert.equal(state, 'delayed');
    assert.equal(ran, false);
  });

  it('any other failure, and an abort for another reason (a lost lock), pass through unchanged with the job left as it is', async () => {
    const boom = new Error('boom');
    const bug = await take({
      body: () => Promise.reject(boom),
    });
    assert.equal(bug.outcome, boom);
    assert.equal(bug.state, 'active');
    const aborted = new Error('aborted');
    const lost = await take({
      body: (stop) => {
        stop.abort('lock lost');
        return Promise.reject(aborted);
      },
    });
    assert.equal(lost.outcome, aborted);
    assert.equal(lost.state, 'active');
  });

  it('a job that finishes is not touched', async () => {
    const { outcome, state, ran } = await take({ body: () => Promise.resolve() });
    assert.equal(outcome, 'returned');
    assert.equal(state, 'active', 'completing it is the worker loop’s part');
    assert.equal(ran, true);
  });
});
