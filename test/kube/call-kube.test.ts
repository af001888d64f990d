import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { callKube } from '../../src/kube/call-kube.ts';
import { ClusterUnreachableError, KubeNotFoundError, KubeServerError } from '../../src/kube/errors.ts';

const kube = { server: 'https://k8s.internal.example:6443' };
const coded = (code: string, message = `read ${code}`) => Object.assign(new Error(message), { code });
const status = (code: number) => JSON.stringify({ kind: 'Status', code, message: `status ${code}` });

/** A call that fails with each given error in turn, then answers 'ok'; counts its calls. */
function failingThen(...errors: Error[]) {
  const state = { calls: 0 };
  const call = () => {
    const error = errors[state.calls];
    state.calls += 1;
    return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
  };
  return { call, state };
}

describe('callKube retries', () => {
  it('retries a reset, a cut answer, a socket hang up and a refused connection on reads, then answers', async () => {
    const { call, state } = failingThen(coded('ECONNRESET'), coded('ERR_STREAM_PREMATURE_CLOSE', 'Premature close'), coded('ECONNREFUSED'));
    assert.equal(await callKube(kube, call, { backoffMs: 1 }), 'ok');
    assert.equal(state.calls, 4);
  });

  it('retries 429 and 5xx, honouring Retry-After', async () => {
    const { call, state } = failingThen(
      new ApiException(429, 'x', status(429), { 'retry-after': '0' }),
      new ApiException(503, 'x', status(503), {}),
    );
    assert.equal(await callKube(kube, call, { backoffMs: 1 }), 'ok');
    assert.equal(state.calls, 3);
  });

  it('gives up after three retries with a short coded message naming them, never the URL or the raw error', async () => {
    const raw = 'Invalid response body while trying to fetch https://k8s.internal.example:6443/api/v1/pods: Premature close';
    const { call, state } = failingThen(...Array.from({ length: 10 }, () => coded('ERR_STREAM_PREMATURE_CLOSE', raw)));
    const error = await callKube(kube, call, { backoffMs: 1 }).catch((e: unknown) => e);
    assert.ok(error instanceof ClusterUnreachableError);
    assert.equal(state.calls, 4);
    assert.equal(error.message, 'the Kubernetes API did not answer (connection closed mid-answer: ERR_STREAM_PREMATURE_CLOSE, retried 3×)');
    assert.equal(error.server, kube.server);
  });

  it('does not retry writes (retries: 0), 4xx answers, timeouts, or TLS failures', async () => {
    for (const [error, options] of [
      [coded('ECONNRESET'), { retries: 0 }],
      [new ApiException(404, 'x', status(404), {}), {}],
      [Object.assign(new Error('no answer within 15000 ms'), { name: 'TimeoutError' }), {}],
      [coded('CERT_HAS_EXPIRED'), {}],
    ] as const) {
      const { call, state } = failingThen(error);
      const thrown = await callKube(kube, call, { backoffMs: 1, ...options }).catch((e: unknown) => e);
      assert.equal(state.calls, 1, `${String(error)} was retried`);
      assert.ok(thrown instanceof ClusterUnreachableError || thrown instanceof KubeNotFoundError);
      assert.doesNotMatch(thrown.message, /k8s\.internal|retried/);
    }
  });

  it('does not wait out a Retry-After longer than it allows', async () => {
    const { call, state } = failingThen(new ApiException(429, 'x', status(429), { 'retry-after': '60' }));
    const error = await callKube(kube, call).catch((e: unknown) => e);
    assert.ok(error instanceof KubeServerError);
    assert.equal(state.calls, 1);
  });

  it('passes bugs through unchanged', async () => {
    const bug = new TypeError('x is undefined');
    const { call } = failingThen(bug);
    assert.equal(await callKube(kube, call).catch((e: unknown) => e), bug);
  });
});
