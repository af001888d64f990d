import { randomInt } from 'node:crypto';
import type { AgentUsage } from '../src/contract/agent-usage.ts';
import type { AuditEvent } from '../src/contract/audit-event.ts';
import { click, type Card } from '../dev/stack/approval-clicks.ts';
import { readAudit } from '../dev/stack/read-audit.ts';
import { SIGNING_SECRET, type Stack } from '../dev/stack/start-stack.ts';
import type { FakeSlackApi, FakeSlackMessage } from '../dev/fakes/fake-slack-api.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../dev/support/slack-requests.ts';
import { turnText, type EvalCase, type Turn } from './eval-case.ts';
import { redisKeys } from '../src/queue/redis-keys.ts';

export const EVAL_USER = 'U0EVALUSER';
export const EVAL_APPROVER = 'U0EVALAPPR';
export const ALERTS_TOKEN = 'eval-alerts-token-71c2-0123456789abcdef';
export const ALERT_CHANNEL = 'C0EVALALERT';
const SLASH_TEAM = 'T0AI4K8S';

export interface TurnOutcome {
  turn: string;
  answer: string;
  latencyMs: number;
  card: boolean;
}

export interface CaseRun {
  id: string;
  channel: string;
  turns: TurnOutcome[];
  toolCalls: { tool: string; result: 'ok' | 'error'; dryRun: boolean | undefined }[];
  applied: string[];
  usage: AgentUsage;
  latencyMs: number;
  /** Set when the run itself broke (a timeout): the case fails with it. */
  error?: string;
}

const FINISHED = /\d+ steps? · [\d,]+ tokens_|⚠️/;
const isCard = (m: FakeSlackMessage) => (m.blocks ?? []).some((b) => (b as { type?: string }).type === 'actions');
/** What the card's buttons carry back: `<token>.<digest of the action the card shows>`. */
const cardValue = (m: FakeSlackMessage): string | undefined =>
  ((m.blocks ?? []).find((b) => (b as { type?: string }).type === 'actions') as { elements?: { value?: string }[] } | undefined)
    ?.elements?.[0]?.value;

/** Drives one case's turns through the gateway and collects what happened: answers, tool calls, usage, latency. */
export async function runCase({
  stack,
  evalCase,
  channel,
  timeoutMs,
}: {
  stack: Stack;
  evalCase: EvalCase;
  channel: string;
  timeoutMs: number;
}): Promise<CaseRun> {
  const started = performance.now();
  const run: CaseRun = {
    id: evalCase.id,
    channel,
    turns: [],
    toolCalls: [],
    applied: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    latencyMs: 0,
  };
  let thread: { channel: string; ts: string; team: string } | undefined;
  try {
    for (const turn of evalCase.turns) {
      const turnStarted = performance.now();
      const before = thread === undefined ? 0 : replies(stack.slack, thread).length;
      let answer: string;
      let card = false;
      if ('ask' in turn) {
        const response = await stack.slashCommand({ text: turn.ask, userId: EVAL_USER, channelId: channel, teamId: SLASH_TEAM });
        if (response.status !== 200) throw new Error(`the gateway answered ${response.status} to the question`);
        const root = await stack.slack.waitFor(
          (s) => s.messages(channel).find((m) => m.threadTs === undefined && m.text.startsWith(turn.ask)),
          timeoutMs,
        );
        thread = { channel, ts: root.ts, team: SLASH_TEAM };
        ({ answer, card } = await waitForReplies(stack.slack, thread, 0, turn, timeoutMs));
      } else if ('alert' in turn) {
        await postAlert(stack, turn.alert);
        const root = await stack.slack.waitFor(
          (s) => s.messages(ALERT_CHANNEL).find((m) => m.threadTs === undefined && m.text.includes(turn.alert.alertname)),
          timeoutMs,
        );
        thread = { channel: ALERT_CHANNEL, ts: root.ts, team: stack.slack.identity.teamId };
        // The thread is the bot's once the alert worker has marked it (just after posting the root): only then are follow-ups answered.
        await waitForThreadMark(stack, `slack:${thread.team}:${thread.channel}:${thread.ts}`, timeoutMs);
        answer = root.text;
      } else if ('followUp' in turn) {
        if (thread === undefined) throw new Error('a follow-up needs a thread: start the case with ask or alert');
        const event = {
          type: 'message',
          channel_type: 'channel',
          user: EVAL_USER,
          text: turn.followUp,
          ts: newTs(),
          thread_ts: thread.ts,
          channel: thread.channel,
        };
        const response = await postToSlackEndpoint({
          gatewayUrl: stack.gatewayUrl,
          body: eventCallbackBody({ event, teamId: thread.team }),
          contentType: 'application/json',
          secret: SIGNING_SECRET,
        });
        if (response.status !== 200) throw new Error(`the gateway answered ${response.status} to the follow-up`);
        ({ answer, card } = await waitForReplies(stack.slack, thread, before, turn, timeoutMs));
      } else {
        if (thread === undefined) throw new Error('an approval needs the thread of the question that asked for it');
        const current = thread;
        const message = replies(stack.slack, current).find((m) => isCard(m) && cardValue(m) !== undefined);
        const value = message === undefined ? undefined : cardValue(message);
        const root = stack.slack.messages(current.channel).find((m) => m.ts === current.ts);
        if (message === undefined || value === undefined || root === undefined) throw new Error('no approval card to click in the thread');
        const cardRef: Card = { message, token: value.split('.')[0] ?? value, value, root };
        await click(stack, cardRef, 'approve', EVAL_APPROVER);
        ({ answer, card } = await waitForReplies(stack.slack, current, before, turn, timeoutMs, (s) =>
          s.messages(current.channel).some((m) => m.ts === message.ts && /Approved by/.test(m.text)),
        ));
      }
      run.turns.push({ turn: turnText(turn), answer, latencyMs: performance.now() - turnStarted, card });
    }
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  }
  run.latencyMs = performance.now() - started;
  // The worker audits after it posts: give the last events a moment to land.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { events } = await readAudit(stack.redis, stack.prefix);
  const channels = new Set([channel, thread?.channel ?? channel]);
  collectAudit(
    run,
    events.filter((e) => channels.has(e.channel)),
  );
  return run;
}

