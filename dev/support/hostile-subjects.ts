import { alertChangeText, alertContextText, alertRootText } from '../../src/alerts/alert-text.ts';
import { investigationJob } from '../../src/alerts/investigation-job.ts';
import { markdownView, plainText, shortenAnswer, splitHeadline } from '../../src/chat/answer-view.ts';
import { answerBlocks, answerFallbackText } from '../../adapters/slack/reply/answer-blocks.ts';
import type { ApprovalCard } from '../../src/chat/approval-card.ts';
import { approvalBlocks, approvalText } from '../../adapters/slack/reply/approval-blocks.ts';
import { markdownToMrkdwn } from '../../adapters/slack/reply/markdown-to-mrkdwn.ts';
import { withoutBroadcasts } from '../../adapters/slack/reply/slack-reply-channel.ts';
import { splitMessage } from '../../src/chat/split-message.ts';
import { approvalAdaptiveCard } from '../../adapters/teams/reply/approval-adaptive-card.ts';
import { markdownToTeams } from '../../adapters/teams/reply/markdown-to-teams.ts';
import type { AlertNotification } from '../../src/queue/alert-job.ts';
import { chatEventJob } from '../../adapters/slack/chat-event-job.ts';
import { displayName, teamsActivityJob } from '../../adapters/teams/teams-activity-job.ts';
import { directAnswer } from '../../src/worker/direct-answer.ts';
import { progressText } from '../../src/worker/progress-text.ts';
import { BOT, messageActivity } from '../fakes/teams-activities.ts';
import { notification } from '../fakes/notification-fixture.ts';

/** An alert whose name, summary, description and a label all carry the text (up to 1 MiB per webhook). */
export function hostileAlert(text: string): AlertNotification {
  const labels = { alertname: text, severity: 'critical', pod: text };
  const annotations = { summary: text, description: text };
  const base = notification();
  const [alert] = base.alerts;
  if (alert === undefined) throw new Error('the notification fixture has no alert');
  return {
    ...base,
    groupLabels: { alertname: text },
    commonLabels: labels,
    commonAnnotations: annotations,
    alerts: [{ ...alert, labels, annotations }],
  };
}

/** An approval card whose arguments, preview and result are the text (the model's and the cluster's). */
export function hostileApprovalCard(text: string): ApprovalCard {
  return {
    token: 'a'.repeat(32),
    tool: 'deployment_scale',
    argumentsText: text,
    preview: text,
    requesterId: 'U0ALICE01',
    expiresAt: 0,
    outcome: { status: 'approved', by: 'U0BOB0001', byName: text, result: text },
  };
}

/**
 * Everything on the chat side that reads untrusted text, as a function of that text: what the hostile-input
 * tests and the rendering-cost benchmark run. Names are what the tests and the benchmark table show.
 */
export const hostileSubjects = {
  markdownToMrkdwn: (text: string) => markdownToMrkdwn(text),
  markdownToTeams: (text: string) => markdownToTeams(text),
  'splitMessage (Slack size)': (text: string) => splitMessage(text, 3500),
  'splitMessage (16 chars)': (text: string) => splitMessage(text, 16),
  markdownView: (text: string) => markdownView(text),
  splitHeadline: (text: string) => splitHeadline(text),
  plainText: (text: string) => plainText(text),
  shortenAnswer: (text: string) => shortenAnswer(markdownView(text), 'answer.md'),
  answerBlocks: (text: string) => answerBlocks(markdownView(text)),
  answerFallbackText: (text: string) => answerFallbackText(markdownView(text)),
  'approval card (Slack)': (text: string) => [approvalBlocks(hostileApprovalCard(text)), approvalText(hostileApprovalCard(text))],
  'approval card (Teams)': (text: string) => approvalAdaptiveCard(hostileApprovalCard(text)),
  'Slack last check (withoutBroadcasts)': (text: string) => withoutBroadcasts(text),
  'alert root (Slack)': (text: string) => markdownToMrkdwn(alertRootText(hostileAlert(text))),
  'alert root (Teams)': (text: string) => markdownToTeams(alertRootText(hostileAlert(text))),
  'alert thread line': (text: string) => markdownToMrkdwn(alertChangeText(hostileAlert(text))),
  'alert context turn': (text: string) => alertContextText(hostileAlert(text), 'opened'),
  'investigation question': (text: string) =>
    investigationJob({
      notification: hostileAlert(text),
      target: { platform: 'slack', teamId: 'T1', channel: 'C1', threadTs: '1.1' },
      conversationKey: 'k',
      destination: 'slack:C1',
    }),
  'Slack mention stripping': (text: string) =>
    chatEventJob({
      event: { type: 'app_mention', user: 'U0ALICE01', text: `<@U0BOT0001> ${text}`, ts: '1.1', channel: 'C1' },
      teamId: 'T1',
      botUserId: 'U0BOT0001',
    }),
  'Slack mention stripping (bot id unknown)': (text: string) =>
    chatEventJob({
      event: { type: 'app_mention', user: 'U0ALICE01', text: `<@U0BOT0001|${text}>`, ts: '1.1', channel: 'C1' },
      teamId: 'T1',
      botUserId: undefined,
    }),
  'Teams mention stripping': (text: string) => {
    const activity = messageActivity({ serviceUrl: 'https://smba.example/teams/', text: `<at>${BOT.name}</at> ${text}` });
    const mentions = Array.from({ length: 64 }, (_, k) => ({ type: 'mention', text: `<at>${k}</at>`, mentioned: { id: BOT.id } }));
    return teamsActivityJob({ ...activity, entities: [...(activity.entities as unknown[]), ...mentions] });
  },
  'Teams display name': (text: string) => displayName(text),
  'progress text (Slack)': (text: string) =>
    markdownToMrkdwn(
      progressText({
        step: 1,
        done: [{ name: 'kubectl', input: { command: text, namespace: text }, isError: false }],
        running: [{ name: 'pod_logs', input: { name: text } }],
      }),
    ),
  'direct-mode answer (Slack)': (text: string) => markdownToMrkdwn(directAnswer(text, { text, isError: false })),
} satisfies Record<string, (text: string) => unknown>;

export type HostileSubjectName = keyof typeof hostileSubjects;
