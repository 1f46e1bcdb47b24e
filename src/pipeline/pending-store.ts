import type { Redis } from 'ioredis';

/**
 * Records waiting to be scored, per tenant and object type: a sorted set of ids by due time.
 * Webhooks add them a second ahead (coalescing), the engine adds them at their `nextChangeAt`;
 * an earlier due time always wins (ZADD LT). A flush job claims due ids atomically; the claim is
 * kept under the job's id until it finishes, so a retried or stalled job works on the same ids.
 */
const CLAIM = `
local claimed = redis.call('SMEMBERS', KEYS[2])
if #claimed > 0 then return claimed end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids == 0 then return ids end
redis.call('ZREM', KEYS[1], unpack(ids))
redis.call('SADD', KEYS[2], unpack(ids))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
return ids
`;

export interface PendingKey {
  tenant: string;
  objectType: string;
}

export class PendingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('leadScorerClaim', { numberOfKeys: 2, lua: CLAIM });
  }

  private zkey(tenant: string, objectType: string) {
    return `${this.prefix}pending:${tenant}:${objectType}`;
  }
  private indexKey() {
    return `${this.prefix}pending-index`;
  }
  private claimKey(jobId: string) {
    return `${this.prefix}claim:${jobId}`;
  }

  /** Adds ids due at `dueAt`; an id already due earlier keeps its earlier time. */
  async add(tenant: string, objectType: string, ids: string[], dueAt: number): Promise<void> {
    if (ids.length === 0) return;
    const args: (string | number)[] = [];
    for (const id of ids) args.push(dueAt, id);
    await this.redis
      .multi()
      .zadd(this.zkey(tenant, objectType), 'LT', ...args)
      .sadd(this.indexKey(), `${tenant}\n${objectType}`)
      .exec()
      .then(throwOnMultiError);
  }

  /** Adds many (id, dueAt) pairs in one round trip. */
  async addMany(tenant: string, objectType: string, due: { id: string; at: number }[]): Promise<void> {
    if (due.length === 0) return;
    const args: (string | number)[] = [];
    for (const d of due) args.push(d.at, d.id);
    await this.redis
      .multi()
      .zadd(this.zkey(tenant, objectType), 'LT', ...args)
      .sadd(this.indexKey(), `${tenant}\n${objectType}`)
      .exec()
      .then(throwOnMultiError);
  }

  async remove(tenant: string, objectType: string, ids: string[]): Promise<void> {
    if (ids.length) await this.redis.zrem(this.zkey(tenant, objectType), ...ids);
  }

  /**
   * Claims up to `max` ids due by `now` for a job; a job that already holds a claim gets the same
   * ids back (a retry). The claim expires after `leaseMs` as a last resort.
   */
  async claim(jobId: string, tenant: string, objectType: string, max: number, now: number, leaseMs = 3_600_000): Promise<string[]> {
    const redis = this.redis as unknown as { leadScorerClaim(...a: unknown[]): Promise<string[]> };
    return redis.leadScorerClaim(this.zkey(tenant, objectType), this.claimKey(jobId), now, max, leaseMs);
  }

  /** Ends a job's claim (after its records were written or handed back). */
  async release(jobId: string): Promise<void> {
    await this.redis.del(this.claimKey(jobId));
  }

  /** Hands a job's claimed ids back to the queue, due at `dueAt` (after the job failed for good). */
  async handBack(jobId: string, tenant: string, objectType: string, dueAt: number): Promise<string[]> {
    const ids = await this.redis.smembers(this.claimKey(jobId));
    if (ids.length) await this.add(tenant, objectType, ids, dueAt);
    await this.release(jobId);
    return ids;
  }

  /** The earliest due time of a tenant's object type, or undefined when nothing waits. */
  async nextDue(tenant: string, objectType: string): Promise<number | undefined> {
    const first = await this.redis.zrange(this.zkey(tenant, objectType), 0, 0, 'WITHSCORES');
    return first.length === 2 ? Number(first[1]) : undefined;
  }

  async size(tenant: string, objectType: string): Promise<number> {
    return this.redis.zcard(this.zkey(tenant, objectType));
  }

  /** Every (tenant, object type) that has had pending work. */
  async keys(): Promise<PendingKey[]> {
    const members = await this.redis.smembers(this.indexKey());
    return members.map((m) => {
      const [tenant, objectType] = m.split('\n');
      return { tenant: tenant!, objectType: objectType! };
    });
  }
}

function throwOnMultiError(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('Redis transaction was aborted');
  for (const [err] of results) if (err) throw err;
}
