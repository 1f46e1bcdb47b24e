import { enqueueFlush } from '../../jobs/flush-queue';
import { sweepSla } from '../../jobs/sla-queue';
import { metrics } from '../metrics';
import type { PipelineDeps } from './pipeline-deps';

/**
 * Finds records whose time has come (a decay step, a window closing, a retry) and queues their
 * flush, and SLAs that fall due (owner routing) and queues their check. Run every second by the
 * scheduler role; it also recovers any wake-up a flush job missed.
 */
export async function sweepDue(deps: PipelineDeps): Promise<number> {
  const now = deps.ctx.clock();
  const active = new Set((await deps.ctx.installations.list()).filter((i) => i.status === 'active').map((i) => i.tenant));
  let queued = 0;
  for (const { tenant, objectType } of await deps.pending.keys()) {
    if (!active.has(tenant)) continue;
    const due = await deps.pending.nextDue(tenant, objectType);
    if (due !== undefined && due <= now) {
      await enqueueFlush(deps.queues.flush, { tenant, objectType }, now, now);
      queued++;
    }
  }
  for (const tenant of active) {
    let waiting = 0;
    for (const { tenant: t, objectType } of await deps.pending.keys()) if (t === tenant) waiting += await deps.pending.size(t, objectType);
    metrics.pending.set({ tenant }, waiting);
  }
  if (deps.routing) queued += await sweepSla(deps.routing);
  return queued;
}
