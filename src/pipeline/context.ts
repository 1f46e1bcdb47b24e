import type { Redis } from 'ioredis';
import type { Env } from '../env';
import type { InstallationStore } from '../store/installation-store';
import type { SlidingWindowLimiter } from '../rate-limit/sliding-window-limiter';
import type { LoadedConfig } from '../config/load-config';
import type { CompiledModel } from '../scoring/compile-model';

/** The admin config in force (scoring, mappings by CRM, routing), with the scoring model compiled. Replaced whole on a good reload. */
export interface ActiveConfig extends LoadedConfig {
  model: CompiledModel;
}

/** Where connectors hand over work: everything ends in the same de-duplicated, coalesced scoring jobs. */
export interface Ingest {
  /**
   * Queues records for scoring after a short coalescing delay (default 1 s): many events for one
   * record give one scoring; many records give batched reads and writes. Resolves once the work is
   * durably in Redis (a webhook may answer 200 then); rejects when Redis cannot take it.
   */
  enqueue(tenant: string, objectType: string, ids: string[], options?: { delayMs?: number }): Promise<void>;
  /** Forgets records entirely: deleted, merged away, or erased for privacy. */
  forget(tenant: string, objectType: string, ids: string[]): Promise<void>;
  /** Starts polling for a tenant (the first full pass now, then incremental at the configured interval). */
  startSync(tenant: string, objectTypes: string[]): Promise<void>;
  /** Webhook de-duplication, step 1: which of these event ids were never processed (read-only). */
  unseenEvents(tenant: string, eventIds: string[]): Promise<string[]>;
  /**
   * Webhook de-duplication, step 2: marks event ids as processed (kept 48 h) and returns those
   * marked for the first time. Call after `enqueue` succeeded, so a failure never marks an event done.
   */
  markEventsSeen(tenant: string, eventIds: string[]): Promise<string[]>;
}

/** What every part of the service is given instead of reaching for globals. */
export interface ServiceContext {
  env: Env;
  /** Connection for app state; BullMQ gets its own connections. */
  redis: Redis;
  /** Prefix of every Redis key and BullMQ queue of this service (tests use a unique one). */
  prefix: string;
  installations: InstallationStore;
  limiter: SlidingWindowLimiter;
  config: () => ActiveConfig;
  ingest: Ingest;
  clock: () => number;
}