function replies(slack: FakeSlackApi, thread: { channel: string; ts: string }): FakeSlackMessage[] {
  return slack.thread(thread.channel, thread.ts).filter((m) => m.ts !== thread.ts);
}

/** Waits until the thread has a finished answer after the first `before` replies (and a card, when the turn expects one). */
async function waitForReplies(
  slack: FakeSlackApi,
  thread: { channel: string; ts: string },
  before: number,
  turn: Turn,
  timeoutMs: number,
  extra: (s: FakeSlackApi) => boolean = () => true,
): Promise<{ answer: string; card: boolean }> {
  const wantsCard = turn.expect?.card === true;
  return slack.waitFor((s) => {
    const fresh = replies(s, thread).slice(before);
    const texts = fresh.filter((m) => !isCard(m));
    // Any finished reply, not only the last: an alert thread's own posts (the "what changed before this alert" timeline)
    // can land after a follow-up's progress message, which then becomes the answer above them.
    const done = texts.length > 0 && texts.every((m) => !m.text.includes('Working on it')) && texts.some((m) => FINISHED.test(m.text));
    const card = fresh.some(isCard);
    if (!done || (wantsCard && !card) || !extra(s)) return undefined;
    return { answer: texts.map((m) => m.text).join('\n'), card };
  }, timeoutMs);
}

async function postAlert(stack: Stack, alert: { alertname: string; labels: Record<string, string>; summary: string }): Promise<void> {
  const labels = { alertname: alert.alertname, ...alert.labels };
  const startsAt = new Date(Date.now() - 10 * 60_000).toISOString();
  const body = JSON.stringify({
    receiver: 'ai4k8s',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: { summary: alert.summary },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: randomInt(1e12).toString(16),
      },
    ],
    groupLabels: { alertname: alert.alertname },
    commonLabels: labels,
    commonAnnotations: { summary: alert.summary },
    externalURL: 'http://alertmanager.eval.invalid',
    version: '4',
    groupKey: `{}:{alertname="${alert.alertname}"}`,
    truncatedAlerts: 0,
  });
  const response = await fetch(`${stack.gatewayUrl}/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
    body,
  });
  if (response.status !== 200) throw new Error(`the alert webhook answered ${response.status}`);
}

function collectAudit(run: CaseRun, events: AuditEvent[]): void {
  for (const e of events) {
    if (e.kind === 'tool_call')
      run.toolCalls.push({ tool: e.tool, result: e.result, dryRun: (e.arguments as { dryRun?: boolean } | undefined)?.dryRun });
    if (e.kind === 'approval_executed' && e.result === 'ok') run.applied.push(e.tool);
    if (e.kind === 'answer' || (e.kind === 'answer_failed' && e.usage !== undefined)) {
      const usage = e.usage;
      if (usage === undefined) continue;
      run.usage.inputTokens += usage.inputTokens;
      run.usage.outputTokens += usage.outputTokens;
      run.usage.cacheReadTokens += usage.cacheReadTokens;
      run.usage.cacheWriteTokens += usage.cacheWriteTokens;
    }
  }
}

async function waitForThreadMark(stack: Stack, threadKey: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await stack.redis.exists(redisKeys(stack.prefix).threadMark(threadKey))) === 0) {
    if (Date.now() > deadline) throw new Error(`the alert thread ${threadKey} was never marked as the bot's`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function newTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(randomInt(999_999)).padStart(6, '0')}`;
}
