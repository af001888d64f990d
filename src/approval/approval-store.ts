import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { pendingActionSchema, type ApprovalDecision, type ApprovalStatus, type PendingAction } from '../queue/pending-action.ts';

/** A decided approval stays readable this long after it expires, so a late or replayed click is refused clearly. */
const KEEP_AFTER_EXPIRY_SECONDS = 7 * 24 * 3600;

/**
 * pending → approved/denied in one step, only while pending and unexpired (an expired one becomes expired).
 * Returns 'ok', 'missing', 'expired' or the status it already had.
 */
const DECIDE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'pending' then return status end
if tonumber(redis.call('HGET', KEYS[1], 'expiresAt')) <= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'status', 'expired', 'decidedAt', ARGV[3])
  return 'expired'
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decidedBy', ARGV[2], 'decidedAt', ARGV[3])
if ARGV[4] ~= nil and ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'decidedByName', ARGV[4]) end
return 'ok'
`;

/**
 * The expiry timer: pending → expired once its expiry has passed. Returns 'ok' when the timer expired it (this
 * call or a retry of the same timer job), else the status ('pending' when not yet due; 'expired' when a late
 * click expired it, whose own job reports it).
 */
const EXPIRE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'expired' and redis.call('HGET', KEYS[1], 'expiredBy') == 'timer' then return 'ok' end
if status ~= 'pending' then return status end
if tonumber(redis.call('HGET', KEYS[1], 'expiresAt')) > tonumber(ARGV[1]) then return 'pending' end
redis.call('HSET', KEYS[1], 'status', 'expired', 'decidedAt', ARGV[1], 'expiredBy', 'timer')
return 'ok'
`;

export interface StoredApproval {
  action: PendingAction;
  status: ApprovalStatus;
  decidedBy: string | undefined;
  /** The decider's display name where the platform sent one (Teams): for messages only, never for decisions or the audit. */
  decidedByName: string | undefined;
  /** The Slack ts of the approval card, once posted. */
  cardId: string | undefined;
  /** The applied call's result text, once it finished. */
  result: { text: string; isError: boolean } | undefined;
  /** Set when a worker claimed the execution (before calling the tool). */
  claimed: boolean;
  outcomePosted: boolean;
}

export type DecideResult = 'ok' | 'missing' | 'expired' | Exclude<ApprovalStatus, 'pending'>;

/** Pending actions in Redis: `{<prefix>}:approval-action:<token>` (a hash), with the single-use execution claim beside it. */
export function approvalStore(redis: RedisClient, prefix: string) {
  const keys = redisKeys(prefix);
  const key = keys.approvalAction;
  const claimKey = keys.approvalClaim;
  const ttl = (action: PendingAction) => Math.ceil((action.expiresAt - Date.now()) / 1000) + KEEP_AFTER_EXPIRY_SECONDS;
  return {
    /**
     * The token of this job's call of `tool` with these arguments: a retried job finds the same token (and card)
     * instead of posting a second one.
     */
    async tokenFor(jobId: string, tool: string, args: unknown): Promise<string> {
      const digest = createHash('sha256')
        .update(JSON.stringify([jobId, tool, args]))
        .digest('hex')
        .slice(0, 32);
      const slot = keys.approvalSlot(digest);
      await redis.set(slot, randomBytes(16).toString('hex'), 'EX', KEEP_AFTER_EXPIRY_SECONDS, 'NX');
      const token = await redis.get(slot);
      if (token === null) throw new Error('approval slot vanished right after it was written');
      return token;
    },
    /** Stores a pending action unless it already exists (a retried job); true when this call stored it. */
    async create(action: PendingAction): Promise<boolean> {
      const created = await redis.hsetnx(key(action.token), 'action', JSON.stringify(action));
      if (created === 1) {
        await redis
          .multi()
          .hset(key(action.token), 'status', 'pending', 'expiresAt', String(action.expiresAt))
          .expire(key(action.token), ttl(action))
          .exec();
      }
      return created === 1;
    },
    async read(token: string): Promise<StoredApproval | undefined> {
      const [fields, claimed] = await Promise.all([redis.hgetall(key(token)), redis.exists(claimKey(token))]);
      if (fields.action === undefined) return undefined;
      const action = pendingActionSchema.parse(JSON.parse(fields.action));
      return {
        action,
        status: (fields.status ?? 'pending') as ApprovalStatus,
        decidedBy: fields.decidedBy,
        decidedByName: fields.decidedByName,
        cardId: fields.cardId,
        result: fields.result === undefined ? undefined : { text: fields.result, isError: fields.resultError === '1' },
        claimed: claimed === 1,
        outcomePosted: fields.outcomePosted === '1',
      };
    },
    async setField(token: string, field: 'cardId' | 'outcomePosted', value: string): Promise<void> {
      await redis.hset(key(token), field, value);
    },
    /**
     * Atomically decides a pending, unexpired action; a second click gets the status the first one set. `byName`
     * (the clicker's display name, when known) is kept so that second click can be told who decided.
     */
    async decide(
      token: string,
      decision: Exclude<ApprovalDecision, 'expired'>,
      by: string,
      { now = Date.now(), byName = '' }: { now?: number; byName?: string } = {},
    ): Promise<DecideResult> {
      return (await redis.eval(DECIDE_SCRIPT, 1, key(token), decision, by, String(now), byName)) as DecideResult;
    },
    /** Expires a still-pending action whose time is up (the expiry timer's job only); see EXPIRE_SCRIPT. */
    async expireIfDue(token: string, now = Date.now()): Promise<'ok' | 'missing' | ApprovalStatus> {
      return (await redis.eval(EXPIRE_SCRIPT, 1, key(token), String(now))) as 'ok' | 'missing' | ApprovalStatus;
    },
    /** The single-use execution claim (SET NX): true for exactly one caller, ever. */
    async claimExecution(token: string): Promise<boolean> {
      return (await redis.set(claimKey(token), String(Date.now()), 'EX', KEEP_AFTER_EXPIRY_SECONDS, 'NX')) === 'OK';
    },
    async recordResult(token: string, result: { text: string; isError: boolean }): Promise<void> {
      await redis.hset(key(token), 'result', result.text, 'resultError', result.isError ? '1' : '0');
    },
  };
}

export type ApprovalStore = ReturnType<typeof approvalStore>;
