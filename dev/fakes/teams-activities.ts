import { randomUUID } from 'node:crypto';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:ai4k8s-bot', name: 'ai4k8s' };
export const ALICE = { id: '29:1alice', name: 'Alice Ops', aadObjectId: 'aad-alice-0001' };
export const BOB = { id: '29:1bob', name: 'Bob Approver', aadObjectId: 'aad-bob-0002' };
export const CAROL = { id: '29:1carol', name: 'Carol Dev', aadObjectId: 'aad-carol-0003' };
export const CHANNEL = '19:ops-channel@thread.tacv2';

let sequence = 1_700_000_000_000;
/** A Teams activity id (they are millisecond timestamps in channels). */
export const nextActivityId = () => String((sequence += 7));

export interface MessageOptions {
  serviceUrl: string;
  text: string;
  from?: typeof ALICE;
  /** channel (default), personal or groupChat. */
  conversationType?: 'channel' | 'personal' | 'groupChat';
  /** In a channel: the reply chain's root id; absent starts a new post (its own id is the root). */
  rootId?: string;
  /** A chat's conversation id (personal / groupChat). */
  chatId?: string;
  /** Whether the text @mentions the bot (default: true in channels and group chats). */
  mention?: boolean;
  id?: string;
  value?: unknown;
}

/** A message activity as Teams sends it: `<at>` mention text and mention entity, tenant, channelData. */
export function messageActivity(options: MessageOptions): Record<string, unknown> {
  const type = options.conversationType ?? 'channel';
  const id = options.id ?? nextActivityId();
  const mention = options.mention ?? type !== 'personal';
  const at = `<at>${BOT.name}</at>`;
  const conversationId =
    type === 'channel' ? `${CHANNEL};messageid=${options.rootId ?? id}` : (options.chatId ?? `a:1chat-${randomUUID().slice(0, 8)}`);
  const from = options.from ?? ALICE;
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: type, tenantId: TENANT, ...(type === 'personal' ? {} : { isGroup: true }) },
    text: mention ? `${at} ${options.text}` : options.text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: at, mentioned: BOT }] : [],
    channelData: {
      tenant: { id: TENANT },
      ...(type === 'channel' ? { teamsChannelId: CHANNEL, teamsTeamId: '19:team@thread.tacv2', channel: { id: CHANNEL } } : {}),
    },
    ...(options.value === undefined ? {} : { value: options.value }),
    locale: 'en-US',
  };
}

/** What Teams sends when someone presses Approve / Deny on an approval card (Action.Submit). */
export function cardSubmitActivity(options: {
  serviceUrl: string;
  conversationId: string;
  action: 'approve' | 'deny';
  token: string;
  digest?: string;
  from: typeof ALICE;
  replyToId: string;
}): Record<string, unknown> {
  const type = options.conversationId.startsWith(CHANNEL) ? 'channel' : 'personal';
  return {
    type: 'message',
    id: nextActivityId(),
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from: options.from,
    recipient: BOT,
    conversation: { id: options.conversationId, conversationType: type, tenantId: TENANT },
    replyToId: options.replyToId,
    value: {
      ai4k8sAction: `ai4k8s_${options.action}`,
      token: options.token,
      ...(options.digest === undefined ? {} : { digest: options.digest }),
    },
    channelData: { tenant: { id: TENANT }, source: { name: 'message' } },
  };
}
