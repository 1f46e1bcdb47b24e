import type { Redis } from 'ioredis';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import { salesforceMetrics } from './metrics';
import type { ResolvedApiBudget } from './options';

const log = childLogger('salesforce');

/** Salesforce counts API requests over a rolling 24 h. */
export const WINDOW_MS = 24 * 3_600_000;
/** Our own requests are counted in 5-minute buckets (288 fields per org). */
export const BUCKET_MS = 5 * 60_000;

/** What `Sforce-Limit-Info: api-usage=used/max` said last, and when. */
export interface ApiUsage {
  used: number;
  max: number;
  at: number;
}

/** `api-usage=18/15000` (possibly followed by `, per-app-api-usage=…`) → {used, max}. */
export function parseLimitInfo(header: string | undefined): { used: number; max: number } | undefined {
  const m = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!m) return undefined;
  const used = Number(m[1]);
  const max = Number(m[2]);
  return max > 0 ? { used, max } : undefined;
}

/**
 * Atomically: refuse while the org is paused; refuse (and pause) when our own requests of the last
 * 24 h reached `share` of the allocation, or when the whole org's last known usage reached
 * `ceiling` of it and is recent (a stale reading lets one request through to read it again);
 * otherwise count one request in the current bucket. Returns {0, '', 0} or {waitMs, reason, 1 when
 * this call started the pause}.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local bucketMs = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local share = tonumber(ARGV[4])
local ceiling = tonumber(ARGV[5])
local recheck = tonumber(ARGV[6])
local pause = redis.call('GET', KEYS[3])
if pause then
  local sep = string.find(pause, ' ', 1, true)
  local untilMs = tonumber(string.sub(pause, 1, sep - 1))
  if untilMs > now then return {untilMs - now, string.sub(pause, sep + 1), 0} end
end
local oldest = math.floor((now - windowMs) / bucketMs)
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
local buckets = {}
for i = 1, #fields, 2 do
  local b = tonumber(fields[i])
  local c = tonumber(fields[i + 1])
  if b < oldest then redis.call('HDEL', KEYS[1], fields[i]) else
    total = total + c
    table.insert(buckets, {b, c})
  end
end
local max = tonumber(redis.call('HGET', KEYS[2], 'max') or '0')
local used = tonumber(redis.call('HGET', KEYS[2], 'used') or '0')
local at = tonumber(redis.call('HGET', KEYS[2], 'at') or '0')
if max > 0 then
  local limit = math.floor(max * share)
  if total >= limit then
    table.sort(buckets, function(x, y) return x[1] < y[1] end)
    local left = total
    local wait = windowMs
    for _, bc in ipairs(buckets) do
      left = left - bc[2]
      if left < limit then
        wait = (bc[1] + 1) * bucketMs + windowMs - now
        break
      end
    end
    wait = math.max(1000, wait)
    local reason = 'share ' .. total .. ' ' .. limit .. ' ' .. max
    redis.call('SET', KEYS[3], (now + wait) .. ' ' .. reason, 'PX', wait)
    return {wait, reason, 1}
  end
  if used >= max * ceiling and now - at < recheck then
    local wait = math.max(1000, at + recheck - now)
    local reason = 'org ' .. used .. ' ' .. max
    redis.call('SET', KEYS[3], (now + wait) .. ' ' .. reason, 'PX', wait)
    return {wait, reason, 1}
  end
end
redis.call('HINCRBY', KEYS[1], tostring(math.floor(now / bucketMs)), 1)
redis.call('PEXPIRE', KEYS[1], windowMs + bucketMs)
return {0, '', 0}
`;

/**
 * The daily API budget of each org, shared by every process through Redis. Salesforce gives an org
 * a daily allocation (Developer Edition 15,000; Enterprise 100,000 + 1,000 per licence) that every
 * integration and user of the org shares; each response says how much of it is used
 * (`Sforce-Limit-Info`). The connector keeps its own requests of any rolling 24 h under
 * `maxShare` of the allocation, stops calling when the org as a whole reaches `orgCeiling`, and
 * stops for `limitExceededPauseMs` when Salesforce refuses with REQUEST_LIMIT_EXCEEDED. A paused
 * org fails its calls at once with a retryable BUDGET_EXHAUSTED that says how long to wait
 * (`retryAfterMs`): Salesforce is not asked again until then.
 */
