import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { z } from 'zod';
import { CrmError } from '../src/errors/crm-error';
import { childLogger } from '../src/logging/logger';
import type { PipelineDeps } from '../src/pipeline/pipeline-deps';
import { scoreAndWrite } from '../src/pipeline/score-records';
import { jobKey } from './queues';

/**
 * The `flush` queue: score the records of one tenant and object type that are due, one batch
 * (≤ the CRM's batch size) per job: batched read → score → batched write of what changed.
 * A job handles one batch and queues the next at the back, so tenants take turns.
 */
export const flushJobData = z.object({ tenant: z.string().min(1), objectType: z.string().min(1) });
export type FlushJobData = z.infer<typeof flushJobData>;

const log = childLogger('flush');

/** Records due within the same second share one job: this is where webhooks coalesce. */
export async function enqueueFlush(queue: Queue, data: FlushJobData, dueAt: number, now: number): Promise<void> {
  const delay = Math.max(0, dueAt - now);
  await queue.add('flush', data, { jobId: jobKey('flush', data.tenant, data.objectType, Math.ceil(dueAt / 1000)), delay });
}

export function flushProcessor(deps: PipelineDeps) {
  return async (job: Job): Promise<{ claimed: number; written?: number; skipped?: string }> => {
    const data = flushJobData.parse(job.data);
    const { tenant, objectType } = data;
    const { ctx, pending } = deps;
    const inst = await ctx.installations.get(tenant);
    if (!inst || inst.status !== 'active') {
      // Work stays pending: it resumes when the installation is active again.
      return { claimed: 0, skipped: inst ? inst.status : 'not installed' };
    }
    const connector = deps.connectorFor(tenant);
    const ids = await pending.claim(job.id!, tenant, objectType, connector.batchSize, ctx.clock());
    if (ids.length === 0) return { claimed: 0 };
    let written = 0;
    try {
      const { records, missing } = await connector.fetchRecords(tenant, objectType, ids, deps.shutdown);
      if (missing.length) await deps.forget(tenant, objectType, missing);
      written = (await scoreAndWrite(deps, connector, tenant, records, deps.shutdown)).written;
      await pending.release(job.id!);
    } catch (err) {
      if (err instanceof CrmError && (err.code === 'RATE_LIMITED' || err.code === 'BUDGET_EXHAUSTED')) {
        // The CRM said how long to wait: the records go back to the queue for then; nothing failed.
        const waitMs = err.details.retryAfterMs ?? 60_000;
        const ids = await pending.handBack(job.id!, tenant, objectType, ctx.clock() + waitMs);
        log.warn('CRM asked us to wait; records queued again', { tenant, objectType, jobId: job.id, code: err.code, waitMs, records: ids.length });
        return { claimed: ids.length, skipped: err.code };
      }
      if (err instanceof CrmError && !err.retryable) {
        if (err.code === 'AUTH_REVOKED') await ctx.installations.setStatus(tenant, 'needs_reauth', err.message);
        const handedBack = await pending.handBack(job.id!, tenant, objectType, ctx.clock() + 5 * 60_000);
        log.error('scoring batch failed and will not be retried', { tenant, objectType, jobId: job.id, code: err.code, reason: err.message, records: handedBack.length });
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      throw err;
    }
    const due = await pending.nextDue(tenant, objectType);
    if (due !== undefined && due <= ctx.clock() + 1_000) {
      const at = Math.max(due, ctx.clock());
      await deps.queues.flush.add('flush', data, { jobId: jobKey('flush', tenant, objectType, 'next', at), delay: Math.max(0, at - ctx.clock()) });
    }
    return { claimed: ids.length, written };
  };
}

/** After the last attempt failed, the claimed records go back to the queue (in 5 minutes): nothing is lost. */
export async function onFlushFailed(deps: PipelineDeps, job: Job | undefined, err: Error): Promise<void> {
  if (!job) return;
  const parsed = flushJobData.safeParse(job.data);
  const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
  if (!parsed.success || !final) {
    log.warn('scoring batch failed, will retry', { jobId: job.id, attempt: job.attemptsMade, reason: err.message });
    return;
  }
  const ids = await deps.pending.handBack(job.id!, parsed.data.tenant, parsed.data.objectType, deps.ctx.clock() + 5 * 60_000);
  if (ids.length) log.error('scoring batch failed after every attempt; records queued again in 5 minutes', { ...parsed.data, jobId: job.id, records: ids.length, reason: err.message });
}
