import type { Queue } from 'bullmq';
import type { CrmConnector } from '../../connectors/types';
import type { ServiceContext } from '../pipeline/context';
import type { AssignmentStore } from './assignment-store';
import type { OwnerDirectory } from './owner-directory';
import type { SlaStore } from './sla-store';

/** What owner routing and the SLA watch share. Built once per process by `createRouting`. */
export interface RoutingDeps {
  ctx: ServiceContext;
  assignments: AssignmentStore;
  slas: SlaStore;
  owners: OwnerDirectory;
  queues: { assign: Queue; sla: Queue };
  connectorFor(tenant: string): CrmConnector;
  /** Aborted on SIGTERM. */
  shutdown: AbortSignal;
}

/** A lead routing works on. */
export interface LeadRef {
  tenant: string;
  objectType: string;
  id: string;
}
