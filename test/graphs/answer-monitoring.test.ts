import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolCallRecord } from '../../src/contract/toolbox.ts';
import type { ReplyChannel, ReplyFile } from '../../src/chat/reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { answerMonitoring } from '../../src/graphs/answer-monitoring.ts';
import { postGraphs, takesGraphs } from '../../src/graphs/post-graphs.ts';
import { pngSize } from './png-size.ts';

const context = { platform: 'slack', channel: 'C1', user: 'U1', jobId: 'j1', cluster: 'default' };

/** What prometheus_range_query's structuredContent looks like after JSON (NaN became null). */
function rangeCall(query: string, grafana?: Record<string, unknown>): ToolCallRecord {
  return {
    name: 'prometheus_range_query',
    input: { query },
    isError: false,
    structuredContent: JSON.parse(
      JSON.stringify({
        query,
        start: 1000,
        end: 1600,
        step: 60,
        series: [
          {
            name: 'up{job="a"}',
            labels: { job: 'a' },
            points: [
              [1000, 1],
              [1060, Number.NaN],
              [1120, 0],
            ],
          },
        ],
        omittedSeries: 0,
        ...(grafana === undefined ? {} : { grafana }),
      }),
    ) as Record<string, unknown>,
  };
}

/** A reply channel that records uploads (and can fail the n-th). */
function recordingChannel(
  failOn?: number,
  uploadTypes?: readonly string[],
): { channel: ReplyChannel; uploads: { threadId: string; file: ReplyFile }[] } {
  const uploads: { threadId: string; file: ReplyFile }[] = [];
  const unused = () => Promise.reject(new Error('not used'));
  return {
    uploads,
    channel: {
      postRoot: unused,
      postInThread: unused,
      update: unused,
      postApproval: unused,
      updateApproval: unused,
      uploadFile: (threadId, file) => {
        if (uploads.length + 1 === failOn) return Promise.reject(new Error('upload refused'));
        uploads.push({ threadId, file });
        return Promise.resolve();
      },
      ...(uploadTypes === undefined ? {} : { uploadTypes }),
      format: (m) => m,
      maxMessageChars: 4000,
    },
  };
}

describe('answerMonitoring: graphs, links and snapshot audit events from the range queries of an answer', () => {
  const calls: ToolCallRecord[] = [
    { name: 'pods_list', input: {}, isError: false },
    rangeCall('up', {
      kind: 'snapshot',
      url: 'https://g.example/dashboard/snapshot/k1',
      deleteUrl: 'https://g.example/api/snapshots-delete/d1',
      key: 'k1',
      expiresAt: '2026-12-01T00:00:00Z',
    }),
    { ...rangeCall('bad{'), isError: true },
    rangeCall('rate(x[5m])', { kind: 'explore', url: 'https://g.example/explore?panes=1' }),
  ];

  it('renders one PNG per successful range query and adds the links to the answer', () => {
    const monitoring = answerMonitoring(calls, { charts: true });
    assert.deepEqual(
      monitoring.graphs.map((g) => [g.filename, g.title, g.mimeType]),
      [
        ['graph-1.png', 'up', 'image/png'],
        ['graph-2.png', 'rate(x[5m])', 'image/png'],
      ],
    );
    for (const graph of monitoring.graphs) assert.deepEqual(pngSize(graph.data), { width: 800, height: 400 });
    const view = monitoring.withLinks({ markdown: 'answer', findings: 'answer' });
    assert.deepEqual(view.links, [
      { label: '📈 Grafana: up', url: 'https://g.example/dashboard/snapshot/k1' },
      { label: '📈 Grafana Explore: rate(x[5m])', url: 'https://g.example/explore?panes=1' },
    ]);
    const events = monitoring.snapshotEvents(context);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0] && 'deleteUrl' in events[0] ? events[0].deleteUrl : undefined, 'https://g.example/api/snapshots-delete/d1');
    assert.deepEqual(answerMonitoring(calls, { charts: false }).graphs, []);
    assert.deepEqual(
      answerMonitoring([calls[0] as ToolCallRecord], { charts: true }).withLinks({ markdown: 'a', findings: 'a' }).links,
      undefined,
    );
  });

  it('postGraphs resumes after the graphs an earlier attempt posted, and a failed upload does not throw', async () => {
    const { graphs } = answerMonitoring(calls, { charts: true });
    const recorded: number[] = [];
    const first = recordingChannel();
    await postGraphs({
      channel: first.channel,
      threadId: 'T1',
      files: graphs,
      alreadyPosted: 1,
      recordPosted: (n) => Promise.resolve(void recorded.push(n)),
      logger: createLogger({ level: 'silent' }),
    });
    assert.deepEqual(
      first.uploads.map((u) => [u.threadId, u.file.filename]),
      [['T1', 'graph-2.png']],
    );
    assert.deepEqual(recorded, [2]);
    const failing = recordingChannel(1);
    recorded.length = 0;
    await postGraphs({
      channel: failing.channel,
      threadId: 'T1',
      files: graphs,
      alreadyPosted: 0,
      recordPosted: (n) => Promise.resolve(void recorded.push(n)),
      logger: createLogger({ level: 'silent' }),
    });
    assert.deepEqual(failing.uploads, []);
    assert.deepEqual(recorded, []);
  });

  it('renders and uploads graphs only where the channel takes PNG images (uploadTypes, not just uploadFile)', async () => {
    const { graphs } = answerMonitoring(calls, { charts: true });
    assert.equal(graphs.length, 2);
    const post = (channel: ReplyChannel) =>
      postGraphs({
        channel,
        threadId: 'T1',
        files: graphs,
        alreadyPosted: 0,
        recordPosted: () => Promise.resolve(),
        logger: createLogger({ level: 'silent' }),
      });
    const textOnly = recordingChannel(undefined, ['text/plain']);
    assert.equal(takesGraphs(textOnly.channel), false);
    await post(textOnly.channel);
    assert.deepEqual(textOnly.uploads, [], 'a channel declaring no image type got a graph');
    for (const types of [undefined, ['image/*'], ['text/plain', 'image/png']]) {
      const images = recordingChannel(undefined, types);
      assert.equal(takesGraphs(images.channel), true, String(types));
      await post(images.channel);
      assert.equal(images.uploads.length, 2, String(types));
    }
    const { uploadFile: _dropped, ...noUpload } = recordingChannel().channel;
    assert.equal(takesGraphs(noUpload), false);
  });
});
