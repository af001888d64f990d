import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { startFakeSlackApi, type FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';

const quickRetries = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 };

function isPlatformError(error: unknown, code: string): boolean {
  const platform = error as WebAPIPlatformError;
  return platform.code === ErrorCode.PlatformError && platform.data.error === code;
}

describe('fake Slack Web API', () => {
  let slack: FakeSlackApi;
  let client: WebClient;

  before(async () => {
    slack = await startFakeSlackApi();
    client = new WebClient(slack.token, { slackApiUrl: slack.url, retryConfig: quickRetries });
  });
  after(async () => {
    await slack.stop();
  });

  it('answers auth.test with the bot identity', async () => {
    const result = await client.auth.test();
    assert.equal(result.ok, true);
    assert.equal(result.user_id, slack.identity.botUserId);
    assert.equal(result.team_id, slack.identity.teamId);
    assert.deepEqual(result.response_metadata?.scopes?.includes('chat:write'), true);
  });

  it('keeps a thread: root, replies, an update, and an ephemeral', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Looking…*' } }];
    const root = await client.chat.postMessage({ channel: 'C0THREAD01', text: 'why is checkout crashlooping?', blocks });
    assert.equal(root.ok, true);
    assert.equal(root.channel, 'C0THREAD01');
    assert.match(root.ts ?? '', /^\d{10}\.\d{6}$/);
    assert.equal(root.message?.bot_id, slack.identity.botId);
    assert.deepEqual(root.message?.blocks, blocks, 'blocks arrive JSON-encoded in the form body and are decoded');
    const rootTs = root.ts ?? '';

    const reply = await client.chat.postMessage({ channel: 'C0THREAD01', thread_ts: rootTs, text: 'working on it' });
    assert.ok((reply.ts ?? '') > rootTs, 'ts values increase');
    assert.equal(reply.message?.thread_ts, rootTs);

    const updated = await client.chat.update({ channel: 'C0THREAD01', ts: reply.ts ?? '', text: 'checkout OOMKilled 5 times' });
    assert.equal(updated.ts, reply.ts);
    assert.equal(updated.text, 'checkout OOMKilled 5 times');

    const ephemeral = await client.chat.postEphemeral({ channel: 'C0THREAD01', user: 'U0ALICE', text: 'only you can see this' });
    assert.match(ephemeral.message_ts ?? '', /^\d{10}\.\d{6}$/);

    const thread = slack.thread('C0THREAD01', rootTs);
    assert.deepEqual(
      thread.map((m) => m.text),
      ['why is checkout crashlooping?', 'checkout OOMKilled 5 times'],
    );
    assert.equal(thread[1]?.edits.length, 1);
    assert.equal(slack.ephemerals().at(-1)?.user, 'U0ALICE');
    assert.deepEqual(
      slack.calls.slice(-4).map((c) => c.method),
      ['chat.postMessage', 'chat.postMessage', 'chat.update', 'chat.postEphemeral'],
    );
  });

  it('waitFor resolves when a later post matches', async () => {
    const waiting = slack.waitFor((s) => s.messages('C0WAIT0001').find((m) => m.text === 'done'), 2000);
    await client.chat.postMessage({ channel: 'C0WAIT0001', text: 'done' });
    const message = await waiting;
    assert.equal(message.channel, 'C0WAIT0001');
  });

  it('waitFor times out with a list of what was recorded', async () => {
    await assert.rejects(
      slack.waitFor((s) => s.messages('C0NEVER001').length > 0, 50),
      (error: Error) => /timed out after 50 ms/.test(error.message) && /chat\.postMessage channel=C0WAIT0001/.test(error.message),
    );
  });

  it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await assert.rejects(wrong.chat.postMessage({ channel: 'C0AUTH0001', text: 'x' }), (e) => isPlatformError(e, 'invalid_auth'));
    const none = new WebClient(undefined, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await assert.rejects(none.auth.test(), (e) => isPlatformError(e, 'not_authed'));
    assert.equal(slack.messages('C0AUTH0001').length, 0);
  });

  it('rate limits with 429 and Retry-After; WebClient waits, retries, and the message is stored once', async () => {
    slack.failNext('chat.postMessage', { rateLimited: 1 });
    const before = slack.calls.length;
    const started = Date.now();
    const result = await client.chat.postMessage({ channel: 'C0RATE0001', text: 'after the limit' });
    assert.equal(result.ok, true);
    assert.ok(Date.now() - started >= 1000, 'WebClient honoured Retry-After: 1');
    const attempts = slack.calls.slice(before);
    assert.deepEqual(
      attempts.map((c) => c.response?.status),
      [429, 200],
    );
    assert.equal(slack.messages('C0RATE0001').length, 1);
  });

  it('injects channel_not_found and HTTP 500', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await assert.rejects(client.chat.postMessage({ channel: 'C0FAULT001', text: 'x' }), (e) => isPlatformError(e, 'channel_not_found'));
    slack.failNext('chat.postMessage', { status: 500 });
    const once = new WebClient(slack.token, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await assert.rejects(
      once.chat.postMessage({ channel: 'C0FAULT001', text: 'x' }),
      (e) => (e as { code?: string }).code === ErrorCode.HTTPError,
    );
    assert.equal(slack.messages('C0FAULT001').length, 0);
  });

  it("answers Slack's argument errors", async () => {
    await assert.rejects(client.chat.postMessage({ channel: 'not a channel', text: 'x' }), (e) => isPlatformError(e, 'channel_not_found'));
    await assert.rejects(client.chat.postMessage({ channel: 'C0ARGS0001', text: '' }), (e) => isPlatformError(e, 'no_text'));
    await assert.rejects(client.chat.update({ channel: 'C0ARGS0001', ts: '1700000000.000001', text: 'x' }), (e) =>
      isPlatformError(e, 'message_not_found'),
    );
    await assert.rejects(client.apiCall('chat.nonsense', {}), (e) => isPlatformError(e, 'unknown_method'));
    const longSection = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    await assert.rejects(client.chat.postMessage({ channel: 'C0ARGS0001', text: 'long', blocks: longSection }), (e) => {
      const data = (e as WebAPIPlatformError).data;
      return data.error === 'invalid_blocks' && String((data as { errors?: string[] }).errors).includes('/blocks/0/text/text');
    });
    assert.equal(slack.messages('C0ARGS0001').length, 0);
  });

  it('keeps message metadata from chat.postMessage and chat.update, and refuses a malformed one', async () => {
    const metadata = { event_type: 'ai4k8s_post', event_payload: { job: 'slack-1', part: 'root' } };
    const posted = await client.chat.postMessage({ channel: 'C0META0001', text: 'with metadata', metadata });
    assert.deepEqual(posted.message?.metadata, metadata);
    const changed = { event_type: 'ai4k8s_post', event_payload: { job: 'slack-1', part: 'progress' } };
    await client.chat.update({ channel: 'C0META0001', ts: posted.ts ?? '', text: 'edited', metadata: changed });
    assert.deepEqual(slack.messages('C0META0001')[0]?.metadata, changed);
    const bad = { event_type: 'has spaces', event_payload: {} };
    await assert.rejects(client.chat.postMessage({ channel: 'C0META0001', text: 'x', metadata: bad }), (e) =>
      isPlatformError(e, 'invalid_metadata_schema'),
    );
    await assert.rejects(client.apiCall('chat.postMessage', { channel: 'C0META0001', text: 'x', metadata: '{not json' }), (e) =>
      isPlatformError(e, 'invalid_metadata_format'),
    );
  });

  it('pages conversations.history newest first with cursor, has_more, oldest/latest and include_all_metadata', async () => {
    const channel = 'C0HIST0001';
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const metadata = { event_type: 'ai4k8s_post', event_payload: { job: `j${i}`, part: 'root' } };
      const root = await client.chat.postMessage({ channel, text: `root ${i}`, metadata });
      ts.push(root.ts ?? '');
    }
    // A thread reply is not part of the channel's history.
    await client.chat.postMessage({ channel, thread_ts: ts[0], text: 'a reply' });
    const first = await client.conversations.history({ channel, limit: 2 });
    assert.deepEqual(
      first.messages?.map((m) => m.text),
      ['root 4', 'root 3'],
    );
    assert.equal(first.has_more, true);
    assert.equal(first.messages?.[0]?.metadata, undefined, 'metadata only with include_all_metadata');
    const cursor = first.response_metadata?.next_cursor ?? '';
    assert.match(Buffer.from(cursor, 'base64').toString(), /^next_ts:\d+\.\d{6}$/);
    const second = await client.conversations.history({ channel, limit: 2, cursor, include_all_metadata: true });
    assert.deepEqual(
      second.messages?.map((m) => m.text),
      ['root 2', 'root 1'],
    );
    assert.deepEqual(second.messages?.[0]?.metadata, { event_type: 'ai4k8s_post', event_payload: { job: 'j2', part: 'root' } });
    const last = await client.conversations.history({ channel, limit: 2, cursor: second.response_metadata?.next_cursor ?? '' });
    assert.deepEqual(
      last.messages?.map((m) => m.text),
      ['root 0'],
    );
    assert.equal(last.has_more, false);
    assert.equal(last.response_metadata?.next_cursor, '');
    const window = await client.conversations.history({ channel, oldest: ts[1], latest: ts[3] });
    assert.deepEqual(
      window.messages?.map((m) => m.text),
      ['root 2'],
      'oldest and latest are exclusive',
    );
    const inclusive = await client.conversations.history({ channel, oldest: ts[1], latest: ts[3], inclusive: true });
    assert.deepEqual(
      inclusive.messages?.map((m) => m.text),
      ['root 3', 'root 2', 'root 1'],
    );
    await assert.rejects(client.conversations.history({ channel, cursor: 'bm9wZQ==' }), (e) => isPlatformError(e, 'invalid_cursor'));
    await assert.rejects(client.conversations.history({ channel: 'not a channel' }), (e) => isPlatformError(e, 'channel_not_found'));
  });

  it('answers conversations.replies with the parent first, then the replies oldest first, file shares included', async () => {
    const channel = 'C0REPL0001';
    const root = await client.chat.postMessage({ channel, text: 'the question' });
    const rootTs = root.ts ?? '';
    for (let i = 0; i < 3; i += 1) {
      await client.chat.postMessage({
        channel,
        thread_ts: rootTs,
        text: `reply ${i}`,
        metadata: { event_type: 'ai4k8s_post', event_payload: { job: 'j', part: `answer:${i}` } },
      });
    }
    const ticket = await client.files.getUploadURLExternal({ filename: 'answer.md', length: 4 });
    await fetch(ticket.upload_url ?? '', { method: 'POST', body: 'text' });
    await client.files.completeUploadExternal({ files: [{ id: ticket.file_id ?? '' }], channel_id: channel, thread_ts: rootTs });
    const page = await client.conversations.replies({ channel, ts: rootTs, limit: 2, include_all_metadata: true });
    assert.deepEqual(
      page.messages?.map((m) => m.text),
      ['the question', 'reply 0', 'reply 1'],
    );
    assert.equal(page.messages?.[0]?.reply_count, 4);
    assert.deepEqual(page.messages?.[1]?.metadata?.event_payload, { job: 'j', part: 'answer:0' });
    assert.equal(page.has_more, true);
    const next = await client.conversations.replies({ channel, ts: rootTs, limit: 2, cursor: page.response_metadata?.next_cursor ?? '' });
    assert.deepEqual(
      next.messages?.map((m) => m.text),
      ['reply 2', ''],
    );
    assert.equal(next.messages?.[1]?.files?.[0]?.id, ticket.file_id, 'the shared file is a message in the thread');
    assert.equal(next.has_more, false);
    assert.equal(slack.thread(channel, rootTs).length, 4, 'the test accessor keeps listing text messages only');
    const later = await client.conversations.replies({ channel, ts: rootTs, oldest: page.messages?.[2]?.ts ?? '' });
    assert.deepEqual(
      later.messages?.map((m) => m.text),
      ['the question', 'reply 2', ''],
    );
    await assert.rejects(client.conversations.replies({ channel, ts: '1600000000.000001' }), (e) => isPlatformError(e, 'thread_not_found'));
  });

  it('accepts JSON bodies with a bearer token, and refuses a token inside a JSON body', async () => {
    const post = (headers: Record<string, string>, body: object) =>
      fetch(`${slack.url}chat.postMessage`, { method: 'POST', headers, body: JSON.stringify(body) }).then(
        (r) => r.json() as Promise<{ ok: boolean; error?: string; ts?: string }>,
      );
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const ok = await post(
      { ...json, authorization: `Bearer ${slack.token}` },
      { channel: 'C0JSON0001', text: 'hi', reply_broadcast: false },
    );
    assert.equal(ok.ok, true);
    const refused = await post(json, { channel: 'C0JSON0001', text: 'hi', token: slack.token });
    assert.deepEqual(refused, { ok: false, error: 'not_authed' });
    assert.equal(slack.messages('C0JSON0001').length, 1);
  });
});

