import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SLACK_BODY_LIMIT } from '../../adapters/slack/slack-routes.ts';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { eventCallbackBody, postToSlackEndpoint, slackSignatureHeaders } from '../../dev/support/slack-requests.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { waitForThreadAnswers } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

const BOT = 'U0FAKEBOT1';
const CHANNEL = 'C0SHOP0001';
const ALICE = 'U0ALICE001';

/**
 * Signed but malformed or unexpected requests on the HTTP request URL: each gets a 2xx (ignored) or a 4xx,
 * never a 5xx, never a job, and the gateway keeps serving. (A truncated JSON body and an oversized slash
 * command are in slash-command.test.ts; forged signatures there too.)
 */
describe('Slack malformed payloads, unknown event types and oversized bodies (HTTP)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const jobCount = () => countJobs(stack.redis, stack.prefix, CHAT_QUEUE);
  const post = (body: string, contentType = 'application/json') =>
    postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, contentType, secret: SIGNING_SECRET });
  const event = (inner: Record<string, unknown>) => eventCallbackBody({ event: inner });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  const cases: [string, string, string?][] = [
    [
      'an unknown event type',
      event({
        type: 'reaction_added',
        user: ALICE,
        reaction: 'eyes',
        item: { type: 'message', channel: CHANNEL, ts: '1.2' },
        event_ts: '1.3',
      }),
    ],
    [
      'an unknown envelope type',
      JSON.stringify({ type: 'app_rate_limited', token: 'x', team_id: 'T0AI4K8S', minute_rate_limited: 1, api_app_id: 'A0AI4K8S01' }),
    ],
    ['an event_callback without an event', JSON.stringify({ type: 'event_callback', team_id: 'T0AI4K8S', event_id: 'Ev0NOEVENT1' })],
    [
      'an event that is not an object',
      JSON.stringify({ type: 'event_callback', team_id: 'T0AI4K8S', event: 'app_mention', event_id: 'Ev0STRING01' }),
    ],
    ['a mention without channel or ts', event({ type: 'app_mention', user: ALICE, text: `<@${BOT}> which pods?` })],
    [
      'a mention with a non-string text',
      event({ type: 'app_mention', user: ALICE, text: { question: 'pods?' }, ts: '1700000400.000001', channel: CHANNEL }),
    ],
    ['a JSON array', '[1, 2, 3]'],
    ['JSON null', 'null'],
    ['an empty JSON object', '{}'],
    ['an interactive payload that is not JSON', form({ payload: '{not json' }), 'application/x-www-form-urlencoded'],
    [
      'an interactive payload of an unknown type',
      form({ payload: JSON.stringify({ type: 'dialog_submission', team: { id: 'T0AI4K8S' }, user: { id: ALICE } }) }),
      'application/x-www-form-urlencoded',
    ],
    [
      'block_actions without actions',
      form({ payload: JSON.stringify({ type: 'block_actions', team: { id: 'T0AI4K8S' }, user: { id: ALICE }, channel: { id: CHANNEL } }) }),
      'application/x-www-form-urlencoded',
    ],
    [
      'a slash command without command or text',
      form({ team_id: 'T0AI4K8S', user_id: ALICE, channel_id: CHANNEL }),
      'application/x-www-form-urlencoded',
    ],
    [
      'an unknown slash command',
      form({ team_id: 'T0AI4K8S', user_id: ALICE, channel_id: CHANNEL, command: '/deploy', text: 'prod', trigger_id: '1.2.3' }),
      'application/x-www-form-urlencoded',
    ],
    ['an unknown content type', 'just some text', 'text/plain'],
  ];

  for (const [what, body, contentType] of cases) {
    it(`${what}: 2xx or 4xx, never 5xx, no job`, async () => {
      const response = await post(body, contentType);
      await response.arrayBuffer();
      assert.ok(response.status < 500, `status ${response.status}`);
      assert.equal(await jobCount(), 0);
    });
  }

  it('an oversized event body is refused with 413, whether announced by content-length or streamed', async () => {
    const huge = event({
      type: 'app_mention',
      user: ALICE,
      text: `<@${BOT}> ${'x'.repeat(SLACK_BODY_LIMIT)}`,
      ts: '1700000400.000002',
      channel: CHANNEL,
    });
    const announced = await post(huge);
    assert.equal(announced.status, 413);
    // Without content-length (chunked), the gateway stops reading at the limit.
    const chunks = [huge.slice(0, 1000), huge.slice(1000)];
    const streamed = await fetch(`${stack.gatewayUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...slackSignatureHeaders(huge, { secret: SIGNING_SECRET }) },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    });
    await streamed.arrayBuffer().catch(() => undefined);
    assert.equal(streamed.status, 413);
    assert.equal(await jobCount(), 0);
  });

  it('still serves afterwards: healthy, and a real mention is answered', async () => {
    assert.equal((await fetch(`${stack.gatewayUrl}/healthz`)).status, 200);
    stack.model.script({ content: [text('All pods in shop are running.')] });
    const ts = '1700000400.000003';
    const response = await post(
      event({ type: 'app_mention', user: ALICE, text: `<@${BOT}> are all pods in shop running?`, ts, channel: CHANNEL }),
    );
    assert.equal(response.status, 200);
    const [answer] = await waitForThreadAnswers(stack.slack, CHANNEL, ts, 1);
    assert.match(answer?.text ?? '', /All pods in shop are running/);
    assert.equal(await jobCount(), 1, 'the only job is the real question');
  });
});
