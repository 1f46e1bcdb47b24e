import type { CrmConnector } from '../../connectors/types';
import type { Queues } from '../../jobs/queues';
import type { RoutingDeps } from '../routing/routing-deps';
import type { ScoreStore } from '../store/score-store';
import type { ServiceContext } from './context';
import type { CursorStore } from './cursor-store';
import type { PendingStore } from './pending-store';

/** What the queue processors share. Built once per process by src/runtime/build-service.ts. */
export interface PipelineDeps {
  ctx: ServiceContext;
  pending: PendingStore;
  scores: ScoreStore;
  cursors: CursorStore;
  queues: Queues;
  /** The connector of a tenant (`hubspot:123` → the HubSpot connector). */
  connectorFor(tenant: string): CrmConnector;
  /** Forgets records everywhere they are kept (pending work, scores, …). */
  forget(tenant: string, objectType: string, ids: string[]): Promise<void>;
  /** Aborted on SIGTERM: long jobs stop at the next page and hand their work back. */
  shutdown: AbortSignal;
  /** Poll interval per tenant (from the mapping config; default 5 minutes). */
  pollIntervalMs(tenant: string): number;
  /** Owner routing and the SLA watch (src/routing); absent: scoring only. */
  routing?: RoutingDeps;
}
