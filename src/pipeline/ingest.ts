import type { Redis } from 'ioredis';
import { enqueueFlush } from '../../jobs/flush-queue';
import { schedulePolling } from '../../jobs/poll-queue';
import type { Queues } from '../../jobs/queues';
import type { Ingest } from './context';
import type { PendingStore } from './pending-store';

/** How long a webhook-reported change waits for more changes to the same or other records. */
export const COALESCE_MS = 1_000;
const EVENT_TTL_S = 48 * 3600;

/** The Ingest of the running service: Redis pending sets plus BullMQ flush and poll jobs. */
export class QueueIngest implements Ingest {
  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      pending: PendingStore;
      queues: Queues;
      clock: () => number;
      forget: (tenant: string, objectType: string, ids: string[]) => Promise<void>;
      pollIntervalMs: (tenant: string) => number;
      coalesceMs?: number;
    },
  ) {}

  async enqueue(tenant: string, objectType: string, ids: string[], options: { delayMs?: number } = {}): Promise<void> {
    if (ids.length === 0) return;
    const now = this.deps.clock();
    const due = now + (options.delayMs ?? this.deps.coalesceMs ?? COALESCE_MS);
    await this.deps.pending.add(tenant, objectType, [...new Set(ids)], due);
    await enqueueFlush(this.deps.queues.flush, { tenant, objectType }, due, now);
  }

  forget(tenant: string, objectType: string, ids: string[]): Promise<void> {
    return this.deps.forget(tenant, objectType, ids);
  }

  async startSync(tenant: string, objectTypes: string[]): Promise<void> {
    for (const objectType of objectTypes) {
      await schedulePolling(this.deps.queues.poll, { tenant, objectType }, this.deps.pollIntervalMs(tenant));
    }
  }

  private eventKey(tenant: string, id: string) {
    return `${this.deps.prefix}event:${tenant}:${id}`;
  }

  async unseenEvents(tenant: string, eventIds: string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const seen = await this.deps.redis.mget(...eventIds.map((id) => this.eventKey(tenant, id)));
    return eventIds.filter((_, i) => seen[i] === null);
  }

  async markEventsSeen(tenant: string, eventIds: string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const multi = this.deps.redis.multi();
    for (const id of eventIds) multi.set(this.eventKey(tenant, id), '1', 'EX', EVENT_TTL_S, 'NX');
    const results = (await multi.exec()) ?? [];
    return eventIds.filter((_, i) => results[i]?.[1] === 'OK');
  }
}
