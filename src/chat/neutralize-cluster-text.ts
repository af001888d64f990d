import { redactText } from '../redact/redact-text.ts';

/**
 * Cluster text on its way into a chat message the worker composes itself (a timeline, a digest): redacted, on one
 * line, and unable to mention anyone or make a link (Slack and Teams mentions and links need angle brackets;
 * Markdown links need "]("; backticks could close the code span it sits in).
 */
export function neutralizeClusterText(text: string): string {
  return redactText(text).replace(/\s+/g, ' ').replace(/</g, '‹').replace(/>/g, '›').replace(/\]\(/g, '] (').replace(/`/g, 'ʼ').trim();
}
