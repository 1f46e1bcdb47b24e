import type { Redis } from 'ioredis';
import type { Env } from '../env';
import type { InstallationStore } from '../store/installation-store';
import type { SlidingWindowLimiter } from '../rate-limit/sliding-window-limiter';
import type { ScoringConfig } from '../config/scoring-schema';
import type { CompiledModel } from '../scoring/compile-model';

/** The admin config in force, with the scoring model compiled. Replaced whole on a good reload. */
export interface ActiveConfig {
  scoring: ScoringConfig;
  model: CompiledModel;
  /** Mapping files by CRM (`hubspot`, `salesforce`), as validated by src/config/mapping-schema.ts. */
  mappings: Record<string, unknown>;
  routing: unknown;
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
  /**
   * Webhook de-duplication: marks event ids as processed and returns those seen for the first time.
   * Call after `enqueue` succeeded, so that a failure never marks an event as done.
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
