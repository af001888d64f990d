import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeBotConnector } from '../../dev/fakes/fake-bot-connector.ts';
import { CHANNEL, TENANT, messageActivity, nextActivityId } from '../../dev/fakes/teams-activities.ts';
import { postActivity, waitForTeamsAnswers } from '../../dev/fakes/teams-fakes.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, toolResultsOf } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

const seen = (request: MessagesRequest) => JSON.stringify(request.messages);

describe('Microsoft Teams, end to end (real botbuilder, JWT-verified, fake Bot Connector)', () => {
  let stack: Stack;
  let connector: FakeBotConnector;
  const bearer = () => `Bearer ${stack.teams?.auth?.channelToken({ serviceUrl: connector.url }) ?? ''}`;
  const post = (activity: unknown, authorization: string | undefined = bearer()) => postActivity(stack.gatewayUrl, activity, authorization);
  const jobCount = () => countJobs(stack.redis, stack.prefix, CHAT_QUEUE);

  before(async () => {
    stack = await startStack({ teams: { auth: true }, env: { TEAMS_ALLOWED_TENANTS: TENANT } });
    connector = stack.teams?.connector as FakeBotConnector;
  });
  after(async () => {
    await stack.stop();
  });

  let rootId = '';
  it('answers a channel @mention in its reply chain with cluster data, and a follow-up there continues the conversation', async () => {
    stack.model.reset();
    connector.reset();
    const requests: MessagesRequest[] = [];
    const keep = (request: MessagesRequest) => requests.push(request);
    stack.model.script(
      (r) => (keep(r), { content: [toolUse('pods_list', { namespace: 'shop' })] }),
      (r) => (
        keep(r),
        {
          content: [
            text(
              `\`${CHECKOUT_POD}\` in shop is in **CrashLoopBackOff**.\n\n| pod | status |\n|---|---|\n| ${CHECKOUT_POD} | CrashLoopBackOff |`,
            ),
          ],
        }
      ),
      (r) => (keep(r), { content: [text('It is the same pod as before: still crashing.')] }),
    );
    rootId = nextActivityId();
    const first = await post(messageActivity({ serviceUrl: connector.url, text: 'which pod is crashing in shop?', id: rootId }));
    assert.equal(first.status, 202);
    const chain = `${CHANNEL};messageid=${rootId}`;
    const [answer] = await waitForTeamsAnswers(connector, chain, 1);
    assert.ok(answer !== undefined);
    assert.match(answer.text, /CrashLoopBackOff/);
    assert.match(answer.text, /```\npod +status\n/, 'the table is a code block');
    assert.ok(
      answer.edits.some((e) => e.text.includes('Working on it')),
      'the progress message was updated in place',
    );
    assert.equal(answer.activity.textFormat, 'markdown');
    assert.deepEqual(requests[0]?.messages, [{ role: 'user', content: 'which pod is crashing in shop?' }], 'the @mention is stripped');
    assert.ok(
      toolResultsOf(requests[1] ?? {}).some((r) => r.text.includes(CHECKOUT_POD)),
      'the model saw the real cluster data',
    );
    assert.deepEqual(new Set(connector.messages().map((m) => m.conversationId)), new Set([chain]), 'everything went into the reply chain');
    assert.ok((stack.teams?.auth?.tokenRequests.filter((t) => t.status === 200).length ?? 0) >= 1, 'the bot got its own token');
    assert.ok(
      connector.calls.every((c) => c.status < 300),
      'every connector call was authorised',
    );

    const followUp = await post(messageActivity({ serviceUrl: connector.url, text: 'and is it still crashing?', rootId }));
    assert.equal(followUp.status, 202);
    const answers = await waitForTeamsAnswers(connector, chain, 2);
    assert.match(answers[1]?.text ?? '', /same pod as before/);
    const second = requests[2];
    assert.ok(second !== undefined);
    assert.ok(seen(second).includes('which pod is crashing in shop?'), 'the first question');
    assert.ok(seen(second).includes(CHECKOUT_POD), 'the first turn');
    assert.ok(seen(second).includes('and is it still crashing?'));
  });

  it('makes one answer of a re-delivered activity', async () => {
    stack.model.reset();
    connector.reset();
    stack.model.script({ content: [text('One answer only.')] });
    const activity = messageActivity({ serviceUrl: connector.url, text: 'say it once' });
    const deliveries = await Promise.all([post(activity), post(activity), post(activity)]);
    assert.deepEqual(
      deliveries.map((r) => r.status),
      [202, 202, 202],
    );
    const chain = `${CHANNEL};messageid=${String(activity.id)}`;
    await waitForTeamsAnswers(connector, chain, 1);
    await sleep(500); // room for a wrong second answer to show up
    assert.equal(connector.messages(chain).length, 1);
    assert.equal(stack.model.requests.length, 1);
  });

  it('answers a 1:1 chat message (no mention needed) in the chat', async () => {
    stack.model.reset();
    connector.reset();
    stack.model.script({ content: [text('Hello from the cluster.')] });
    const chatId = 'a:1personal-chat-alice';
    const response = await post(messageActivity({ serviceUrl: connector.url, text: 'hi', conversationType: 'personal', chatId }));
    assert.equal(response.status, 202);
    const [answer] = await waitForTeamsAnswers(connector, chatId, 1);
    assert.match(answer?.text ?? '', /Hello from the cluster/);
  });

  it('posts a long answer as several messages (Teams takes no answer file), all of it, nothing said to be attached', async () => {
    stack.model.reset();
    connector.reset();
    const paragraphs = Array.from(
      { length: 40 },
      (_, k) => `Finding ${k + 1}: ${'the checkout pod restarts because payments-db refuses connections. '.repeat(3)}`,
    );
    stack.model.script({ content: [text(paragraphs.join('\n\n'))] });
    const activity = messageActivity({ serviceUrl: connector.url, text: 'tell me everything' });
    assert.equal((await post(activity)).status, 202);
    const chain = `${CHANNEL};messageid=${String(activity.id)}`;
    const answers = await connector.waitFor((c) => {
      const posted = c.messages(chain);
      const all = posted.map((m) => m.text).join('\n');
      return all.includes('Finding 40:') && !all.includes('Working on it') ? posted : undefined;
    }, 20_000);
    assert.ok(answers.length > 1, 'one message for a very long answer');
    assert.ok(answers.every((m) => m.text.length <= 4_000));
    const all = answers.map((m) => m.text).join('\n');
    for (let k = 1; k <= 40; k += 1) assert.ok(all.includes(`Finding ${k}:`), `finding ${k} is missing`);
    assert.doesNotMatch(all, /attached file/);
  });

  it('rejects a request without a valid token with 401 and queues nothing', async () => {
    const auth = stack.teams?.auth;
    assert.ok(auth !== undefined);
    const before = await jobCount();
    const activity = () => messageActivity({ serviceUrl: connector.url, text: 'delete everything' });
    const attempts = {
      none: await postActivity(stack.gatewayUrl, activity()),
      empty: await post(activity(), ''),
      garbage: await post(activity(), 'Bearer not-a-jwt'),
      forged: await post(activity(), `Bearer ${auth.forgedToken({ serviceUrl: connector.url })}`),
      expired: await post(activity(), `Bearer ${auth.channelToken({ serviceUrl: connector.url, expiresInSeconds: -3600 })}`),
      otherBot: await post(activity(), `Bearer ${auth.channelToken({ serviceUrl: connector.url, audience: 'another-bot-app-id' })}`),
      otherServiceUrl: await post(activity(), `Bearer ${auth.channelToken({ serviceUrl: 'https://smba.example.net/emea/' })}`),
      otherIssuer: await post(activity(), `Bearer ${auth.channelToken({ serviceUrl: connector.url, issuer: 'https://evil.example.com' })}`),
    };
    assert.deepEqual(Object.fromEntries(Object.entries(attempts).map(([name, r]) => [name, r.status])), {
      none: 401,
      empty: 401,
      garbage: 401,
      forged: 401,
      expired: 401,
      otherBot: 401,
      otherServiceUrl: 401,
      otherIssuer: 401,
    });
    await sleep(200);
    assert.equal(await jobCount(), before);
  });

  it('refuses a validly signed activity from another tenant or another Bot Framework channel with 403, and queues nothing', async () => {
    const before = await jobCount();
    const other = '0b6f8d5e-1c2a-4f3b-9a7e-5d4c3b2a1f0e';
    const activity = () => messageActivity({ serviceUrl: connector.url, text: 'scale everything to zero' });
    const foreign = {
      ...activity(),
      conversation: { ...(activity().conversation as object), tenantId: other },
      channelData: { tenant: { id: other } },
    };
    const statuses = {
      otherTenant: (await post(foreign)).status,
      // Web Chat and Direct Line let the client name its own user: their from.aadObjectId proves nothing.
      webchat: (await post({ ...activity(), channelId: 'webchat' })).status,
      directline: (await post({ ...activity(), channelId: 'directline' })).status,
      emulator: (await post({ ...activity(), channelId: 'emulator' })).status,
    };
    assert.deepEqual(statuses, { otherTenant: 403, webchat: 403, directline: 403, emulator: 403 });
    await sleep(200);
    assert.equal(await jobCount(), before);
  });

  it('answers malformed activities with 4xx, queues nothing and keeps serving', async () => {
    const before = await jobCount();
    const good = messageActivity({ serviceUrl: connector.url, text: 'fine' });
    const { from: _from, ...withoutFrom } = good;
    const statuses = [
      (await post('{not json')).status,
      (await post('[1,2]')).status,
      (await post(withoutFrom)).status,
      (await post({ ...good, conversation: 'not-an-object' })).status,
      (await post({ ...good, id: '' })).status,
    ];
    assert.deepEqual(statuses, [400, 400, 400, 400, 400]);
    assert.equal(await jobCount(), before);
    const health = await fetch(`${stack.gatewayUrl}/healthz`);
    assert.equal(health.status, 200);
  });
});

describe('Microsoft Teams in emulator mode (TEAMS_ENABLED=true, no TEAMS_APP_ID)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ teams: {} });
  });
  after(async () => {
    await stack.stop();
  });

  it('answers without any token either way', async () => {
    const connector = stack.teams?.connector as FakeBotConnector;
    stack.model.script({ content: [text('Answered in emulator mode.')] });
    const activity = {
      ...messageActivity({ serviceUrl: connector.url, text: 'are you there?', conversationType: 'personal', chatId: 'emulator-chat' }),
      channelId: 'emulator',
    };
    const response = await postActivity(stack.gatewayUrl, activity);
    assert.equal(response.status, 202);
    const [answer] = await waitForTeamsAnswers(connector, 'emulator-chat', 1);
    assert.match(answer?.text ?? '', /Answered in emulator mode/);
    assert.ok(connector.calls.length > 0 && connector.calls.every((c) => c.headers.authorization === undefined));
  });
});
