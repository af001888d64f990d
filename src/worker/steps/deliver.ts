import { markdownView } from '../../chat/answer-view.ts';
import type { ReplyChannel } from '../../chat/reply-channel.ts';
import { postGraphs } from '../../graphs/post-graphs.ts';
import { deliverAnswer } from '../deliver-answer.ts';
import type { AnsweringContext } from './answering-context.ts';
import type { JobReply } from './job-reply.ts';

/**
 * Posts the reply in place of the progress message, then its graphs. Everything goes through the ledger and the
 * reply state counts what is delivered, so a retried job resumes where the last attempt stopped.
 */
export async function deliver(ctx: AnsweringContext, reply: JobReply): Promise<void> {
  const { channel, threadId, progress, ledger, state, deps, jobId, log } = ctx;
  await progress.stop();
  await deliverAnswer({
    channel,
    threadId,
    progressId: progress.progressId,
    ledger,
    answer: typeof reply.answer === 'string' ? markdownView(reply.answer) : reply.answer,
    alreadySent: state.answeredChunks,
    recordSent: (count) => deps.replyState.write(jobId, { answeredChunks: String(count) }),
    uploadSkipped: state.uploadSkipped,
    recordUploadSkipped: () => deps.replyState.write(jobId, { uploadSkipped: '1' }),
    onUploadRefused: (error) =>
      log.warn({ err: error, reason: error.reason }, 'the chat platform refused the answer file; answering without it'),
  });
  // Range-query graphs follow the answer; the ledger and graphsPosted keep a retried job from uploading one twice.
  const graphs = reply.graphs ?? [];
  const upload = channel.uploadFile;
  const graphChannel: ReplyChannel =
    upload === undefined
      ? channel
      : {
          ...channel,
          uploadFile: async (at, file) =>
            void (await ledger.once(`graph:${graphs.indexOf(file)}`, { threadId: at, kind: 'upload' }, (_key, recordFileId) =>
              upload(at, file, { onFileId: recordFileId }),
            )),
        };
  await postGraphs({
    channel: graphChannel,
    threadId,
    files: graphs,
    alreadyPosted: state.graphsPosted,
    recordPosted: (count) => deps.replyState.write(jobId, { graphsPosted: String(count) }),
    logger: log,
  });
}
