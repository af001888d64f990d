import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CHECKOUT_CRASH_LINE, CHECKOUT_DEPLOYMENT, CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { clusterBinariesCached } from '../../scripts/demo-prerequisites.ts';
import { toolResultsOf } from '../e2e/support.ts';
import { startFakeAnthropicApi, text, toolUse, type FakeAnthropicApi, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../../dev/services/chromium.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { newcomerEnv, startDemo, type RunningDemo } from './start-demo.ts';

const MODEL = 'claude-demo-fake';
const QUESTION = `why is checkout crashing in ${SHOP_NAMESPACE}?`;

/** The text of the last user message (the question, as the worker phrased it to the model). */
function lastUserText(request: MessagesRequest): string {
  const last = request.messages.at(-1) as { role?: string; content?: unknown } | undefined;
  if (typeof last?.content === 'string') return last.content;
  return Array.isArray(last?.content)
    ? (last.content as { text?: unknown }[]).map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n')
    : '';
}

describe(
  'npm run demo with ANTHROPIC_API_KEY: free-form questions answered by the model with real cluster tools',
  { skip: clusterBinariesCached() ? false : 'the test cluster binaries are not built (npm run test-cluster builds them)' },
  () => {
    let demo: RunningDemo | undefined;
    let model: FakeAnthropicApi | undefined;
    after(async () => {
      demo?.kill();
      await model?.stop();
    });

    it(
      'asks "why is checkout crashing in shop?" in Chromium; the model diagnoses the seeded cluster and the console shows its answer',
      { timeout: 90_000 },
      async () => {
        model = await startFakeAnthropicApi({ requireTools: true });
        let asked = '';
        let diagnosis = { id: '', text: '', isError: true };
        model.script(
          (request) => {
            asked = lastUserText(request);
            return {
              content: [toolUse('diagnose', { kind: 'Deployment', namespace: SHOP_NAMESPACE, name: CHECKOUT_DEPLOYMENT })],
              expectTools: ['diagnose', 'pods_list'],
            };
          },
          (request) => {
            diagnosis = toolResultsOf(request)[0] ?? diagnosis;
            // The model's answer quotes the verdict the tool returned, so the page can only show it if it really came from the cluster.
            const verdict = /CrashLoopBackOff[^\n]*/.exec(diagnosis.text)?.[0] ?? 'no verdict in the tool result';
            return { content: [text(`Checkout crashes on start: ${verdict}\n\nIt cannot reach payments-db; check that database first.`)] };
          },
        );

        demo = await startDemo({
          env: newcomerEnv({
            ANTHROPIC_API_KEY: model.apiKey,
            ANTHROPIC_BASE_URL: model.url,
            ANTHROPIC_MODEL: MODEL,
            PORT: String(await freePort()),
          }),
          startTimeoutMs: 60_000,
        });
        assert.ok(demo.output().includes(`AI:           on (${MODEL} at ${model.url})`), demo.output());

        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          await consoleLogin(page, { url: demo.url, name: 'newcomer', token: demo.token });
          assert.equal(await page.locator('#ai-banner').isVisible(), false, 'the "AI is not configured" banner shows though a key is set');
          const answer = await consoleAsk(page, QUESTION, /Checkout crashes on start/, 30_000);
          await saveScreenshot(page, 'demo', 'ai-answer');
          assert.ok(answer.includes(CHECKOUT_CRASH_LINE), `the answer lacks the crash line from the cluster:\n${answer}`);
          assert.match(answer, /CrashLoopBackOff/);
          assert.doesNotMatch(answer, /direct mode|AI is not configured/);
        } finally {
          await browser.close();
        }

        assert.deepEqual(model.violations, []);
        assert.equal(model.requests.length, 2, 'one turn to call the tool, one to answer');
        assert.equal(model.requests[0]?.body.model, MODEL, 'ANTHROPIC_MODEL did not reach the worker');
        assert.ok(asked.includes(QUESTION), `the model was not asked the question: ${asked}`);
        assert.equal(diagnosis.isError, false, diagnosis.text);
        assert.match(diagnosis.text, /CrashLoopBackOff/);
        assert.ok(diagnosis.text.includes(CHECKOUT_POD), diagnosis.text);
        assert.ok(diagnosis.text.includes(CHECKOUT_CRASH_LINE), diagnosis.text);

        await demo.interruptAndCheckStopped();
      },
    );
  },
);