describe('fake Slack Web API options', () => {
  it('knows only the configured channels and users, and delays answers by latencyMs', async () => {
    const slack = await startFakeSlackApi({
      token: 'xoxb-own',
      latencyMs: 40,
      channels: [{ id: 'C0OPS00001', name: 'ops' }],
      users: [{ id: 'U0ALICE', name: 'alice', email: 'alice@example.com' }],
    });
    try {
      const client = new WebClient('xoxb-own', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
      const started = Date.now();
      const posted = await client.chat.postMessage({ channel: '#ops', text: 'by name' });
      assert.ok(Date.now() - started >= 40);
      assert.equal(posted.channel, 'C0OPS00001');
      await assert.rejects(client.chat.postMessage({ channel: 'C0OTHER001', text: 'x' }), (e) => isPlatformError(e, 'channel_not_found'));
      const info = await client.conversations.info({ channel: 'C0OPS00001' });
      assert.equal(info.channel?.name, 'ops');
      const user = await client.users.info({ user: 'U0ALICE' });
      assert.equal(user.user?.profile?.email, 'alice@example.com');
      await assert.rejects(client.users.info({ user: 'U0BOB' }), (e) => isPlatformError(e, 'user_not_found'));
      await assert.rejects(client.chat.postEphemeral({ channel: 'C0OPS00001', user: 'U0BOB', text: 'x' }), (e) =>
        isPlatformError(e, 'user_not_in_channel'),
      );
    } finally {
      await slack.stop();
    }
  });
});
