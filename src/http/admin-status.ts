import type { PipelineDeps } from '../pipeline/pipeline-deps';

export interface AdminStatus {
  installations: { tenant: string; crm: string; status: string; reason?: string; installedAt: string }[];
  queues: Record<string, Record<string, number>>;
  pending: { tenant: string; objectType: string; waiting: number }[];
  scores: { tenant: string; objectType: string; count: number; hot: number; warm: number; cold: number; histogram: number[] }[];
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
  return {
    installations: installations.map((i) => ({ tenant: i.tenant, crm: i.crm, status: i.status, ...(i.reason ? { reason: i.reason } : {}), installedAt: new Date(i.installedAt).toISOString() })),
    queues: { flush, poll },
    pending,
    scores,
  };
}
