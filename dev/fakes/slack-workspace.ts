import { checkBlocks } from './slack-block-limits.ts';
import { historyPage, historyWindow } from './slack-history.ts';
import { stringArg, type SlackArgs } from './slack-request-args.ts';

/**
 * The workspace state behind the fake Slack Web API: channels, users, the bot's messages and ephemerals,
 * and the method logic (required arguments, Slack's error codes, response shapes). Transport, auth,
 * faults and recording live in `fake-slack-api.ts`.
 */
export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
}

export interface FakeSlackEdit {
  at: number;
  text: string;
  blocks: unknown[] | undefined;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
  replyBroadcast: boolean;
  postedAt: number;
  /** One entry per chat.update, holding the content after that update. */
  edits: FakeSlackEdit[];
}

/** A message Slack posts for the bot when `files.completeUploadExternal` shares files into a channel or thread. */
export interface FakeSlackFileShare {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  files: { id: string; name: string; title: string; mimetype: string; size: number }[];
}

export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  messageTs: string;
  at: number;
}

export type SlackResult = { ok: boolean; [field: string]: unknown };

export const fakeSlackIdentity = {
  teamId: 'T0FAKETEAM',
  teamName: 'Fake Workspace',
  teamUrl: 'https://fake-workspace.slack.com/',
  botUserId: 'U0FAKEBOT1',
  botUserName: 'ai4k8s',
  botId: 'B0FAKEBOT1',
  appId: 'A0FAKEAPP1',
} as const;

const maxTextLength = 40_000;

export class SlackWorkspace {
  readonly messages: FakeSlackMessage[] = [];
  readonly ephemerals: FakeSlackEphemeral[] = [];
  /** Kept apart from `messages` (what tests read back), but listed by conversations.history / .replies as Slack does. */
  readonly fileShares: FakeSlackFileShare[] = [];
  private readonly channels = new Map<string, FakeSlackChannel>();
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly openChannels: boolean;
  private lastTsMicros = 0;

  /** With `channels`, only those exist; without, any well-formed channel id is accepted. */
  constructor(channels: FakeSlackChannel[] | undefined, users: FakeSlackUser[] = []) {
    this.openChannels = channels === undefined;
    for (const channel of channels ?? []) this.channels.set(channel.id, channel);
    for (const user of users) this.users.set(user.id, user);
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  clear(): void {
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.fileShares.length = 0;
  }

  /** The message Slack adds when files are shared into a channel (and thread) by the external upload flow. */
  shareFiles(channel: string, threadTs: string | undefined, files: FakeSlackFileShare['files']): void {
    this.fileShares.push({ channel, ts: this.nextTs(), threadTs, files });
  }

  /** Runs a method; undefined when the fake does not know it. */
  call(method: string, args: SlackArgs): SlackResult | undefined {
    switch (method) {
      case 'auth.test':
        return this.authTest();
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'conversations.info':
        return this.conversationsInfo(args);
      case 'conversations.history':
        return this.conversationsHistory(args);
      case 'conversations.replies':
        return this.conversationsReplies(args);
      case 'users.info':
        return this.usersInfo(args);
      default:
        return undefined;
    }
  }

  private authTest(): SlackResult {
    const id = fakeSlackIdentity;
    return {
      ok: true,
      url: id.teamUrl,
      team: id.teamName,
      user: id.botUserName,
      team_id: id.teamId,
      user_id: id.botUserId,
      bot_id: id.botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const content = messageContent(args);
    if ('error' in content) return content.error;
    const metadata = messageMetadata(args);
    if (metadata !== undefined && 'error' in metadata) return metadata.error;
    const message: FakeSlackMessage = {
      channel: channel.id,
      ts: this.nextTs(),
      threadTs: stringArg(args, 'thread_ts'),
      text: content.text ?? '',
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: metadata?.value,
      replyBroadcast: args.reply_broadcast === true,
      postedAt: Date.now(),
      edits: [],
    };
    this.messages.push(message);
    return { ok: true, channel: channel.id, ts: message.ts, message: wireMessage(message, true) };
  }

  private update(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    const message = this.messages.find((m) => m.channel === channel.id && m.ts === ts);
    if (message === undefined) return { ok: false, error: 'message_not_found' };
    const content = messageContent(args);
    if ('error' in content) return content.error;
    const metadata = messageMetadata(args);
    if (metadata !== undefined && 'error' in metadata) return metadata.error;
    // Fields left out keep their previous value, as Slack documents for blocks, attachments and metadata.
    if (metadata !== undefined) message.metadata = metadata.value;
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    if (content.attachments !== undefined) message.attachments = content.attachments;
    message.edits.push({ at: Date.now(), text: message.text, blocks: message.blocks });
    const editTs = this.nextTs();
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: { ...wireMessage(message, true), edited: { user: fakeSlackIdentity.botUserId, ts: editTs } },
    };
  }

  private postEphemeral(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const user = stringArg(args, 'user');
    if (user === undefined || (this.users.size > 0 && !this.users.has(user))) return { ok: false, error: 'user_not_in_channel' };
    const content = messageContent(args);
    if ('error' in content) return content.error;
    const ephemeral: FakeSlackEphemeral = {
      channel: channel.id,
      user,
      text: content.text ?? '',
      blocks: content.blocks,
      threadTs: stringArg(args, 'thread_ts'),
      messageTs: this.nextTs(),
      at: Date.now(),
    };
    this.ephemerals.push(ephemeral);
    return { ok: true, message_ts: ephemeral.messageTs };
  }

  private conversationsInfo(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const isIm = channel.id.startsWith('D');
    return {
      ok: true,
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: !isIm && channel.isPrivate !== true,
        is_group: false,
        is_im: isIm,
        is_private: channel.isPrivate === true || isIm,
        is_archived: false,
        is_member: true,
        created: 1700000000,
      },
    };
  }

