/**
 * The model limiter's shared state, changed only by these Lua scripts so that every worker sees one
 * consistent view (decision 015). Time is Redis's own clock (TIME), so workers' clocks need not agree.
 *
 * Keys: KEYS[1] `state` hash, KEYS[2] `leases` sorted set (lease id → expiry ms), KEYS[3] `waiting` sorted
 * set (worker id → expiry ms: workers with people's questions waiting).
 * State fields: `<b>:tokens`, `<b>:at`, `<b>:learned` for the buckets r (requests), i (input tokens) and
 * o (output tokens), each refilled continuously at capacity per minute as Anthropic's own; `limit` (the
 * in-flight limit, lowered on 429/529 and raised by successes), `ceiling` (the limit after the last refusal),
 * `pausedUntil`, and the current wave of refusals: `decreaseAfter`, `waveStart`, `waveRefused`.
 */
const COMMON = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function num(field, fallback)
  local v = redis.call('HGET', KEYS[1], field)
  if v then return tonumber(v) end
  return fallback
end
-- A bucket's capacity: our own limit, the API's (learned from its headers), the lower of both, or none (nil).
local function bucket(name, configured)
  local learned = num(name .. ':learned', 0)
  local cap = configured
  if learned > 0 and (cap == 0 or learned < cap) then cap = learned end
  if cap <= 0 then return nil end
  local tokens = num(name .. ':tokens', cap)
  local at = num(name .. ':at', now)
  tokens = math.min(cap, tokens + math.max(0, now - at) * cap / 60000)
  return { name = name, cap = cap, tokens = tokens }
end
local function save(b)
  redis.call('HSET', KEYS[1], b.name .. ':tokens', b.tokens, b.name .. ':at', now)
end
`;

/**
 * ARGV: leaseId, workerId, background (0/1), inputTokens, outputTokens, maxInFlight, requestsPerMinute,
 * inputTokensPerMinute, outputTokensPerMinute, leaseTtlMs, waitingIfDenied (0/1), waitingIfGranted (0/1),
 * waitingTtlMs. Returns { granted (0/1), waitMs hint (0: unknown, poll), reason }.
 */
export const ACQUIRE_SCRIPT = `${COMMON}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local function waiting(flag)
  if flag == '1' then redis.call('ZADD', KEYS[3], now + tonumber(ARGV[13]), ARGV[2])
  else redis.call('ZREM', KEYS[3], ARGV[2]) end
end
local function deny(wait, reason)
  waiting(ARGV[11])
  return { 0, math.ceil(wait), reason }
end
local paused = num('pausedUntil', 0)
if paused > now then return deny(paused - now, 'paused') end
waiting(ARGV[11])
if ARGV[3] == '1' and redis.call('ZCARD', KEYS[3]) > 0 then return deny(0, 'yield') end
local maxInFlight = tonumber(ARGV[6])
local limit = math.min(num('limit', maxInFlight), maxInFlight)
if redis.call('ZCARD', KEYS[2]) >= math.max(1, math.floor(limit)) then return deny(0, 'in_flight') end
local needs = { { 'r', tonumber(ARGV[7]), 1 }, { 'i', tonumber(ARGV[8]), tonumber(ARGV[4]) }, { 'o', tonumber(ARGV[9]), tonumber(ARGV[5]) } }
local buckets = {}
for _, n in ipairs(needs) do
  local b = bucket(n[1], n[2])
  if b then
    -- A call larger than the whole bucket waits for a full bucket rather than forever.
    b.need = math.min(n[3], b.cap)
    if b.tokens < b.need then return deny((b.need - b.tokens) * 60000 / b.cap, n[1] == 'r' and 'requests' or (n[1] == 'i' and 'input_tokens' or 'output_tokens')) end
    table.insert(buckets, b)
  end
