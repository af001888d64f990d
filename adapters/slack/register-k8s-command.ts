import type { App, SlashCommand } from '@slack/bolt';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { EnqueueUnconfirmedError } from '../../src/queue/errors.ts';
import { MAX_QUESTION_CHARS, k8sUsage, onItText, queueUnavailableText, queueUnconfirmedText, tooLongText } from './k8s-command-text.ts';

export type Enqueue = (job: ChatJob) => Promise<string>;

export interface RegisterK8sCommandOptions {
  app: App;
  enqueue: Enqueue;
  logger: Logger;
  command?: string;
}

/**
 * `/k8s <question>`: normalise into a ChatJob, enqueue it, then ack with an ephemeral "on it".
 * Enqueue comes before the ack so that an acknowledged question is already in Redis, and "nothing was
 * started" is said only when nothing reached Redis (decision 014); no model or cluster call happens here. The worker posts the visible root message and answers in its thread.
 */
export function registerK8sCommand({ app, enqueue, logger, command = '/k8s' }: RegisterK8sCommandOptions): void {
  app.command(command, async ({ command: cmd, ack }) => {
    const question = cmd.text.trim();
    if (question === '' || question.toLowerCase() === 'help') {
      await ack({ response_type: 'ephemeral', text: k8sUsage });
      return;
    }
    if (question.length > MAX_QUESTION_CHARS) {
      await ack({ response_type: 'ephemeral', text: tooLongText(question.length) });
      return;
    }
    try {
      const jobId = await enqueue(toChatJob(cmd, question));
      logger.info({ jobId, channel: cmd.channel_id, user: cmd.user_id }, 'slash command queued');
    } catch (error) {
      logger.error({ err: error, channel: cmd.channel_id }, 'could not enqueue slash command');
      // A slash command is never delivered again: an unconfirmed one is cancelled unless a worker already took it.
      if (error instanceof EnqueueUnconfirmedError) error.cancel();
      await ack({
        response_type: 'ephemeral',
        text: error instanceof EnqueueUnconfirmedError ? queueUnconfirmedText : queueUnavailableText,
      });
      return;
    }
    await ack({ response_type: 'ephemeral', text: onItText });
  });
}

function toChatJob(cmd: SlashCommand, question: string): ChatJob {
  return {
    platform: 'slack',
    deliveryId: `command:${cmd.team_id}:${cmd.trigger_id}`,
    conversationKey: `slack:${cmd.team_id}:${cmd.channel_id}:command:${cmd.trigger_id}`,
    replyTarget: { platform: 'slack', teamId: cmd.team_id, channel: cmd.channel_id },
    user: { id: cmd.user_id, name: cmd.user_name },
    text: question,
    receivedAt: new Date().toISOString(),
  };
}
