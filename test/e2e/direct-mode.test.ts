import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHECKOUT_CRASH_LINE, CHECKOUT_POD, FRONTEND_PODS } from '../../dev/cluster/fixture-names.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { waitForAnswer } from './support.ts';

describe('direct mode: without ANTHROPIC_API_KEY, kubectl-style commands still work', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { ANTHROPIC_API_KEY: '', CLUSTER_NAME: 'prod-eu' } });
  });
  after(async () => {
    await stack.stop();
  });
  const answerTo = async (question: string) => {
    await stack.slashCommand({ text: question });
    const { replies } = await waitForAnswer(stack.slack, question);
    return replies.map((r) => r.text).join('\n');
  };

  it('runs `pods -n shop` as `get pods -n shop` and posts the result in a code block', async () => {
    const answer = await answerTo('pods -n shop');
    assert.match(answer, /`kubectl get pods -n shop`/);
    assert.match(answer, /_direct mode \(AI is not configured\) · cluster: prod-eu_/); // CLUSTER_NAME wins
    assert.match(answer, new RegExp(`\`\`\`[\\s\\S]*${CHECKOUT_POD}.*CrashLoopBackOff[\\s\\S]*\`\`\``));
  });

  it('runs `logs <pod> --previous -n shop` and `kubectl get pods -A`', async () => {
    assert.ok((await answerTo(`logs ${CHECKOUT_POD} --previous -n shop`)).includes(CHECKOUT_CRASH_LINE));
    // A selector keeps the listing to the fixtures: other test files may add many pods to the shared cluster.
    const all = await answerTo('kubectl get pods -A -l "app in (frontend,payments-api)"');
    assert.ok(all.includes(FRONTEND_PODS[0]) && all.includes('payments-api'), all);
  });

  it('speaks kubectl: the k alias, short names, workload logs and describe of any kind', async () => {
    // By name: the shared cluster holds many test namespaces, so a full listing shows only its first lines inline.
    const namespaces = await answerTo('k get ns shop');
    assert.match(namespaces, /`kubectl get ns shop`/);
    assert.match(namespaces, /shop\s+\S+\s+Active/, namespaces);
    const logs = await answerTo('logs deploy/frontend -n shop --tail 5');
    assert.match(logs, /First of 2 pods of deployment\/frontend/);
    const node = await answerTo('describe node node-3');
    assert.match(node, /Node node-3/);
    const sts = await answerTo('sts -n payments');
    assert.match(sts, /`kubectl get sts -n payments`[\s\S]*ledger/);
  });

  it('posts the tool refusal for a command it does not allow', async () => {
    const answer = await answerTo('delete pod x -n shop');
    assert.match(answer, /⚠️ `kubectl delete pod x -n shop` did not run/);
    assert.match(answer, /read-only/);
  });

  it('answers a free-form question with how to configure AI and what works meanwhile', async () => {
    const answer = await answerTo('why is checkout crashing?');
    assert.match(answer, /AI is not configured.*ANTHROPIC_API_KEY/);
    assert.match(answer, /\/k8s pods -n payments/);
    assert.match(answer, /\/k8s logs &lt;pod&gt; --previous/); // Slack mrkdwn escapes < and >
  });

  it('never called the model', () => {
    assert.equal(stack.model.requests.length, 0);
  });
});