end
for _, b in ipairs(buckets) do
  b.tokens = b.tokens - b.need
  save(b)
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[10]), ARGV[1])
waiting(ARGV[12])
return { 1, 0, 'granted' }
`;

/**
 * ARGV: leaseId, status (0: no answer), retryAfterMs (-1: none), estimated input, estimated output, actual
 * input (-1: unknown), actual output (-1), maxInFlight, requestsPerMinute, inputTokensPerMinute,
 * outputTokensPerMinute, then limit and remaining (-1: absent) of r, i and o from the answer's headers,
 * overloadPauseMs, decreaseGapMs. Returns { in-flight limit * 1000, pause left ms, lowered (0/1) }.
 */
export const RELEASE_SCRIPT = `${COMMON}
local inFlight = redis.call('ZCARD', KEYS[2])
redis.call('ZREM', KEYS[2], ARGV[1])
local status = tonumber(ARGV[2])
local retryAfter = tonumber(ARGV[3])
local ok = status >= 200 and status < 300
local configured = { r = tonumber(ARGV[9]), i = tonumber(ARGV[10]), o = tonumber(ARGV[11]) }
local estimate = { i = tonumber(ARGV[4]), o = tonumber(ARGV[5]) }
local actual = { i = tonumber(ARGV[6]), o = tonumber(ARGV[7]) }
local headers = { r = { tonumber(ARGV[12]), tonumber(ARGV[13]) }, i = { tonumber(ARGV[14]), tonumber(ARGV[15]) }, o = { tonumber(ARGV[16]), tonumber(ARGV[17]) } }
for _, name in ipairs({ 'r', 'i', 'o' }) do
  local limit, remaining = headers[name][1], headers[name][2]
  if limit > 0 then redis.call('HSET', KEYS[1], name .. ':learned', limit) end
  local b = bucket(name, configured[name])
  if b then
    if name ~= 'r' then
      -- The API charges what a call used, and nothing for a call it refused.
      if ok and actual[name] >= 0 then b.tokens = b.tokens - (actual[name] - estimate[name])
      elseif not ok then b.tokens = b.tokens + estimate[name] end
    end
    if remaining >= 0 then b.tokens = math.min(b.tokens, remaining) end
    b.tokens = math.min(b.cap, b.tokens)
    save(b)
  end
end
local maxInFlight = tonumber(ARGV[8])
local limit = math.min(num('limit', maxInFlight), maxInFlight)
local lowered = 0
if status == 429 or status == 529 then
  local pause = retryAfter
  if pause < 0 then pause = tonumber(ARGV[18]) end
  redis.call('HSET', KEYS[1], 'pausedUntil', math.max(num('pausedUntil', 0), now + pause))
  -- The refusals of one wave arrive together: of the calls in flight when the first came, the API took about
  -- as many as it did not refuse. That is the new limit, and the level above which growth is slow.
  local waveStart
  if now >= num('decreaseAfter', 0) then
    waveStart = inFlight
    redis.call('HSET', KEYS[1], 'waveStart', inFlight, 'waveRefused', 1, 'decreaseAfter', now + math.max(pause, tonumber(ARGV[19])))
    lowered = 1
  else
    waveStart = num('waveStart', inFlight)
    redis.call('HINCRBY', KEYS[1], 'waveRefused', 1)
  end
  limit = math.max(1, math.min(limit, waveStart - num('waveRefused', 1)))
  redis.call('HSET', KEYS[1], 'ceiling', limit)
elseif ok then
  -- One more per round trip below the last refusal's level; ten times slower above it.
  local step = 1
  if limit >= num('ceiling', maxInFlight) then step = 0.1 end
  limit = math.min(maxInFlight, limit + step / math.max(1, limit))
end
redis.call('HSET', KEYS[1], 'limit', limit)
return { math.floor(limit * 1000), math.max(0, num('pausedUntil', 0) - now), lowered }
`;

/** ARGV: leaseTtlMs, lease ids. Extends the leases of calls still running. */
export const REFRESH_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return #ARGV - 1
`;
