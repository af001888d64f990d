import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startFakeAnthropicApi, text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { startFakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { postToSlackEndpoint, slashCommandBody } from '../../dev/support/slack-requests.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');

describe('ai4k8s all (every role in one process)', () => {
  it('answers a signed slash command through its own gateway, worker and MCP server', async (t) => {
    const [slack, model, cluster, redisUrl, port] = await Promise.all([
      startFakeSlackApi({ token: 'xoxb-all-in-one' }),
      startFakeAnthropicApi({ apiKey: 'sk-ant-all-in-one' }),
      testCluster(),
      testRedisUrl(),
      freePort(),
    ]);
    const secret = 'all-in-one-signing-secret';
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'all'], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: uniqueName('all'),
        PORT: String(port),
        MCP_PORT: '0',
        WORKER_PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-all-in-one',
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: slack.url,
        ANTHROPIC_API_KEY: 'sk-ant-all-in-one',
        ANTHROPIC_BASE_URL: model.url,
        MCP_TOKEN: 'mcp-all-in-one-0123456789abcdef012345',
        KUBECONFIG: cluster.kubeconfigPath,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    t.after(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([slack.stop(), model.stop()]);
    });
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('gateway listening') && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(stdout, /gateway listening/);

    let results: ReturnType<typeof toolResultsOf> = [];
    model.script({ content: [toolUse('containers_list', { namespace: 'shop' })] }, (request) => {
      results = toolResultsOf(request);
      return { content: [text('`checkout` exits with code 1.')] };
    });
    const response = await postToSlackEndpoint({
      gatewayUrl: `http://127.0.0.1:${port}`,
      body: slashCommandBody({ text: 'what exits in shop?' }),
      secret,
    });
    assert.equal(response.status, 200);
    const { replies } = await waitForAnswer(slack, 'what exits in shop?');
    assert.match(replies[0]?.text ?? '', /`checkout` exits with code 1/);
    assert.match(results[0]?.text ?? '', new RegExp(CHECKOUT_POD));
    child.kill('SIGTERM');
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 0);
  });
});
