import type { Queue } from 'bullmq';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { auditStreamKey } from '../../src/audit/audit-log.ts';
import type { ConsoleConversations } from './reply/console-conversations.ts';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { redactText } from '../../src/redact/redact-text.ts';

export interface ConsoleAuditOptions {
  redis: RedisClient;
  prefix: string;
  conversations: ConsoleConversations;
  /** The chat queue: a Slack or Teams job's question is read from its job (kept 24 h). */
  chatQueue: Queue | undefined;
}

/** An audit event as the console shows it: with its stream id and the first words of the question it belongs to. */
export type ConsoleAuditRow = AuditEvent & { id: string; question?: string };

const BATCH = 500;
/** A filtered read looks through at most this many of the newest events. */
const MAX_SCANNED = 20_000;
const QUESTION_WORDS = 8;
const QUESTION_CHARS = 80;

/**
 * The audit log for the console: the newest events, or those of one console conversation (its events carry the
 * conversation id as their channel), each with the first words of its question so people recognise the
 * conversation: a console conversation's title, else the asking chat job's text while the queue keeps it.
 */
export function consoleAudit({ redis, prefix, conversations, chatQueue }: ConsoleAuditOptions) {
  const key = auditStreamKey(prefix);
  const parse = (entries: [string, string[]][]) =>
    entries.flatMap(([id, fields]) => {
      const json = fields[fields.indexOf('event') + 1];
      return json === undefined ? [] : [{ id, ...(JSON.parse(json) as AuditEvent) }];
    });

  async function newest(limit: number, conversation: string | undefined): Promise<(AuditEvent & { id: string })[]> {
    if (conversation === undefined) return parse(await redis.xrevrange(key, '+', '-', 'COUNT', limit));
    const found: (AuditEvent & { id: string })[] = [];
    let end = '+';
    for (let scanned = 0; scanned < MAX_SCANNED && found.length < limit; scanned += BATCH) {
      const entries = await redis.xrevrange(key, end, '-', 'COUNT', BATCH);
      found.push(...parse(entries).filter((e) => e.platform === 'console' && e.channel === conversation));
      const last = entries.at(-1);
      if (last === undefined || entries.length < BATCH) break;
      end = `(${last[0]}`;
    }
    return found.slice(0, limit);
  }

  async function question(event: AuditEvent): Promise<string | undefined> {
    if (event.platform === 'console') return (await conversations.title(event.channel)) ?? undefined;
    const job = chatQueue === undefined || event.jobId === '' ? undefined : await chatQueue.getJob(event.jobId).catch(() => undefined);
    const data: unknown = job?.data;
    return typeof data === 'object' && data !== null && 'text' in data && typeof data.text === 'string' ? data.text : undefined;
  }

  return {
    async read({ limit, conversation }: { limit: number; conversation?: string | undefined }): Promise<ConsoleAuditRow[]> {
      const events = await newest(limit, conversation);
      // One look-up per conversation (console) or job (elsewhere), however many events it has.
      const questions = new Map<string, Promise<string | undefined>>();
      const rows = events.map(async (event) => {
        const lookup = event.platform === 'console' ? `console:${event.channel}` : `job:${event.jobId}`;
        let found = questions.get(lookup);
        if (found === undefined) questions.set(lookup, (found = question(event)));
        const text = await found;
        return text === undefined ? event : { ...event, question: firstWords(text) };
      });
      return Promise.all(rows);
    },
  };
}

/** The first words of a question, redacted, on one line: enough to recognise it. */
export function firstWords(text: string): string {
  const words = redactText(text)
    .split(/\s+/)
    .filter((w) => w !== '');
  let shown = words.slice(0, QUESTION_WORDS).join(' ');
  if (shown.length > QUESTION_CHARS) shown = shown.slice(0, QUESTION_CHARS);
  return shown.length < words.join(' ').length ? `${shown}…` : shown;
}
