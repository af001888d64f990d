import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnswerView } from '../../src/chat/answer-view.ts';
import type { ApprovalCard } from '../../src/chat/approval-card.ts';
import type { PostKey, ReplyChannel, ReplyFile, UploadOptions } from '../../src/chat/reply-channel.ts';
import { replyChannelFor } from '../../src/chat/reply-channels.ts';

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DB_PASSWORD = 'hunter2-Sup3r';
const leak = `aws_secret_access_key=${AWS_SECRET} and postgres://app:${DB_PASSWORD}@db.shop:5432/orders`;

/** A reply channel that records what reaches the platform, as the Slack and Teams channels would post it. */
function recordingChannel(posted: unknown[]): ReplyChannel {
  return {
    postRoot: (text) => (posted.push({ postRoot: text }), Promise.resolve('root')),
    postInThread: (_thread, text) => (posted.push({ postInThread: text }), Promise.resolve('msg')),
    update: (_id, text) => (posted.push({ update: text }), Promise.resolve()),
    postApproval: (_thread, card) => (posted.push({ postApproval: card }), Promise.resolve('card')),
    updateApproval: (_id, card) => (posted.push({ updateApproval: card }), Promise.resolve()),
    updateAnswer: (_id, answer) => (posted.push({ updateAnswer: answer }), Promise.resolve()),
    uploadFile: (_thread, file) => (posted.push({ uploadFile: { ...file, data: file.data.toString('utf8') } }), Promise.resolve()),
    format: (markdown) => {
      posted.push({ format: markdown });
      return markdown;
    },
    maxMessageChars: 4000,
  };
}

describe('replyChannelFor: everything posted is redacted on the way out', () => {
  const posted: unknown[] = [];
  const channel = replyChannelFor({ slack: () => recordingChannel(posted) }, { platform: 'slack', teamId: 'T1', channel: 'C1' });
  const card: ApprovalCard = {
    token: 'a'.repeat(32),
    tool: 'deployment_set_env',
    argumentsText: JSON.stringify({ name: 'orders', env: { DATABASE_URL: `postgres://app:${DB_PASSWORD}@db.shop:5432/orders` } }),
    preview: leak,
    requesterId: 'U0ALICE01',
    expiresAt: Date.now() + 60_000,
    outcome: { status: 'approved', by: 'U0BOB0001', result: leak },
  };
  const answer: AnswerView = {
    markdown: `# Found ${leak}\n\n${leak}`,
    headline: `Found ${leak}`,
    findings: leak,
    footnote: `_${leak}_`,
    links: [{ label: leak, url: `https://viewer:${DB_PASSWORD}@grafana.example/d/x` }],
  };
  const file: ReplyFile = {
    filename: 'answer.md',
    title: `Full answer ${leak}`,
    mimeType: 'text/markdown',
    data: Buffer.from(`# Answer\n\n${leak}\n`),
  };
  const image: ReplyFile = { filename: 'cpu.png', title: 'CPU', mimeType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };

  it('redacts texts, the Markdown given to format, answers, cards and text files; leaves tokens and images alone', async () => {
    await channel.postRoot(channel.format(leak));
    await channel.postInThread('t', leak);
    await channel.update('m', leak);
    await channel.postApproval('t', card);
    await channel.updateApproval('c', card);
    await channel.updateAnswer?.('m', answer);
    await channel.uploadFile?.('t', file);
    await channel.uploadFile?.('t', image);
    const everything = JSON.stringify(posted);
    assert.equal(posted.length, 9);
    assert.ok(!everything.includes(AWS_SECRET), everything);
    assert.ok(!everything.includes(DB_PASSWORD), everything);
    assert.match(everything, /\[redacted: aws secret key\]/);
    assert.match(everything, /postgres:\/\/app:\[redacted: password\]@db\.shop/);
    const approval = posted.find((p): p is { postApproval: ApprovalCard } => typeof p === 'object' && p !== null && 'postApproval' in p);
    assert.equal(approval?.postApproval.token, card.token, 'the card keeps its token');
    assert.equal(approval?.postApproval.requesterId, 'U0ALICE01');
    const upload = posted.filter((p): p is { uploadFile: { data: string } } => typeof p === 'object' && p !== null && 'uploadFile' in p);
    assert.equal(upload[1]?.uploadFile.data, image.data.toString('utf8'), 'the image is not touched');
  });

  it('passes the post keys and upload options through: exactly-once posting finds earlier posts by them', async () => {
    const seen: unknown[] = [];
    const keyed: ReplyChannel = {
      ...recordingChannel([]),
      postRoot: (_text, key) => (seen.push(['root', key]), Promise.resolve('root')),
      postInThread: (_thread, _text, key) => (seen.push(['thread', key]), Promise.resolve('msg')),
      postApproval: (_thread, _card, key) => (seen.push(['card', key]), Promise.resolve('card')),
      uploadFile: (_thread, _file, options) => (seen.push(['upload', options]), Promise.resolve()),
    };
    const wrapped = replyChannelFor({ slack: () => keyed }, { platform: 'slack', teamId: 'T1', channel: 'C1' });
    const key = (part: string): PostKey => ({ job: 'job-1', part });
    const options: UploadOptions = { onFileId: () => Promise.resolve() };
    await wrapped.postRoot('root', key('root'));
    await wrapped.postInThread('t', 'answer', key('answer'));
    await wrapped.postApproval('t', card, key('card'));
    await wrapped.uploadFile?.('t', file, options);
    assert.deepEqual(seen, [
      ['root', key('root')],
      ['thread', key('answer')],
      ['card', key('card')],
      ['upload', options],
    ]);
  });
});
