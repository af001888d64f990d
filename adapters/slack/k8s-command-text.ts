/** Longest question accepted: longer ones are refused with a clear message instead of being truncated. */
export const MAX_QUESTION_CHARS = 2_000;

export const k8sUsage = [
  '*Ask your cluster a question:* `/k8s <question>`',
  'Examples:',
  '• `/k8s why is checkout crashlooping in shop?`',
  '• `/k8s which pods are not ready in payments?`',
  '• `/k8s show the logs of the last crash of checkout`',
  'The answer arrives in a thread under your question.',
].join('\n');

export function tooLongText(length: number): string {
  return `That question is ${length} characters long; the limit is ${MAX_QUESTION_CHARS}. Please shorten it (paste only the relevant part of any logs).`;
}

export const onItText = 'On it: looking into your cluster. The answer will appear in a thread under your question.';

export const queueUnavailableText =
  'Sorry, I could not queue your question (the ai4k8s queue is unavailable). Nothing was started; please try again in a minute.';