  /** The channel's top-level messages (thread replies only when broadcast), newest first, one page. */
  private conversationsHistory(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const window = historyWindow(args, 'history');
    if ('ok' in window) return window;
    const top = this.listed(channel.id).filter((m) => m.threadTs === undefined || m.threadTs === m.ts || m.replyBroadcast);
    const { page, hasMore, nextCursor } = historyPage([...top].reverse(), window, 'newest_first');
    return {
      ok: true,
      messages: page.map((m) => this.wire(m, window.includeAllMetadata)),
      has_more: hasMore,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: nextCursor },
    };
  }

  /** A thread: its parent first, then the replies in the window, oldest first, one page. */
  private conversationsReplies(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    if (ts === undefined)
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: ts'] } };
    const all = this.listed(channel.id);
    const parent = all.find((m) => m.ts === ts);
    if (parent === undefined) return { ok: false, error: 'thread_not_found' };
    const window = historyWindow(args, 'replies');
    if ('ok' in window) return window;
    const replies = all.filter((m) => m.threadTs === ts && m.ts !== ts);
    const { page, hasMore, nextCursor } = historyPage(replies, window, 'oldest_first');
    const wireParent = { ...this.wire(parent, window.includeAllMetadata), ...threadSummary(parent.ts, replies) };
    return {
      ok: true,
      messages: [...(window.after === undefined ? [wireParent] : []), ...page.map((m) => this.wire(m, window.includeAllMetadata))],
      has_more: hasMore,
      response_metadata: { next_cursor: nextCursor },
    };
  }

  /** The bot's messages and file shares of one channel, oldest first. */
  private listed(channel: string): (FakeSlackMessage | (FakeSlackFileShare & { replyBroadcast: false }))[] {
    const shares = this.fileShares.filter((f) => f.channel === channel).map((f) => ({ ...f, replyBroadcast: false as const }));
    return [...this.messages.filter((m) => m.channel === channel), ...shares].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  private wire(item: FakeSlackMessage | FakeSlackFileShare, includeMetadata: boolean): Record<string, unknown> {
    if ('files' in item) return wireFileShare(item);
    return wireMessage(item, includeMetadata);
  }

  private usersInfo(args: SlackArgs): SlackResult {
    const user = this.users.get(stringArg(args, 'user') ?? '');
    if (user === undefined) return { ok: false, error: 'user_not_found' };
    const realName = user.realName ?? user.name;
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: fakeSlackIdentity.teamId,
        name: user.name,
        deleted: false,
        real_name: realName,
        tz: user.tz ?? 'Europe/Berlin',
        is_bot: user.isBot === true,
        profile: { real_name: realName, display_name: user.name, ...(user.email === undefined ? {} : { email: user.email }) },
      },
    };
  }

  /** Channel id or name; a user id stands for the bot's DM with that user, as Slack allows. */
  private resolveChannel(value: string | undefined): FakeSlackChannel | undefined {
    if (value === undefined) return undefined;
    const bare = value.replace(/^#/, '');
    const known = this.channels.get(bare) ?? [...this.channels.values()].find((c) => c.name === bare);
    if (known !== undefined) return known;
    if (/^[UW][A-Z0-9]{2,}$/.test(bare)) return this.remember({ id: `D${bare.slice(1)}`, name: bare, isPrivate: true });
    if (this.openChannels && /^[CGD][A-Z0-9]{2,}$/.test(bare)) return this.remember({ id: bare, name: bare.toLowerCase() });
    return undefined;
  }

  private remember(channel: FakeSlackChannel): FakeSlackChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Unique, increasing, in Slack's "seconds.microseconds" form. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    const seconds = Math.floor(this.lastTsMicros / 1_000_000);
    return `${seconds}.${String(this.lastTsMicros % 1_000_000).padStart(6, '0')}`;
  }
}

