import type { Redis } from 'ioredis';
import type { PollCursor } from '../../connectors/types';

/** Poll cursors, one per tenant and object type, saved after every page. Never carried in job data. */
export class CursorStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tenant: string) {
    return `${this.prefix}cursor:${tenant}`;
  }

  async get(tenant: string, objectType: string): Promise<PollCursor | null> {
    const raw = await this.redis.hget(this.key(tenant), objectType);
    return raw ? (JSON.parse(raw) as PollCursor) : null;
  }

  async save(tenant: string, objectType: string, cursor: PollCursor): Promise<void> {
    await this.redis.hset(this.key(tenant), objectType, JSON.stringify(cursor));
  }

  /** Forgets the cursor so that the next poll starts a full pass. */
  async reset(tenant: string, objectType?: string): Promise<void> {
    if (objectType) await this.redis.hdel(this.key(tenant), objectType);
    else await this.redis.del(this.key(tenant));
  }
}
