import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { childLogger } from '../src/logging/logger';
import { checkSla, type SlaCheckResult } from '../src/routing/check-sla';
import type { RoutingDeps } from '../src/routing/routing-deps';
import { jobKey } from './queues';

/**
 * The `sla` queue: look at one lead's SLA when it falls due (src/routing/check-sla.ts): met,
 * breached, recycled, or sent to the fallback. The scheduler's sweep queues these from the SLA
 * store's sorted set (`sweepSla`); job data holds ids only.
 */
export const slaJobData = z.object({ tenant: z.string().min(1), objectType: z.string().min(1), id: z.string().min(1) });
export type SlaJobData = z.infer<typeof slaJobData>;

const log = childLogger('sla');

/** A due SLA claimed by the sweep is claimed again after this long unless its check moved it. */
export const SLA_LEASE_MS = 60_000;
const SWEEP_BATCH = 500;

/** One job per lead and lease period: a sweep that runs twice within the lease queues it once. */
export async function enqueueSlaCheck(queue: Queue, data: SlaJobData, now: number): Promise<void> {
  await queue.add('sla', data, { jobId: jobKey('sla', data.tenant, data.objectType, data.id, Math.floor(now / SLA_LEASE_MS)) });
}

/** Queues a check for every SLA that is due (run by the scheduler with the due sweep). Returns how many. */
export async function sweepSla(deps: Pick<RoutingDeps, 'ctx' | 'slas' | 'queues'>): Promise<number> {
  if (!deps.ctx.config().routing.enabled) return 0;
  const now = deps.ctx.clock();
  let queued = 0;
  for (;;) {
    const due = await deps.slas.claimDue(now, SWEEP_BATCH, SLA_LEASE_MS);
    for (const ref of due) await enqueueSlaCheck(deps.queues.sla, ref, now);
    queued += due.length;
    if (due.length < SWEEP_BATCH) return queued;
  }
}

export function slaProcessor(deps: RoutingDeps) {
  return async (job: Job): Promise<SlaCheckResult> => {
    const ref = slaJobData.parse(job.data);
    const inst = await deps.ctx.installations.get(ref.tenant);
    if (!inst || inst.status !== 'active') {
      // looked at again once the installation is active
      await deps.slas.schedule(ref, deps.ctx.clock() + 10 * 60_000);
      return { outcome: 'paused' };
    }
    const result = await checkSla(deps, ref);
    log.debug('SLA check done', { ...ref, jobId: job.id, outcome: result.outcome });
    return result;
  };
}

export function onSlaFailed(job: Job | undefined, err: Error): void {
  const data = slaJobData.safeParse(job?.data);
  // the SLA store still holds the lead: its lease runs out and the sweep queues it again
  log.warn('SLA check failed; it comes round again', { ...(data.success ? data.data : {}), jobId: job?.id, attempt: job?.attemptsMade, reason: err.message });
}
