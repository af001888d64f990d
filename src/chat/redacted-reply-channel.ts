import { redactText } from '../redact/redact-text.ts';
import type { AnswerView } from './answer-view.ts';
import type { ApprovalCard } from './approval-card.ts';
import type { ReplyChannel, ReplyFile, UploadOptions } from './reply-channel.ts';

/**
 * A reply channel whose every post goes through the credential redactor first: message texts, the Markdown
 * given to `format`, answers (body, headline, links), approval cards (arguments, preview, result) and uploaded
 * text files. The model quotes what tools returned and the cluster's text reaches chat in many ways; this is
 * the one place they all pass, made where reply channels are made (replyChannelFor), so nothing can go around it.
 */
export function redactedReplyChannel(channel: ReplyChannel, redact: (text: string) => string = redactText): ReplyChannel {
  const view = (answer: AnswerView): AnswerView => ({
    ...answer,
    markdown: redact(answer.markdown),
    findings: redact(answer.findings),
    ...(answer.headline === undefined ? {} : { headline: redact(answer.headline) }),
    ...(answer.footnote === undefined ? {} : { footnote: redact(answer.footnote) }),
    ...(answer.links === undefined ? {} : { links: answer.links.map((link) => ({ label: redact(link.label), url: redact(link.url) })) }),
  });
  const card = (approval: ApprovalCard): ApprovalCard => ({
    ...approval,
    argumentsText: redact(approval.argumentsText),
    preview: redact(approval.preview),
    ...(approval.outcome === undefined
      ? {}
      : { outcome: { ...approval.outcome, result: approval.outcome.result === undefined ? undefined : redact(approval.outcome.result) } }),
  });
  const file = (reply: ReplyFile): ReplyFile => ({
    ...reply,
    title: redact(reply.title),
    // Images (graphs) are pixels; text of any kind is redacted like a message.
    data: isText(reply.mimeType) ? Buffer.from(redact(reply.data.toString('utf8')), 'utf8') : reply.data,
  });
  const { updateAnswer, uploadFile } = channel;
  return {
    ...channel,
    // The post key (exactly-once posting, decision 014) passes through untouched: it is ours, not the model's.
    postRoot: (text, key) => channel.postRoot(redact(text), key),
    postInThread: (threadId, text, key) => channel.postInThread(threadId, redact(text), key),
    update: (messageId, text) => channel.update(messageId, redact(text)),
    postApproval: (threadId, approval, key) => channel.postApproval(threadId, card(approval), key),
    updateApproval: (messageId, approval) => channel.updateApproval(messageId, card(approval)),
    ...(updateAnswer === undefined
      ? {}
      : { updateAnswer: (messageId: string, answer: AnswerView) => updateAnswer(messageId, view(answer)) }),
    ...(uploadFile === undefined
      ? {}
      : { uploadFile: (threadId: string, reply: ReplyFile, options?: UploadOptions) => uploadFile(threadId, file(reply), options) }),
    // Before conversion too: a converter changes marks and escapes characters, which could hide a credential's shape.
    format: (markdown) => channel.format(redact(markdown)),
  };
}

function isText(mimeType: string): boolean {
  const type = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type.endsWith('+xml') ||
    type === 'application/yaml'
  );
}
