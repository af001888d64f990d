import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import type { RunningRole } from '../../src/roles/running-role.ts';
import { startGateway } from '../../src/roles/start-gateway.ts';
import { startMcp } from '../../src/roles/start-mcp.ts';
import { startWorker } from '../../src/roles/start-worker.ts';
import type { MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../dev/support/round-robin-proxy.ts';
import { answerByName, askBurst, unansweredOrDuplicated } from './burst.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';

/**
 * Two gateways behind one address, three workers, two MCP servers behind another: a burst of questions is answered
 * once each, and every replica takes part.
 */
describe('many replicas of every role', { timeout: 90_000 }, () => {
  let stack: Stack;
  let gateways: RoundRobinProxy;
  let mcps: RoundRobinProxy;
  const extra: RunningRole[] = [];
  before(async () => {
    const mcpPorts = [await freePort(), await freePort()];
    mcps = await startRoundRobinProxy(mcpPorts);
    stack = await startStack({ withoutMcp: true, env: { MCP_URL: `${mcps.url}/mcp`, WORKER_CONCURRENCY: '2' } });
    const logger = createLogger({ level: 'silent' });
    for (const port of mcpPorts)
      extra.push(await startMcp({ config: loadConfig({ env: { ...stack.env, MCP_PORT: String(port) }, role: 'mcp' }), logger }));
    const workerEnv = { ...stack.env, APPROVAL_SIGNING_KEY: '' };
    for (let i = 0; i < 2; i += 1) extra.push(await startWorker({ config: loadConfig({ env: workerEnv, role: 'worker' }), logger }));
    const second = await startGateway({ config: loadConfig({ env: stack.env, role: 'gateway' }), logger });
    extra.push(second);
    gateways = await startRoundRobinProxy([stack.gatewayUrl, second.urls.http ?? ''].map((url) => Number(new URL(url).port)));
  });
  after(async () => {
    await gateways?.stop();
    for (const role of extra.reverse()) await role.stop();
    await stack?.stop();
    await mcps?.stop();
  });

  it('answers a burst once per question, with the load spread over every gateway, worker and MCP server', async () => {
    // A model turn takes a moment, as a real one does, so jobs pile up and every worker takes some.
    const slowAnswer = async (request: MessagesRequest) => {
      await sleep(300);
      return answerByName(request);
    };
    stack.model.script(...Array.from({ length: 14 }, () => slowAnswer));
    const questions = await askBurst({ gatewayUrl: gateways.url, count: 12, label: 'replicas' });
    assert.deepEqual(await unansweredOrDuplicated(stack.slack, questions), []);
    assert.deepEqual(stack.model.violations, []);

    assert.equal(gateways.connections.size, 2, `gateways used: ${JSON.stringify([...gateways.connections])}`);
    assert.equal(mcps.connections.size, 2, `MCP servers used: ${JSON.stringify([...mcps.connections])}`);
    const queue = new Queue(CHAT_QUEUE, { connection: stack.redis, prefix: redisKeys(stack.prefix).queuePrefix });
    try {
      const done = await queue.getJobs(['completed']);
      assert.equal(done.length, 12);
      const byWorker = new Map<string, number>();
      for (const job of done) byWorker.set(job.processedBy ?? '?', (byWorker.get(job.processedBy ?? '?') ?? 0) + 1);
      assert.equal(byWorker.size, 3, `jobs per worker: ${JSON.stringify([...byWorker])}`);
    } finally {
      await queue.close();
    }
  });
});
