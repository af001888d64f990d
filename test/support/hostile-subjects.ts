import { markdownView, plainText, shortenAnswer, splitHeadline } from '../../src/chat/answer-view.ts';
import { answerBlocks, answerFallbackText } from '../../src/chat/slack/answer-blocks.ts';
import { markdownToMrkdwn } from '../../src/chat/slack/markdown-to-mrkdwn.ts';
import { splitMessage } from '../../src/chat/split-message.ts';
import { markdownToTeams } from '../../src/chat/teams/markdown-to-teams.ts';

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
} satisfies Record<string, (text: string) => unknown>;

export type HostileSubjectName = keyof typeof hostileSubjects;
