export { MAX_QUESTION_CHARS, tooLongText } from '../../src/chat/question-notice.ts';

export const k8sUsage = [
  '*Ask your cluster a question:* `/k8s <question>`',
  'Examples:',
  '• `/k8s why is checkout crashlooping in shop?`',
  '• `/k8s which pods are not ready in payments?`',
  '• `/k8s show the logs of the last crash of checkout`',
  'The answer arrives in a thread under your question. You can also mention me with a question in a channel or a direct message.',
].join('\n');

export const onItText = 'On it: looking into your cluster. The answer will appear in a thread under your question.';

export const queueUnavailableText =
  'Sorry, I could not queue your question (the ai4k8s queue is unavailable). Nothing was started; please try again in a minute.';

/** Said when Redis may or may not have taken the question; the gateway cancels it, unless a worker already started it. */
export const queueUnconfirmedText =
  'Sorry, I could not confirm that your question was queued (the ai4k8s queue stopped answering). If it was, the answer will still appear in a thread under it in a moment; if no thread appears, please ask again.';
