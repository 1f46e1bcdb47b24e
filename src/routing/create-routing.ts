import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CrmConnector } from '../../connectors/types';
import { assignProcessor, onAssignFailed } from '../../jobs/assign-queue';
import { QUEUE_NAMES, type Queues } from '../../jobs/queues';
import { onSlaFailed, slaProcessor } from '../../jobs/sla-queue';
import { childLogger } from '../logging/logger';
import type { ServiceContext } from '../pipeline/context';
import { AssignmentStore } from './assignment-store';
import { OwnerDirectory } from './owner-directory';
import type { RoutingDeps } from './routing-deps';
import { SlaStore } from './sla-store';

const log = childLogger('routing');

/** Builds owner routing's stores once per process (the composition root calls this). */
export function createRouting(opts: { ctx: ServiceContext; queues: Pick<Queues, 'assign' | 'sla'>; connectorFor: (tenant: string) => CrmConnector; shutdown: AbortSignal }): RoutingDeps {
  const { ctx } = opts;
  let lastQueueError = 0;
  const onQueueError = (err: Error) => {
    if (Date.now() - lastQueueError < 10_000) return;
    lastQueueError = Date.now();
    log.warn('Redis queue connection error', { reason: err.message });
  };
  opts.queues.assign.on('error', onQueueError);
  opts.queues.sla.on('error', onQueueError);
  return {
    ctx,
    assignments: new AssignmentStore(ctx.redis, ctx.prefix),
    slas: new SlaStore(ctx.redis, ctx.prefix),
    owners: new OwnerDirectory(ctx.clock),
    queues: { assign: opts.queues.assign, sla: opts.queues.sla },
    connectorFor: opts.connectorFor,
    shutdown: opts.shutdown,
  };
}

/** The workers of the `assign` and `sla` queues, for the worker role. `connection` makes one Redis connection per worker. */
export function routingWorkers(deps: RoutingDeps, connection: () => Redis, prefix: string, concurrency = 4): Worker[] {
  const assign = new Worker(QUEUE_NAMES.assign, assignProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency });
  assign.on('failed', (job, err) => onAssignFailed(job, err));
  assign.on('error', (err) => log.error('assign worker error', { reason: err.message }));
  const sla = new Worker(QUEUE_NAMES.sla, slaProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency });
  sla.on('failed', (job, err) => onSlaFailed(job, err));
  sla.on('error', (err) => log.error('sla worker error', { reason: err.message }));
  return [assign, sla];
}
