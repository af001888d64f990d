import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';

const root = join(import.meta.dirname, '../..');
const manifestPath = join(root, 'deploy/slack/manifest.yaml');

/**
 * The fields of Slack's app manifest (https://docs.slack.dev/reference/app-manifest, also typed as `Manifest`
 * in @slack/web-api) that ai4k8s uses, with their documented types and limits. Strict objects: a misspelt
 * key fails here rather than being rejected by Slack when an admin pastes the file.
 */
const https = z.url({ protocol: /^https$/ });
const scope = z.string().regex(/^[a-z_-]+(\.[a-z_]+)*(:[a-z_]+(\.[a-z_]+)*)?$/, 'a scope such as chat:write or commands');
const manifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.union([z.literal(1), z.literal(2)]), minor_version: z.number().int().nonnegative().optional() }).optional(),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140).optional(),
    long_description: z.string().min(175).max(4000).optional(),
    background_color: z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/).optional(),
  }),
  features: z
    .strictObject({
      app_home: z.strictObject({ home_tab_enabled: z.boolean().optional(), messages_tab_enabled: z.boolean().optional(), messages_tab_read_only_enabled: z.boolean().optional() }).optional(),
      bot_user: z.strictObject({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/), always_online: z.boolean().optional() }).optional(),
      slash_commands: z
        .array(
          z.strictObject({
            command: z.string().regex(/^\/[^\s/]{1,31}$/),
            description: z.string().min(1).max(2000),
            url: https.optional(),
            usage_hint: z.string().max(1000).optional(),
            should_escape: z.boolean().optional(),
          }),
        )
        .max(50)
        .optional(),
    })
    .optional(),
  oauth_config: z
    .strictObject({
      redirect_urls: z.array(https).max(1000).optional(),
      scopes: z.strictObject({ bot: z.array(scope).max(255).optional(), user: z.array(scope).max(255).optional() }).optional(),
    })
    .optional(),
  settings: z
    .strictObject({
      event_subscriptions: z.strictObject({ request_url: https.optional(), bot_events: z.array(z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/)).max(100).optional() }).optional(),
      interactivity: z.strictObject({ is_enabled: z.boolean(), request_url: https.optional(), message_menu_options_url: https.optional() }).optional(),
      org_deploy_enabled: z.boolean().optional(),
      socket_mode_enabled: z.boolean().optional(),
      token_rotation_enabled: z.boolean().optional(),
    })
    .optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

/**
 * The bot scope each Slack Web API method needs (Slack's method reference, "Required scopes"). `[]`: no
 * scope (any valid token). A method the code calls that is missing here fails the test: add it with its
 * scope, and the scope to the manifest.
 */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.uploadV2': ['files:write'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'conversations.info': ['channels:read'],
  // Reading back what the bot posted (decision 014) in any conversation it answers in: channels, private
  // channels, direct and group direct messages.
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'reactions.add': ['reactions:write'],
  'views.open': [],
  'views.publish': [],
};
/** Called with the app-level token (SLACK_APP_TOKEN, scope connections:write), never the bot token. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

/** The bot events ai4k8s listens to, and the scope each needs (Slack's events reference). */
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  'message.mpim': 'mpim:history',
};

const API_FAMILIES = [
  'admin', 'api', 'apps', 'assistant', 'auth', 'bookmarks', 'bots', 'calls', 'canvases', 'chat', 'conversations', 'dnd', 'emoji',
  'files', 'pins', 'reactions', 'reminders', 'search', 'stars', 'team', 'usergroups', 'users', 'views', 'workflows',
];
const METHOD_CALL = new RegExp(`\\.(${API_FAMILIES.join('|')})((?:\\.[A-Za-z]+)+)\\s*\\(`, 'g');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every `<client>.<family>.<method>(` call in a file that uses a Slack package, chains across lines joined. */
function slackMethodCalls(source: string): string[] {
  if (!/from '@slack\//.test(source)) return [];
  const joined = source.replace(/\s*\n\s*\./g, '.');
  return [...joined.matchAll(METHOD_CALL)].map((m) => `${m[1]}${m[2]}`);
}

function calledMethods(): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'adapters'))]) {
    for (const method of slackMethodCalls(readFileSync(file, 'utf8'))) methods.set(method, [...(methods.get(method) ?? []), relative(root, file)]);
  }
  return methods;
}

