import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log/create-logger.ts';
import { confirmedEnqueue } from '../../src/queue/confirmed-enqueue.ts';
import { EnqueueRefusedError, EnqueueUnconfirmedError, ReplicationLagError } from '../../src/queue/errors.ts';
import type { JobStartGate } from '../../src/queue/job-start-gate.ts';

const logger = createLogger({ level: 'silent' });

/** A gate that records cancellations (the real one is tested through the e2e acks). */
function recordingGate() {
  const cancelled: string[] = [];
  const gate: JobStartGate = {
    claim: () => Promise.resolve('started'),
    cancel: (jobId) => {
      cancelled.push(jobId);
      return Promise.resolve(true);
    },
  };
  return { gate, cancelled };
}

const failingWith = (error: Error) => () => Promise.reject(error);

describe('confirmedEnqueue in every Redis topology', () => {
  it('calls a job refused before anything was written "not queued": standalone and Sentinel, Cluster, a former master', async () => {
    const refusals = [
      "Stream isn't writeable and enableOfflineQueue options is false",
      // ioredis' Cluster client while it (re)learns the slots after a failover.
      "Cluster isn't ready and enableOfflineQueue options is false",
      // A master demoted by a Sentinel failover refuses the write.
      "READONLY You can't write against a read only replica.",
    ];
    for (const message of refusals) {
      const { gate, cancelled } = recordingGate();
      await assert.rejects(
        confirmedEnqueue({ add: failingWith(new Error(message)), jobId: 'job-1', gate, logger }),
        EnqueueRefusedError,
        message,
      );
      assert.deepEqual(cancelled, [], 'nothing to cancel: the job is not in Redis');
    }
  });

  it('calls a job Redis took but too few replicas confirmed "unconfirmed", with a cancel that reaches the start gate', async () => {
    const { gate, cancelled } = recordingGate();
    const lag = new ReplicationLagError('only 0 of 1 Redis replicas confirmed the job within 1000 ms');
    const error = await confirmedEnqueue({ add: failingWith(lag), jobId: 'job-2', gate, logger }).then(
      () => assert.fail('the enqueue was confirmed'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof EnqueueUnconfirmedError);
    assert.equal(error.cause, lag);
    error.cancel();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(cancelled, ['job-2']);
  });

  it('returns the job id when Redis confirmed the add', async () => {
    const { gate } = recordingGate();
    assert.equal(await confirmedEnqueue({ add: () => Promise.resolve('job-3'), jobId: 'job-3', gate, logger }), 'job-3');
  });
});
