import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../../dev/support/slack-requests.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, toolResultsOf, waitForAnswer, waitForThreadAnswers } from './support.ts';

const TEAM = 'T0IDENT01';

function writePolicy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-e2e-policy-')), 'policy.yaml');
  writeFileSync(
    path,
    [
      'identities:',
      '  unmapped: refuse',
      '  users:',
      `    "slack:${TEAM}:UVIEWER01": { user: viewer }`,
      `    "slack:${TEAM}:UNOBODY01": { user: nobody }`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('identity: the worker names the asking chat user to the MCP server, Kubernetes RBAC decides', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { AI4K8S_POLICY: writePolicy() } });
  });
  after(async () => {
    await stack.stop();
  });

  /** Asks as `userId`; returns the tool result the scripted model got for its pods_list call. */
  const podsListAs = async (userId: string, question: string) => {
    let second: MessagesRequest | undefined;
    stack.model.script({ content: [toolUse('pods_list', { namespace: 'shop' })] }, (request) => {
      second = request;
      return { content: [text('Done.')] };
    });
    await stack.slashCommand({ text: question, userId, teamId: TEAM });
    await waitForAnswer(stack.slack, question);
    assert.ok(second !== undefined);
    const [result] = toolResultsOf(second);
    assert.ok(result !== undefined);
    return result;
  };

  it('a user mapped to viewer gets the real pods', async () => {
    const result = await podsListAs('UVIEWER01', 'pods as viewer?');
    assert.equal(result.isError, false, result.text);
    assert.match(result.text, new RegExp(CHECKOUT_POD));
  });

  it('a user mapped to nobody gets a forbidden tool result naming the Kubernetes user', async () => {
    const result = await podsListAs('UNOBODY01', 'pods as nobody?');
    assert.equal(result.isError, true);
    assert.match(result.text, /^forbidden: .*User "nobody" cannot list resource "pods"/);
  });

  it('an unmapped user is refused, and concurrent users never get each other’s identity', async () => {
    // The two jobs' model turns interleave in any order, so each step answers by what the request holds.
    const results: ReturnType<typeof toolResultsOf> = [];
    const step = (request: MessagesRequest) => {
      const got = toolResultsOf(request);
      results.push(...got);
      return got.length > 0 ? { content: [text('Done.')] } : { content: [toolUse('pods_list', { namespace: 'shop' })] };
    };
    stack.model.script(step, step, step, step);
    await Promise.all(
      [
        ['USTRANGER', 'pods as stranger?'],
        ['UVIEWER01', 'pods as viewer again?'],
      ].map(async ([userId = '', question = '']) => {
        await stack.slashCommand({ text: question, userId, teamId: TEAM });
        await waitForAnswer(stack.slack, question);
      }),
    );
    assert.equal(results.length, 2);
    assert.equal(results.filter((r) => r.isError && /has no Kubernetes identity/.test(r.text)).length, 1, JSON.stringify(results));
    assert.equal(results.filter((r) => !r.isError && r.text.includes(CHECKOUT_POD)).length, 1, JSON.stringify(results));
    await sleep(100);
    const { events } = await readAudit(stack.redis, stack.prefix);
    const byUser = (user: string) => events.filter((e) => e.kind === 'tool_call' && e.user === user).map((e) => e.result);
    assert.deepEqual(byUser('USTRANGER'), ['error']);
    assert.deepEqual(byUser('UNOBODY01'), ['error']);
  });

  it("a follow-up by another person in the thread does not get the tool results fetched with the first person's identity", async () => {
    stack.model.reset();
    stack.slack.reset();
    const channel = 'C0IDENT001';
    const threadTs = '1700000100.000100';
    const say = (user: string, text: string, ts: string) =>
      postToSlackEndpoint({
        gatewayUrl: stack.gatewayUrl,
        body: eventCallbackBody({
          teamId: TEAM,
          event:
            ts === threadTs
              ? { type: 'app_mention', user, text: `<@U0FAKEBOT1> ${text}`, ts, channel }
              : { type: 'message', channel_type: 'channel', user, text, ts, thread_ts: threadTs, channel },
        }),
        contentType: 'application/json',
        secret: SIGNING_SECRET,
      });
    const requests: MessagesRequest[] = [];
    const keep = (request: MessagesRequest) => requests.push(request);
    stack.model.script(
      // The viewer asks; the pods list (what only their RBAC may read) comes back; the answer does not repeat it.
      (r) => (keep(r), { content: [toolUse('pods_list', { namespace: 'shop' })] }),
      (r) => (keep(r), { content: [text('I listed the pods of shop for you.')] }),
      // Someone mapped to nobody follows up in the same thread.
      (r) => (keep(r), { content: [text('I cannot tell you more without looking myself.')] }),
      // The viewer follows up again: their own result is still theirs.
      (r) => (keep(r), { content: [text('Same as before.')] }),
    );
    assert.equal((await say('UVIEWER01', 'which pods run in shop?', threadTs)).status, 200);
    await waitForThreadAnswers(stack.slack, channel, threadTs, 1);
    assert.ok(
      toolResultsOf(requests[1] ?? {}).some((r) => !r.isError && r.text.includes(CHECKOUT_POD)),
      'the viewer did not get the pods: the test proves nothing',
    );

    assert.equal((await say('UNOBODY01', 'and what did you find there?', '1700000100.000200')).status, 200);
    await waitForThreadAnswers(stack.slack, channel, threadTs, 2);
    const forNobody = JSON.stringify(requests[2]?.messages ?? []);
    assert.ok(forNobody.includes('which pods run in shop?'), 'the follow-up lost the thread');
    assert.ok(
      !forNobody.includes(CHECKOUT_POD),
      `the follow-up by another person got the viewer's tool result: ${forNobody.slice(0, 2_000)}`,
    );
    assert.match(forNobody, /fetched as another user; call the tool again if you need it/);

    assert.equal((await say('UVIEWER01', 'anything new?', '1700000100.000300')).status, 200);
    await waitForThreadAnswers(stack.slack, channel, threadTs, 3);
    assert.ok(JSON.stringify(requests[3]?.messages ?? []).includes(CHECKOUT_POD), 'the viewer lost their own earlier result');
  });
});
