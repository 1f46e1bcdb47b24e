import type { Redis } from 'ioredis';
import type { Tier } from '../scoring/types';

export interface StoredScore {
  score: number;
  tier: Tier;
  /** When it was computed (epoch ms). */
  at: number;
}

/** The last score of every record, for the admin page, the demo summary and routing. No personal data. */
export class ScoreStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tenant: string, objectType: string) {
    return `${this.prefix}scores:${tenant}:${objectType}`;
  }

  async saveMany(tenant: string, objectType: string, scores: { id: string; value: StoredScore }[]): Promise<void> {
    if (!scores.length) return;
    const flat: string[] = [];
    for (const s of scores) flat.push(s.id, `${s.value.score}|${s.value.tier}|${s.value.at}`);
    await this.redis.hset(this.key(tenant, objectType), ...flat);
  }

  async get(tenant: string, objectType: string, id: string): Promise<StoredScore | undefined> {
    const raw = await this.redis.hget(this.key(tenant, objectType), id);
    return raw ? parse(raw) : undefined;
  }

  async all(tenant: string, objectType: string): Promise<Map<string, StoredScore>> {
    const h = await this.redis.hgetall(this.key(tenant, objectType));
    return new Map(Object.entries(h).map(([id, raw]) => [id, parse(raw)]));
  }

  async remove(tenant: string, objectType: string, ids: string[]): Promise<void> {
    if (ids.length) await this.redis.hdel(this.key(tenant, objectType), ...ids);
  }
}

function parse(raw: string): StoredScore {
  const [score, tier, at] = raw.split('|');
  return { score: Number(score), tier: tier as Tier, at: Number(at) };
}
