import type { PipelineDeps } from '../pipeline/pipeline-deps';
import { AssignmentStore } from '../routing/assignment-store';
import { routingMetrics } from '../routing/routing-metrics';
import { SlaStore } from '../routing/sla-store';

export interface AdminStatus {
  installations: { tenant: string; crm: string; status: string; reason?: string; installedAt: string }[];
  queues: Record<string, Record<string, number>>;
  pending: { tenant: string; objectType: string; waiting: number }[];
  scores: { tenant: string; objectType: string; count: number; hot: number; warm: number; cold: number; histogram: number[] }[];
  /** Per tenant: SLAs watched now (open: task not yet due; breached: due, awaiting recycle). */
  sla: { tenant: string; open: number; breached: number }[];
  /** Per CRM: SLAs met and breached, counted by this process since it started (the Prometheus counters). */
  slaTotals: { crm: string; met: number; breached: number }[];
}

/** What the admin page shows: installations, queue health and the score distribution per tenant. */
export async function adminStatus(deps: PipelineDeps): Promise<AdminStatus> {
  const { ctx } = deps;
  const installations = await ctx.installations.list();
  const [flush, poll] = await Promise.all([
    deps.queues.flush.getJobCounts('waiting', 'active', 'delayed', 'failed'),
    deps.queues.poll.getJobCounts('waiting', 'active', 'delayed', 'failed'),
  ]);
  const keys = await deps.pending.keys();
  const pending = await Promise.all(keys.map(async (k) => ({ ...k, waiting: await deps.pending.size(k.tenant, k.objectType) })));
  const scores: AdminStatus['scores'] = [];
  for (const inst of installations) {
    for (const objectType of deps.connectorFor(inst.tenant).objectTypes()) {
      const all = await deps.scores.all(inst.tenant, objectType);
      if (!all.size) continue;
      const row = { tenant: inst.tenant, objectType, count: all.size, hot: 0, warm: 0, cold: 0, histogram: new Array<number>(10).fill(0) };
      for (const s of all.values()) {
        row[s.tier]++;
        row.histogram[Math.min(9, Math.floor(s.score / 10))]!++;
      }
      scores.push(row);
    }
  }
  const slas = await new SlaStore(ctx.redis, ctx.prefix).all();
  const assignments = new AssignmentStore(ctx.redis, ctx.prefix);
  const sla = new Map<string, { tenant: string; open: number; breached: number }>();
  for (const inst of installations) sla.set(inst.tenant, { tenant: inst.tenant, open: 0, breached: 0 });
  const states = await Promise.all(slas.map((r) => assignments.get(r.tenant, r.objectType, r.id)));
  slas.forEach((r, i) => {
    const row = sla.get(r.tenant) ?? { tenant: r.tenant, open: 0, breached: 0 };
    sla.set(r.tenant, row);
    if (states[i]?.status === 'breached' || states[i]?.slaBreached) row.breached++;
    else row.open++;
  });
  const totals = new Map<string, { crm: string; met: number; breached: number }>();
  const add = (crm: string, key: 'met' | 'breached', n: number) => {
    const row = totals.get(crm) ?? { crm, met: 0, breached: 0 };
    totals.set(crm, row);
    row[key] += n;
  };
  for (const v of (await routingMetrics.slaMet.get()).values) add(String(v.labels.crm ?? ''), 'met', v.value);
  for (const v of (await routingMetrics.slaBreached.get()).values) add(String(v.labels.crm ?? ''), 'breached', v.value);
  return {
    sla: [...sla.values()],
    slaTotals: [...totals.values()],
    installations: installations.map((i) => ({ tenant: i.tenant, crm: i.crm, status: i.status, ...(i.reason ? { reason: i.reason } : {}), installedAt: new Date(i.installedAt).toISOString() })),
    queues: { flush, poll },
    pending,
    scores,
  };
}
