import type { Redis } from 'ioredis';

/**
 * When each watched SLA must next be looked at: one sorted set `sla:due` of `<tenant>\n<type>\n<id>`
 * by time (the task's due time, then the recycle time). The scheduler claims what is due with a
 * lease: the member's time moves `leaseMs` ahead, so a check that is lost (a crash, a queue outage)
 * comes round again, while two sweeps never queue the same check twice within the lease.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[3]), m) end
return due
`;

export interface SlaRef {
  tenant: string;
  objectType: string;
  id: string;
}

export class SlaStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('routingClaimDueSla', { numberOfKeys: 1, lua: CLAIM_DUE });
  }

  private key() {
    return `${this.prefix}sla:due`;
  }

  private static member(ref: SlaRef): string {
    return `${ref.tenant}\n${ref.objectType}\n${ref.id}`;
  }

  /** Look at this lead's SLA at `at` (replaces an earlier time). */
  async schedule(ref: SlaRef, at: number): Promise<void> {
    await this.redis.zadd(this.key(), at, SlaStore.member(ref));
  }

  /** Stop watching this lead. */
  async remove(ref: SlaRef): Promise<void> {
    await this.redis.zrem(this.key(), SlaStore.member(ref));
  }

  /** When this lead's SLA is next looked at, or undefined when it is not watched. */
  async nextCheck(ref: SlaRef): Promise<number | undefined> {
    const s = await this.redis.zscore(this.key(), SlaStore.member(ref));
    return s === null ? undefined : Number(s);
  }

  /** Up to `max` SLAs due by `now`, each leased for `leaseMs`. */
  async claimDue(now: number, max: number, leaseMs: number): Promise<SlaRef[]> {
    const redis = this.redis as unknown as { routingClaimDueSla(key: string, now: number, max: number, lease: number): Promise<string[]> };
    const members = await redis.routingClaimDueSla(this.key(), now, max, leaseMs);
    return members.map((m) => {
      const [tenant, objectType, id] = m.split('\n');
      return { tenant: tenant!, objectType: objectType!, id: id! };
    });
  }

  /** Every watched SLA with its next check time (for the admin page). */
  async all(): Promise<(SlaRef & { at: number })[]> {
    const flat = await this.redis.zrange(this.key(), 0, -1, 'WITHSCORES');
    const out: (SlaRef & { at: number })[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const [tenant, objectType, id] = flat[i]!.split('\n');
      out.push({ tenant: tenant!, objectType: objectType!, id: id!, at: Number(flat[i + 1]) });
    }
    return out;
  }

  /** How many SLAs are watched. */
  async size(): Promise<number> {
    return this.redis.zcard(this.key());
  }
}
