import { answerText, defaultShortenLimits, shortenAnswer, type AnswerView, type ShortenLimits } from '../chat/answer-view.ts';
import { FileRefusedError } from '../chat/errors.ts';
import { acceptsUpload, type ReplyChannel, type ReplyFile } from '../chat/reply-channel.ts';
import { splitMessage } from '../chat/split-message.ts';
import type { PostLedger } from './post-ledger.ts';

export interface DeliverAnswerOptions {
  channel: ReplyChannel;
  threadId: string;
  /** The "Working…" message the answer replaces. */
  progressId: string;
  answer: AnswerView;
  /** Posts each step once across attempts, even when an attempt died between posting it and recording it. */
  ledger: PostLedger;
  /** Steps an earlier attempt of the job already delivered (reply state `answeredChunks`). */
  alreadySent: number;
  /** Records that `count` steps are delivered; called after each step, before the next one starts. */
  recordSent: (count: number) => Promise<void>;
  /** An earlier attempt found the file refused (reply state `uploadSkipped`): deliver without it. */
  uploadSkipped?: boolean;
  /** Records that the platform refused the file, before the answer goes out without it. */
  recordUploadSkipped?: () => Promise<void>;
  onUploadRefused?: (error: FileRefusedError) => void;
  /** The attachment's name when the answer is too long for a message. */
  filename?: string;
  limits?: ShortenLimits;
}

const ANSWER_FILE_TYPE = 'text/markdown';

/** One thing posted into the thread; a retried job skips the steps its reply state says are done. */
export type DeliveryStep = { kind: 'file'; file: ReplyFile } | { kind: 'answer'; view: AnswerView } | { kind: 'text'; text: string };

/**
 * Posts an answer, resuming after a crash: each step goes through the post ledger and is counted once posted,
 * so a retried job never posts (or uploads) anything twice. The answer replaces the progress message (an edit,
 * the same whatever the attempt); what does not fit follows.
 */
export async function deliverAnswer(options: DeliverAnswerOptions): Promise<void> {
  const { channel, threadId, progressId, answer, alreadySent, recordSent, ledger } = options;
  const plan = (withoutUpload: boolean) =>
    deliveryPlan({
      channel: withoutUpload ? { ...channel, uploadFile: undefined } : channel,
      answer,
      filename: options.filename ?? 'answer.md',
      limits: options.limits ?? defaultShortenLimits,
    });
  let steps = plan(options.uploadSkipped === true);
  for (let i = alreadySent; i < steps.length; i += 1) {
    const step = steps[i];
    if (step === undefined) continue;
    const replaces = i === steps.findIndex((s) => s.kind !== 'file');
    try {
      await runStep({ channel, threadId, replaceId: replaces ? progressId : undefined, step, ledger, part: `answer:${i}` });
    } catch (error) {
      // A refused file (no permission, uploads disabled) would fail every retry: send the whole answer instead.
      if (step.kind !== 'file' || !(error instanceof FileRefusedError)) throw error;
      options.onUploadRefused?.(error);
      await options.recordUploadSkipped?.();
      steps = plan(true);
      i -= 1;
      continue;
    }
    await recordSent(i + 1);
  }
}

/**
 * What to post, in order. A channel that can upload gets a long answer as a short message plus the full
 * text as a file; the file goes first so the message that replaces "Working…" can point at it. A channel
 * with rich answers gets one message; otherwise the text is split into messages of its maximum size.
 */
export function deliveryPlan({
  channel,
  answer,
  filename,
  limits,
}: {
  channel: ReplyChannel;
  answer: AnswerView;
  filename: string;
  limits: ShortenLimits;
}): DeliveryStep[] {
  const steps: DeliveryStep[] = [];
  let view = answer;
  // A channel that takes no Markdown file (Teams: inline images only) gets the whole answer as messages, untried.
  if (acceptsUpload(channel, ANSWER_FILE_TYPE)) {
    const short = shortenAnswer(answer, filename, limits);
    if (short !== undefined) {
      steps.push({ kind: 'file', file: answerFile(answer, filename) });
      view = short;
    }
  }
  if (channel.updateAnswer !== undefined) {
    steps.push({ kind: 'answer', view });
    return steps;
  }
  const chunks = splitMessage(channel.format(answerText(view)), channel.maxMessageChars);
  for (const text of chunks.length === 0 ? [channel.format('_(no answer text)_')] : chunks) steps.push({ kind: 'text', text });
  return steps;
}

/** The full answer as a Markdown file: what a long answer's short message points at. */
export function answerFile(answer: AnswerView, filename: string): ReplyFile {
  return {
    filename,
    title: answer.headline ?? 'Full answer',
    mimeType: ANSWER_FILE_TYPE,
    data: Buffer.from(`${answerText(answer)}\n`, 'utf8'),
  };
}

interface RunStepOptions {
  channel: ReplyChannel;
  threadId: string;
  replaceId: string | undefined;
  step: DeliveryStep;
  ledger: PostLedger;
  part: string;
}

async function runStep({ channel, threadId, replaceId, step, ledger, part }: RunStepOptions): Promise<void> {
  const post = (text: string) => ledger.once(part, { threadId }, (key) => channel.postInThread(threadId, text, key));
  switch (step.kind) {
    case 'file': {
      const upload = channel.uploadFile;
      if (upload !== undefined)
        await ledger.once(part, { threadId, kind: 'upload' }, (_key, recordFileId) =>
          upload(threadId, step.file, { onFileId: recordFileId }),
        );
      return;
    }
    case 'answer':
      if (replaceId !== undefined) await channel.updateAnswer?.(replaceId, step.view);
      else await post(channel.format(answerText(step.view)));
      return;
    case 'text':
      if (replaceId !== undefined) await channel.update(replaceId, step.text);
      else await post(step.text);
      return;
  }
}
