import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import type { AnswerView } from '../../../../src/chat/answer-view.ts';
import { createSlackClient } from '../../../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../../../adapters/slack/reply/slack-reply-channel.ts';
import { createLogger } from '../../../../src/log/create-logger.ts';
import { composeAnswerView } from '../../../../src/worker/compose-answer.ts';
import { deliverAnswer } from '../../../../src/worker/deliver-answer.ts';
import { throttleProgress } from '../../../../src/worker/throttle-progress.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../../../dev/fakes/fake-slack-api.ts';
import { testPostLedgers, type TestPostLedgers } from '../../../../dev/support/test-post-ledger.ts';

const CHANNEL = 'C0RICHTEST';
// A PNG signature and a few bytes that are not valid UTF-8, so a text round trip would corrupt them.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);

describe('the Slack reply channel: rich answers, file uploads, rate limits', () => {
  let slack: FakeSlackApi;
  let client: WebClient;
  let ledgers: TestPostLedgers;
  before(async () => {
    slack = await startFakeSlackApi();
    ledgers = await testPostLedgers();
    client = createSlackClient({ token: slack.token, slackApiUrl: slack.url, logger: createLogger({ level: 'silent' }) });
  });
  after(async () => {
    await slack.stop();
    await ledgers.close();
  });
  beforeEach(() => slack.reset());
  const channel = () => slackReplyChannel({ client, channel: CHANNEL });

  it('uploads a file into the thread with getUploadURLExternal → upload URL → completeUploadExternal', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    await reply.uploadFile?.(root, { filename: 'cpu.png', title: 'CPU of checkout', mimeType: 'image/png', data: PNG });
    assert.deepEqual(
      slack.calls.map((c) => c.method),
      ['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal'],
    );
    assert.equal(slack.calls[1]?.body.filename, 'cpu.png');
    assert.equal(Number(slack.calls[1]?.body.length), PNG.length);
    const [file] = slack.files();
    assert.ok(file !== undefined);
    assert.equal(file.filename, 'cpu.png');
    assert.equal(file.title, 'CPU of checkout');
    assert.equal(file.length, PNG.length);
    assert.deepEqual(file.bytes, PNG);
    assert.equal(file.uploadContentType, 'image/png');
    assert.equal(file.channel, CHANNEL);
    assert.equal(file.threadTs, root);
    assert.ok(file.completedAt !== undefined);
    // The file is not a message: the thread holds only what the bot posted with chat.*.
    assert.equal(slack.thread(CHANNEL, root).length, 1);
  });

  it('the fake refuses what Slack refuses: missing arguments, unknown files, a wrong token', async () => {
    const noLength = await client.apiCall('files.getUploadURLExternal', { filename: 'x.txt' }).catch((e: unknown) => e);
    assert.equal((noLength as { data?: { error?: string } }).data?.error, 'invalid_arguments');
    const unknown = await client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }], channel_id: CHANNEL }).catch((e: unknown) => e);
    assert.equal((unknown as { data?: { error?: string } }).data?.error, 'file_not_found');
    // Completing before the bytes arrived is refused too.
    const ticket = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    const early = await client.files
      .completeUploadExternal({ files: [{ id: ticket.file_id ?? '' }], channel_id: CHANNEL })
      .catch((e: unknown) => e);
    assert.equal((early as { data?: { error?: string } }).data?.error, 'file_not_found');
    assert.equal((await fetch(`${slack.url.replace(/api\/$/, '')}upload/v1/nope`, { method: 'POST', body: 'x' })).status, 404);
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await assert.rejects(stranger.files.getUploadURLExternal({ filename: 'a.txt', length: 1 }), /invalid_auth/);
  });

  it('the fake speaks the upload flow over raw HTTP: form body with a body token, bytes, then a JSON body with a bearer token', async () => {
    const form = new URLSearchParams({ token: slack.token, filename: 'out.txt', length: '5', snippet_type: 'text' });
    const ticket = (await (await fetch(`${slack.url}files.getUploadURLExternal`, { method: 'POST', body: form })).json()) as {
      ok: boolean;
      upload_url: string;
      file_id: string;
    };
    assert.equal(ticket.ok, true);
    const upload = await fetch(ticket.upload_url, { method: 'POST', body: 'hello' });
    assert.equal(upload.status, 200);
    assert.equal(await upload.text(), 'OK - 5');
    const complete = await fetch(`${slack.url}files.completeUploadExternal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ files: [{ id: ticket.file_id, title: 'Output' }], channel_id: CHANNEL, thread_ts: '1700000000.000100' }),
    });
    const body = (await complete.json()) as { ok: boolean; files: { id: string; title: string; size: number }[] };
    assert.deepEqual(body, {
      ok: true,
      files: [{ id: ticket.file_id, name: 'out.txt', title: 'Output', size: 5, mimetype: 'text/plain;charset=UTF-8' }],
    });
    assert.equal(slack.files()[0]?.snippetType, 'text');
    assert.equal(slack.files()[0]?.threadTs, '1700000000.000100');
    // A second completion of the same file is refused.
    const again = await fetch(`${slack.url}files.completeUploadExternal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ id: ticket.file_id }], channel_id: CHANNEL }),
    });
    assert.equal(((await again.json()) as { error?: string }).error, 'file_not_found');
    const threadless = await fetch(`${slack.url}files.completeUploadExternal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ id: ticket.file_id }], thread_ts: '1700000000.000100' }),
    });
    assert.equal(((await threadless.json()) as { error?: string }).error, 'invalid_arguments');
  });

  it('replaces the progress message with blocks and a text fallback', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, '_Working on it…_');
    const view: AnswerView = {
      markdown: '## Diagnosis\n\nAll good.',
      headline: 'Diagnosis',
      findings: 'All good.',
      facts: { cluster: 'c1', namespaces: ['shop'], tools: ['pods_list'], steps: 1, tokens: 42 },
    };
    await reply.updateAnswer?.(progress, view);
    const message = slack.thread(CHANNEL, root).find((m) => m.ts === progress);
    const blocks = (message?.blocks ?? []) as { type: string }[];
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'context'],
    );
    assert.match(
      message?.text ?? '',
      /^\*Diagnosis\*\n\nAll good\.\n\n_cluster: c1 · namespace: shop · tools: pods_list · 1 step · 42 tokens_$/,
    );
  });

  it('the fake rejects more than 50 blocks or a section over 3000 characters with invalid_blocks', async () => {
    const root = await channel().postRoot('question');
    const many = Array.from({ length: 51 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x' } }));
    await assert.rejects(client.chat.postMessage({ channel: CHANNEL, thread_ts: root, text: 't', blocks: many }), /invalid_blocks/);
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    await assert.rejects(client.chat.update({ channel: CHANNEL, ts: root, text: 't', blocks: long }), /invalid_blocks/);
  });

  it('a burst of 50 progress events makes one edit at once and one per second after, the last with the latest state', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, 'working');
    const throttle = throttleProgress<number>({
      intervalMs: 1_000,
      send: (n) => reply.update(progress, `step ${n}`),
      onError: (e) => assert.fail(String(e)),
    });
    const burstStarted = Date.now();
    for (let n = 1; n <= 50; n += 1) {
      throttle.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const burstMs = Date.now() - burstStarted;
    await slack.waitFor((s) => s.calls.some((c) => c.method === 'chat.update' && c.body.text === 'step 50'), 4_000);
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // room for a wrong extra edit
    await throttle.stop();
    const edits = slack.calls.filter((c) => c.method === 'chat.update');
    // One edit at once, then at most one a second while the burst lasts (well under a second unless the machine is busy).
    const bound = 1 + Math.ceil(burstMs / 1_000);
    assert.ok(
      edits.length >= 2 && edits.length <= bound,
      `${edits.length} edits for a ${burstMs} ms burst: ${edits.map((c) => String(c.body.text)).join(', ')}`,
    );
    assert.equal(edits[0]?.body.text, 'step 1');
    assert.equal(edits.at(-1)?.body.text, 'step 50');
    for (let k = 1; k < edits.length; k += 1)
      assert.ok((edits[k]?.at ?? 0) - (edits[k - 1]?.at ?? 0) >= 950, 'edits closer than the interval');
  });

  it('stop() drops a pending edit, so nothing overwrites the answer that follows', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, 'working');
    const throttle = throttleProgress<number>({
      intervalMs: 500,
      send: (n) => reply.update(progress, `step ${n}`),
      onError: () => undefined,
    });
    throttle.push(1);
    throttle.push(2);
    await throttle.stop();
    await reply.update(progress, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(
      slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.body.text),
      ['step 1', 'the answer'],
    );
  });

  const listing = Array.from({ length: 120 }, (_, i) => `pod-${i}   Running`).join('\n');
  const longView = composeAnswerView(
    {
      text: `## 120 pods\n\n\`\`\`\n${listing}\n\`\`\``,
      outcome: 'end_turn',
      steps: 2,
      toolCalls: [{ name: 'pods_list', input: { namespace: 'shop' }, isError: false }],
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
      timings: { modelMs: 0, toolsMs: 0 },
      transcript: [],
    },
    { maxSteps: 8, maxAnswerTokens: 1_000 },
    'c1',
  );

  it('delivers a long answer as file then short message, and a resumed delivery skips what is recorded', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, 'working');
    const recorded: number[] = [];
    // The first attempt fails right after the upload: the answer edit is refused.
    slack.failNext('chat.update', { error: 'internal_error' });
    const attempt = async (alreadySent: number) =>
      deliverAnswer({
        channel: reply,
        threadId: root,
        progressId: progress,
        ledger: await ledgers.attempt(reply, 'long-answer'),
        answer: longView,
        alreadySent,
        recordSent: (n) => Promise.resolve(void recorded.push(n)),
      });
    await assert.rejects(attempt(0), /internal_error/);
    assert.deepEqual(recorded, [1]);
    await attempt(recorded.at(-1) ?? 0);
    assert.deepEqual(recorded, [1, 2]);
    assert.equal(slack.files().length, 1, 'the retry uploaded the file again');
    assert.equal(slack.files()[0]?.threadTs, root);
    const answer = slack.thread(CHANNEL, root).find((m) => m.ts === progress);
    assert.match(answer?.text ?? '', /attached file `answer\.md`/);
    assert.ok(!(answer?.text ?? '').includes('pod-119 '));
  });

  it('answers in full without the file when Slack refuses the upload for good (missing_scope)', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, 'working');
    slack.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    let skipped = 0;
    await deliverAnswer({
      channel: reply,
      threadId: root,
      progressId: progress,
      ledger: await ledgers.attempt(reply, 'refused-upload'),
      answer: longView,
      alreadySent: 0,
      recordSent: () => Promise.resolve(),
      recordUploadSkipped: () => Promise.resolve(void (skipped += 1)),
    });
    assert.equal(skipped, 1);
    assert.equal(slack.files().length, 0);
    const answer = slack.thread(CHANNEL, root).find((m) => m.ts === progress);
    assert.ok((answer?.text ?? '').includes('pod-119   Running'), 'the full answer was not posted');
    assert.doesNotMatch(answer?.text ?? '', /attached file/);
    const sections = ((answer?.blocks ?? []) as { type: string }[]).filter((b) => b.type === 'section');
    assert.ok(sections.length >= 1);
  });

  it('waits out a 429 on chat.update (Retry-After) and delivers the answer once', async () => {
    const reply = channel();
    const root = await reply.postRoot('question');
    const progress = await reply.postInThread(root, 'working');
    slack.failNext('chat.update', { rateLimited: 1 });
    const started = Date.now();
    await reply.updateAnswer?.(progress, { markdown: 'Done.', findings: 'Done.' });
    assert.ok(Date.now() - started >= 950, 'Retry-After was not honoured');
    const updates = slack.calls.filter((c) => c.method === 'chat.update');
    assert.deepEqual(
      updates.map((c) => c.response?.status),
      [429, 200],
    );
    assert.equal(slack.thread(CHANNEL, root).find((m) => m.ts === progress)?.edits.length, 1);
  });
});
