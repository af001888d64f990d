import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeBotConnector } from '../../dev/fakes/fake-bot-connector.ts';
import { pngSize } from '../graphs/png-size.ts';
import { startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { CHANNEL, messageActivity, nextActivityId } from '../../dev/fakes/teams-activities.ts';
import { postActivity, waitForTeamsAnswers } from '../../dev/fakes/teams-fakes.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { untilScraped } from './until-scraped.ts';

const QUERY = 'up{job="prometheus"}';

interface InlineImage {
  contentType: string;
  contentUrl?: string;
  name?: string;
}

describe('metrics questions in Teams: the graph arrives as an inline image in the reply chain', () => {
  let prometheus: MonitoringServer;
  let stack: Stack;
  let connector: FakeBotConnector;

  before(async () => {
    prometheus = await startPrometheus();
    stack = await startStack({ teams: { auth: true }, env: { PROMETHEUS_URL: prometheus.url } });
    connector = stack.teams?.connector as FakeBotConnector;
    await untilScraped(prometheus, QUERY);
  });
  after(async () => {
    await stack?.stop();
    await prometheus?.stop();
  });

  it('the model calls prometheus_range_query: the answer, then a PNG of the expected size inline, both in the question’s reply chain', async () => {
    stack.model.script(
      { content: [text('Checking.'), toolUse('prometheus_range_query', { query: QUERY, range: '10m', maxPoints: 60 })] },
      { content: [text('Prometheus was **up** for the whole window.')] },
    );
    const rootId = nextActivityId();
    const response = await postActivity(
      stack.gatewayUrl,
      messageActivity({ serviceUrl: connector.url, text: 'was prometheus up in the last 10 minutes?', id: rootId }),
      `Bearer ${stack.teams?.auth?.channelToken({ serviceUrl: connector.url }) ?? ''}`,
    );
    assert.equal(response.status, 202);
    const chain = `${CHANNEL};messageid=${rootId}`;
    const [answer] = await waitForTeamsAnswers(connector, chain, 1, 30_000);
    assert.match(answer?.text ?? '', /Prometheus was \*\*up\*\*/);

    const graph = await connector.waitFor((c) => c.messages(chain).find((m) => m.attachments.length > 0), 20_000);
    assert.equal(graph.conversationId, chain, 'the graph went into the same reply chain');
    assert.equal(graph.attachments.length, 1);
    const image = graph.attachments[0] as InlineImage;
    assert.equal(image.contentType, 'image/png');
    assert.ok(image.name?.endsWith('.png'), `name ${image.name}`);
    const dataUrl = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(image.contentUrl ?? '');
    assert.ok(dataUrl !== null, 'an inline data: URL');
    assert.deepEqual(pngSize(Buffer.from(dataUrl[1] ?? '', 'base64')), { width: 800, height: 400 });
    assert.ok(graph.text.includes(QUERY), `the image is titled with its query: ${graph.text}`);
    // After the answer, never instead of it; nothing went anywhere else.
    const ids = connector.messages(chain).map((m) => Number(m.id));
    assert.ok(Number(graph.id) > Number(answer?.id ?? Infinity), 'the graph follows the answer');
    assert.deepEqual(new Set(connector.messages().map((m) => m.conversationId)), new Set([chain]));
    assert.equal(ids.length, 2, `${ids.length} messages: the answer and the graph`);
    assert.ok(
      connector.calls.every((c) => c.status < 300),
      'every connector call was accepted',
    );
  });
});