const manifest = (): Manifest => manifestSchema.parse(parse(readFileSync(manifestPath, 'utf8')));

describe('deploy/slack/manifest.yaml (the Slack app manifest)', () => {
  it('parses and has the documented fields with their documented types and limits', () => {
    const result = manifestSchema.safeParse(parse(readFileSync(manifestPath, 'utf8')));
    assert.ok(result.success, result.success ? '' : z.prettifyError(result.error));
  });

  it('declares the bot user, /k8s, the chat events, interactivity and the Socket Mode flag', () => {
    const m = manifest();
    assert.ok(m.features?.bot_user?.display_name, 'a bot user');
    assert.deepEqual(m.features?.slash_commands?.map((c) => c.command), ['/k8s']);
    assert.deepEqual([...(m.settings?.event_subscriptions?.bot_events ?? [])].sort(), Object.keys(EVENT_SCOPES).sort());
    assert.equal(m.settings?.interactivity?.is_enabled, true, 'Approve / Deny buttons need interactivity');
    assert.equal(typeof m.settings?.socket_mode_enabled, 'boolean');
    assert.equal(m.features?.app_home?.messages_tab_enabled, true, 'direct messages need the Messages tab');
  });

  it('points every request URL at the gateway’s /slack/events (HTTP) unless Socket Mode is on', () => {
    const m = manifest();
    const urls = [m.features?.slash_commands?.[0]?.url, m.settings?.event_subscriptions?.request_url, m.settings?.interactivity?.request_url];
    if (m.settings?.socket_mode_enabled === true) return;
    for (const url of urls) {
      assert.ok(url !== undefined, 'HTTP mode needs all three request URLs');
      assert.equal(new URL(url).pathname, '/slack/events');
    }
    assert.equal(new Set(urls.map((u) => new URL(u ?? '').host)).size, 1, 'one gateway host');
  });

  it('has the scopes its events and slash command need', () => {
    const bot = new Set(manifest().oauth_config?.scopes?.bot ?? []);
    for (const [event, needed] of Object.entries(EVENT_SCOPES)) assert.ok(bot.has(needed), `${event} needs ${needed}`);
    assert.ok(bot.has('commands'), '/k8s needs commands');
  });

  it('has a bot scope for every Slack Web API method the code calls (a new call forces a manifest update)', () => {
    const bot = new Set(manifest().oauth_config?.scopes?.bot ?? []);
    const called = calledMethods();
    assert.ok(called.has('chat.postMessage') && called.has('auth.test'), `the scan found the code's calls: ${[...called.keys()].join(', ')}`);
    for (const [method, files] of called) {
      if (APP_TOKEN_METHODS.has(method)) continue;
      const needed = METHOD_SCOPES[method];
      assert.ok(needed !== undefined, `${method} (called in ${files.join(', ')}) has no known scope: add it to METHOD_SCOPES and its scope to the manifest`);
      for (const s of needed) assert.ok(bot.has(s), `${method} (called in ${files.join(', ')}) needs the bot scope ${s}`);
    }
  });

  it('finds method calls across lines and only in files that use a Slack package', () => {
    const code = "import type { App } from '@slack/bolt';\nawait client.chat\n  .postEphemeral({ channel });\nawait client.files.getUploadURLExternal({});\nconst x = a.users.get(1);";
    assert.deepEqual(slackMethodCalls(code), ['chat.postEphemeral', 'files.getUploadURLExternal', 'users.get']);
    assert.deepEqual(slackMethodCalls('await client.conversations.sendToConversation(id, activity);'), [], 'not a Slack client (Teams)');
    assert.equal(METHOD_SCOPES['users.get'], undefined, 'an unknown method would fail the scope check');
  });
});
