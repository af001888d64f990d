import { checkBlocks } from './slack-block-limits.ts';
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
    const message: FakeSlackMessage = {
      channel: channel.id,
      ts: this.nextTs(),
      threadTs: stringArg(args, 'thread_ts'),
      text: content.text ?? '',
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: args.metadata,
      replyBroadcast: args.reply_broadcast === true,
      postedAt: Date.now(),
      edits: [],
    };
    this.messages.push(message);
    return { ok: true, channel: channel.id, ts: message.ts, message: wireMessage(message) };
  }

  private update(args: SlackArgs): SlackResult {
    const channel = this.resolveChannel(stringArg(args, 'channel'));
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    const message = this.messages.find((m) => m.channel === channel.id && m.ts === ts);
    if (message === undefined) return { ok: false, error: 'message_not_found' };
    const content = messageContent(args);
    if ('error' in content) return content.error;
    // Fields left out keep their previous value, as Slack documents for blocks and attachments.
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
      message: { ...wireMessage(message), edited: { user: fakeSlackIdentity.botUserId, ts: editTs } },
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
  | { text: string | undefined; blocks: unknown[] | undefined; attachments: unknown[] | undefined }
  | { error: SlackResult };

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

/** A stored message as Slack returns it for a bot token. */
function wireMessage(message: FakeSlackMessage): Record<string, unknown> {
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
  };
}
