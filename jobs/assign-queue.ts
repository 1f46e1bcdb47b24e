import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { childLogger } from '../src/logging/logger';
import { assignLead, type AssignResult } from '../src/routing/assign-lead';
import type { RoutingDeps } from '../src/routing/routing-deps';
import { jobKey } from './queues';

/**
 * The `assign` queue: route one lead that became eligible (or whose SLA tightens) to an owner and
 * give that owner its SLA task (src/routing/assign-lead.ts). Job data holds ids only. Jobs for the
 * same lead and tier within a minute are one job; the lead's lock serializes the rest.
 */
export const assignJobData = z.object({ tenant: z.string().min(1), objectType: z.string().min(1), id: z.string().min(1) });
export type AssignJobData = z.infer<typeof assignJobData>;

const log = childLogger('assign');

export async function enqueueAssign(queue: Queue, data: AssignJobData, tier: string, now: number): Promise<void> {
  await queue.add('assign', data, { jobId: jobKey('assign', data.tenant, data.objectType, data.id, tier, Math.floor(now / 60_000)) });
}

export function assignProcessor(deps: RoutingDeps) {
  return async (job: Job): Promise<AssignResult> => {
    const ref = assignJobData.parse(job.data);
    const inst = await deps.ctx.installations.get(ref.tenant);
    if (!inst || inst.status !== 'active') return { outcome: 'unchanged' };
    const result = await assignLead(deps, ref);
    log.debug('assign job done', { ...ref, jobId: job.id, outcome: result.outcome, owner: result.owner });
    return result;
  };
}

export function onAssignFailed(job: Job | undefined, err: Error): void {
  const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true;
  const data = assignJobData.safeParse(job?.data);
  const ids = data.success ? data.data : {};
  if (final) log.error('lead routing failed after every attempt; it is tried again at its next scoring', { ...ids, jobId: job?.id, reason: err.message });
  else log.warn('lead routing failed, will retry', { ...ids, jobId: job?.id, attempt: job?.attemptsMade, reason: err.message });
}
