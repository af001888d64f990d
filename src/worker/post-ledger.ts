import { PostLookupError } from '../chat/errors.ts';
import type { PostKey, ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ReplyState, ReplyStateStore } from './reply-state.ts';

export interface PostLedgerOptions {
  store: ReplyStateStore;
  jobId: string;
  /** The job's reply state as read at the start of the attempt; kept current as posts are recorded. */
  state: ReplyState;
  channel: ReplyChannel;
  logger: Logger;
}

/** Posts a message or shares a file; `recordFileId` (uploads only) records the file id before the file is shared. */
export type PostFn = (key: PostKey, recordFileId: (fileId: string) => Promise<void>) => Promise<string | void>;

export interface PostLedger {
  /** The id recorded for `part`, if an attempt recorded one. */
  posted(part: string): string | undefined;
  /**
   * Posts `part` once across every attempt of the job: an id already recorded is returned as it is; an intent
   * recorded without an id (the attempt died between the chat call and the Redis write) is looked up on the
   * platform first; otherwise the intent is recorded, the post made with the key, and its id recorded.
   */
  once(part: string, where: { threadId?: string; kind?: 'message' | 'upload' }, post: PostFn): Promise<string>;
}

/** Exactly-once posting for one attempt of one job (decision 014). */
export function postLedger({ store, jobId, state, channel, logger }: PostLedgerOptions): PostLedger {
  const record = async (part: string, id: string) => {
    await store.recordPosted(jobId, part, id);
    state.posted[part] = id;
    return id;
  };
  const lookUp = async (part: string, threadId: string | undefined, kind: 'message' | 'upload'): Promise<string | undefined> => {
    const intent = state.intents[part];
    if (intent === undefined || channel.findPosted === undefined) return undefined;
    // A file is visible only once shared, and shared only after its id was recorded: no id, nothing to find.
    if (kind === 'upload' && intent.fileId === undefined) return undefined;
    try {
      const found = await channel.findPosted(
        { job: jobId, part },
        {
          since: intent.at,
          ...(threadId === undefined ? {} : { threadId }),
          ...(intent.fileId === undefined ? {} : { fileId: intent.fileId }),
        },
      );
      logger.info({ part, found: found !== undefined }, 'looked up what an earlier attempt posted');
      return found;
    } catch (error) {
      if (!(error instanceof PostLookupError)) throw error;
      logger.warn({ err: error, part, reason: error.reason }, 'cannot look up an earlier attempt’s post; posting again');
      return undefined;
    }
  };
  return {
    posted: (part) => state.posted[part],
    async once(part, { threadId, kind = 'message' }, post) {
      const known = state.posted[part];
      if (known !== undefined) return known;
      const found = await lookUp(part, threadId, kind);
      if (found !== undefined) return record(part, found);
      const at = Date.now();
      await store.recordIntent(jobId, part, { at });
      state.intents[part] = { at };
      let fileId: string | undefined;
      const id = await post({ job: jobId, part }, async (id) => {
        fileId = id;
        await store.recordIntent(jobId, part, { at, fileId: id });
        state.intents[part] = { at, fileId: id };
      });
      return record(part, id ?? fileId ?? 'posted');
    },
  };
}
