import { createHmac, randomBytes } from 'node:crypto';

export interface SlashCommandOptions {
  text: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  teamId?: string;
  triggerId?: string;
  command?: string;
}

/** A slash command payload as Slack sends it (form-encoded). */
export function slashCommandBody(options: SlashCommandOptions): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: options.teamId ?? 'T0AI4K8S',
    team_domain: 'ai4k8s-test',
    channel_id: options.channelId ?? 'C0SHOP0001',
    channel_name: 'shop-oncall',
    user_id: options.userId ?? 'U0ONCALL01',
    user_name: options.userName ?? 'oncall',
    command: options.command ?? '/k8s',
    text: options.text,
    api_app_id: 'A0AI4K8S01',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.invalid/commands/T0AI4K8S/1/abc',
    trigger_id: options.triggerId ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
  }).toString();
}

export interface SignOptions {
  secret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** Slack's v0 request signature headers for a raw body. */
export function slackSignatureHeaders(
  body: string,
  { secret, timestamp = Math.floor(Date.now() / 1000) }: SignOptions,
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

export interface PostToSlackEndpointOptions extends SignOptions {
  gatewayUrl: string;
  body: string;
  contentType?: string;
  retryNum?: number;
  /** Replaces the computed signature (to test rejection). */
  signature?: string;
}

/** POSTs a signed request to the gateway's /slack/events, as Slack would. */
export async function postToSlackEndpoint(options: PostToSlackEndpointOptions): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    ...slackSignatureHeaders(options.body, options),
  };
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(`${options.gatewayUrl}/slack/events`, { method: 'POST', headers, body: options.body });
}

export interface EventCallbackOptions {
  /** The inner event (`app_mention`, `message`, …) as Slack sends it. */
  event: Record<string, unknown>;
  teamId?: string;
  /** Slack gives every delivery its own id; the mention and message events of one message differ. */
  eventId?: string;
}

/** An Events API `event_callback` envelope (JSON), as Slack POSTs it to the request URL. */
export function eventCallbackBody({
  event,
  teamId = 'T0AI4K8S',
  eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
}: EventCallbackOptions): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A0AI4K8S01',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0FAKEBOT1', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('hex')}`,
  });
}

export interface BlockActionsOptions {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  /** The message carrying the button, and the thread it is in. */
  messageTs: string;
  threadTs?: string;
  teamId?: string;
}

/** An interactive `block_actions` payload (a button click) as Slack sends it: form-encoded `payload=<JSON>`. */
export function blockActionsBody({
  actionId,
  value,
  userId,
  channelId,
  messageTs,
  threadTs,
  teamId = 'T0AI4K8S',
}: BlockActionsOptions): string {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0AI4K8S01',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    },
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
    team: { id: teamId, domain: 'ai4k8s-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'shop-oncall' },
    message: {
      type: 'message',
      user: 'U0FAKEBOT1',
      ts: messageTs,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      text: 'Approval needed',
    },
    state: { values: {} },
    response_url: `https://hooks.slack.invalid/actions/${teamId}/1/abc`,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'ai4k8s_approval',
        text: { type: 'plain_text', text: actionId.endsWith('approve') ? 'Approve' : 'Deny', emoji: true },
        value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