export class ApiBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: ResolvedApiBudget,
    private readonly clock: () => number = Date.now,
  ) {
    redis.defineCommand('leadScorerSalesforceTake', { numberOfKeys: 3, lua: TAKE });
  }

  private keys(orgId: string): [string, string, string] {
    return [`${this.prefix}sf:api-own:${orgId}`, `${this.prefix}sf:api-usage:${orgId}`, `${this.prefix}sf:api-pause:${orgId}`];
  }

  /** Counts one request of the org, or throws BUDGET_EXHAUSTED (retryable, with `retryAfterMs`) when the org is paused or over budget. */
  async take(tenant: string, orgId: string): Promise<void> {
    const o = this.options;
    const [wait, reason, started] = (await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, string, number]>>).leadScorerSalesforceTake!(
      ...this.keys(orgId),
      this.clock(),
      BUCKET_MS,
      WINDOW_MS,
      o.maxShare,
      o.orgCeiling,
      o.recheckMs,
    )) as [number, string, number];
    if (Number(wait) <= 0) return;
    if (Number(started) === 1) {
      const kind = reason.startsWith('share') ? 'share' : 'org_ceiling';
      salesforceMetrics.budgetPauses.inc({ reason: kind });
      log.warn('pausing Salesforce calls to save the org\'s daily API allocation', { tenant, reason: kind, pauseMs: Number(wait) });
    }
    throw this.exhausted(tenant, Number(wait), reason);
  }

  /** Saves what a response's `Sforce-Limit-Info` said. */
  async recordUsage(orgId: string, usage: { used: number; max: number }): Promise<void> {
    const key = this.keys(orgId)[1];
    await this.redis.multi().hset(key, { used: usage.used, max: usage.max, at: this.clock() }).pexpire(key, 2 * WINDOW_MS).exec();
  }

  /**
   * Stops every call of the org for `ms` (after REQUEST_LIMIT_EXCEEDED), in every process. The pause
   * is kept as `<until ms> <reason>` on the service clock, with a Redis expiry only to clean up.
   */
  async pause(orgId: string, ms: number, reason: string): Promise<void> {
    const wait = Math.max(1, Math.ceil(ms));
    await this.redis.set(this.keys(orgId)[2], `${this.clock() + wait} ${reason}`, 'PX', wait);
  }

  /** How long the org is still paused (0 when it is not), and why. */
  private async pauseOf(orgId: string): Promise<{ ms: number; reason?: string }> {
    const value = await this.redis.get(this.keys(orgId)[2]);
    const sep = value?.indexOf(' ') ?? -1;
    if (!value || sep < 0) return { ms: 0 };
    const ms = Number(value.slice(0, sep)) - this.clock();
    return ms > 0 ? { ms, reason: value.slice(sep + 1) } : { ms: 0 };
  }

  async pausedFor(orgId: string): Promise<number> {
    return (await this.pauseOf(orgId)).ms;
  }

  /** The org's budget as we know it: our own requests of the last 24 h, the last usage Salesforce reported, and any pause. */
  async status(orgId: string): Promise<{ own: number; usage?: ApiUsage; pausedMs: number; reason?: string }> {
    const [ownKey, usageKey] = this.keys(orgId);
    const oldest = Math.floor((this.clock() - WINDOW_MS) / BUCKET_MS);
    const [buckets, usage, pause] = await Promise.all([this.redis.hgetall(ownKey), this.redis.hgetall(usageKey), this.pauseOf(orgId)]);
    const own = Object.entries(buckets).reduce((sum, [b, c]) => (Number(b) >= oldest ? sum + Number(c) : sum), 0);
    return {
      own,
      ...(usage.max ? { usage: { used: Number(usage.used), max: Number(usage.max), at: Number(usage.at) } } : {}),
      pausedMs: pause.ms,
      ...(pause.reason ? { reason: pause.reason } : {}),
    };
  }

  /** The error of a refused call, in words an operator understands. */
  exhausted(tenant: string, waitMs: number, reason: string): CrmError {
    const [kind, a, b, c] = reason.split(' ');
    const minutes = Math.max(1, Math.round(waitMs / 60_000));
    let message: string;
    if (kind === 'share') {
      message = `the connector has made ${a} API requests to ${tenant} in the last 24 h, its share of ${b} (${Math.round(this.options.maxShare * 100)} % of the org's ${c} a day); paused for ${minutes} min`;
    } else if (kind === 'org') {
      message = `${tenant} has used ${a} of its ${b} daily API requests (all integrations together; the connector stops at ${Math.round(this.options.orgCeiling * 100)} %); paused for ${minutes} min`;
    } else if (kind === 'limit') {
      message = `Salesforce refused requests to ${tenant}: REQUEST_LIMIT_EXCEEDED (the org's daily API allocation is spent); paused for ${minutes} min`;
    } else if (kind === 'concurrent') {
      return new CrmError(`Salesforce refused requests to ${tenant}: too many concurrent long requests; paused for ${Math.ceil(waitMs / 1000)} s`, 'RATE_LIMITED', true, { crm: 'salesforce', tenant, retryAfterMs: waitMs });
    } else {
      message = `API calls to ${tenant} are paused for ${minutes} min (${reason})`;
    }
    return new CrmError(message, 'BUDGET_EXHAUSTED', true, { crm: 'salesforce', tenant, retryAfterMs: waitMs });
  }

  /** After a 403 REQUEST_LIMIT_EXCEEDED: the daily allocation (or, by its message, the concurrent-request limit) is spent. Pauses the org and returns the error to throw. */
  async limitExceeded(tenant: string, orgId: string, message: string): Promise<CrmError> {
    const concurrent = /concurrent/i.test(message);
    const ms = concurrent ? this.options.concurrentLimitPauseMs : this.options.limitExceededPauseMs;
    const reason = concurrent ? 'concurrent' : 'limit';
    await this.pause(orgId, ms, reason);
    salesforceMetrics.budgetPauses.inc({ reason: concurrent ? 'concurrent_limit' : 'limit_exceeded' });
    log.error(concurrent ? 'Salesforce concurrent request limit reached; pausing the org briefly' : 'Salesforce daily API limit exceeded; pausing the org', { tenant, pauseMs: ms, reason: message });
    return this.exhausted(tenant, ms, reason);
  }
}