type MessageContent =
  { text: string | undefined; blocks: unknown[] | undefined; attachments: unknown[] | undefined } | { error: SlackResult };

function messageContent(args: SlackArgs): MessageContent {
  const text = typeof args.text === 'string' ? args.text : undefined;
  const { blocks, attachments } = args;
  if ((text === undefined || text === '') && blocks === undefined && attachments === undefined) {
    return { error: { ok: false, error: 'no_text' } };
  }
  if (text !== undefined && text.length > maxTextLength) return { error: { ok: false, error: 'msg_too_long' } };
  if (blocks !== undefined) {
    const check = checkBlocks(blocks);
    if (!check.ok) {
      const messages = check.errors.map((e) => `[ERROR] ${e}`);
      return { error: { ok: false, error: check.error, errors: check.errors, response_metadata: { messages } } };
    }
  }
  if (attachments !== undefined && !Array.isArray(attachments)) return { error: { ok: false, error: 'invalid_attachments' } };
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

/**
 * Slack's message metadata: `{event_type, event_payload}` (JSON text in a form body). A malformed one is refused as
 * Slack does (`invalid_metadata_format` when it is not JSON, `invalid_metadata_schema` when the shape is wrong).
 */
function messageMetadata(args: SlackArgs): { value: unknown } | { error: SlackResult } | undefined {
  const { metadata } = args;
  if (metadata === undefined || metadata === '') return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return { error: { ok: false, error: 'invalid_metadata_format' } };
  const { event_type: eventType, event_payload: payload } = metadata as Record<string, unknown>;
  const shapeOk =
    typeof eventType === 'string' &&
    /^[A-Za-z0-9_]{1,255}$/.test(eventType) &&
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload);
  if (!shapeOk) return { error: { ok: false, error: 'invalid_metadata_schema' } };
  return { value: { event_type: eventType, event_payload: payload } };
}

/** The reply fields Slack adds to a thread's parent message. */
function threadSummary(ts: string, replies: readonly { ts: string }[]): Record<string, unknown> {
  if (replies.length === 0) return {};
  const id = fakeSlackIdentity;
  return {
    thread_ts: ts,
    reply_count: replies.length,
    reply_users_count: 1,
    latest_reply: replies.at(-1)?.ts,
    reply_users: [id.botUserId],
    is_locked: false,
    subscribed: false,
  };
}

function wireFileShare(share: FakeSlackFileShare): Record<string, unknown> {
  const id = fakeSlackIdentity;
  return {
    type: 'message',
    text: '',
    user: id.botUserId,
    bot_id: id.botId,
    ts: share.ts,
    upload: true,
    display_as_bot: false,
    files: share.files.map((f) => ({ ...f, user: id.botUserId, is_external: false, filetype: f.name.split('.').pop() ?? '' })),
    ...(share.threadTs === undefined ? {} : { thread_ts: share.threadTs, parent_user_id: id.botUserId }),
  };
}

/** A stored message as Slack returns it for a bot token; metadata only when asked for (`include_all_metadata`). */
function wireMessage(message: FakeSlackMessage, includeMetadata: boolean): Record<string, unknown> {
  const id = fakeSlackIdentity;
  return {
    user: id.botUserId,
    type: 'message',
    ts: message.ts,
    bot_id: id.botId,
    app_id: id.appId,
    text: message.text,
    team: id.teamId,
    bot_profile: { id: id.botId, app_id: id.appId, name: id.botUserName, deleted: false, team_id: id.teamId },
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs, parent_user_id: id.botUserId }),
    ...(includeMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
  };
}
