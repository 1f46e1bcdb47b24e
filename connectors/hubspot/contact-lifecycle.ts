import type { Redis } from 'ioredis';
import type { ContactAction } from './parse-webhook-events';

export interface LifecycleDecision {
  /** Contacts to score. */
  enqueue: string[];
  /** Contacts to forget (deleted, merged away). */
  forget: string[];
  /** Actions dropped as older than what is already known (a change older than the deletion). */
  stale: number;
}

/**
 * Sorts out webhook events that arrive out of order, per portal: remembers for a while (default
 * 24 h, HubSpot's retry horizon) when each contact was last deleted and last restored, by HubSpot's
 * `occurredAt`. A change older than a deletion does not bring the contact back; a deletion older
 * than a restore does not forget a live contact; a restore older than a later deletion is dropped.
 */
export class ContactLifecycle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly memoryMs: number,
    private readonly clock: () => number,
  ) {}

  private keys(portalId: string) {
    return { deleted: `${this.prefix}hubspot:deleted:${portalId}`, restored: `${this.prefix}hubspot:restored:${portalId}` };
  }

  async decide(portalId: string, actions: ContactAction[]): Promise<LifecycleDecision> {
    const ids = [...new Set(actions.map((a) => a.id))];
    if (ids.length === 0) return { enqueue: [], forget: [], stale: 0 };
    const k = this.keys(portalId);
    const [deleted, restored] = await Promise.all([this.redis.zmscore(k.deleted, ...ids), this.redis.zmscore(k.restored, ...ids)]);
    const state = new Map<string, { d?: number; r?: number }>();
    ids.forEach((id, i) => {
      const d = deleted[i];
      const r = restored[i];
      state.set(id, { ...(d != null ? { d: Number(d) } : {}), ...(r != null ? { r: Number(r) } : {}) });
    });

    const final = new Map<string, 'enqueue' | 'forget'>();
    const newDeleted = new Map<string, number>();
    const newRestored = new Map<string, number>();
    let stale = 0;
    for (const a of [...actions].sort((x, y) => x.at - y.at)) {
      const s = state.get(a.id)!;
      if (a.kind === 'touch') {
        const deletedSince = s.d !== undefined && a.at <= s.d && !(s.r !== undefined && s.r > s.d);
        if (deletedSince) stale++;
        else final.set(a.id, 'enqueue');
      } else if (a.kind === 'delete') {
        if (s.r !== undefined && s.r > a.at) stale++;
        else {
          s.d = Math.max(s.d ?? 0, a.at);
          newDeleted.set(a.id, s.d);
          final.set(a.id, 'forget');
        }
      } else if (s.d !== undefined && s.d > a.at) {
        stale++;
      } else {
        s.r = Math.max(s.r ?? 0, a.at);
        newRestored.set(a.id, s.r);
        final.set(a.id, 'enqueue');
      }
    }

    if (newDeleted.size || newRestored.size) {
      const oldest = this.clock() - this.memoryMs;
      const m = this.redis.multi();
      if (newDeleted.size) m.zadd(k.deleted, 'GT', ...[...newDeleted].flatMap(([id, at]) => [at, id]));
      if (newRestored.size) m.zadd(k.restored, 'GT', ...[...newRestored].flatMap(([id, at]) => [at, id]));
      for (const key of [k.deleted, k.restored]) m.zremrangebyscore(key, '-inf', oldest).pexpire(key, this.memoryMs);
      const results = await m.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    }
    const enqueue: string[] = [];
    const forget: string[] = [];
    for (const [id, what] of final) (what === 'enqueue' ? enqueue : forget).push(id);
    return { enqueue, forget, stale };
  }
}
