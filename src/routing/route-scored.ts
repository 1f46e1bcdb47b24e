import type { CrmRecord } from '../../connectors/types';
import { enqueueAssign } from '../../jobs/assign-queue';
import type { RoutingConfig } from '../config/routing-schema';
import { toTime } from '../scoring/value-test';
import type { Tier } from '../scoring/types';
import type { LeadRouting } from './assignment-store';
import type { RoutingDeps } from './routing-deps';
import { isEligible, slaRuleFor, type ScoreFacts } from './sla-rules';

/** A record as just scored. */
export interface ScoredRecord {
  record: CrmRecord;
  score: number;
  tier: Tier;
}

/** What a fresh score asks of routing. */
export type RoutingAction = 'assign' | 'check' | null;

/** Canonical attributes that say when the lead was last worked (both CRMs' mappings fill them). */
const ACTIVITY_ATTRIBUTES = ['lastSalesActivityAt', 'lastContactedAt'] as const;

/**
 * Pure: what a new score means for a lead's routing. `assign` when it becomes eligible and was never
 * routed, when a claim was left unfinished, or when a tighter SLA now applies to its open task;
 * `check` when the record shows a sales activity since the assignment (the SLA may be met: look now
 * rather than at the due time, which also frees the owner's capacity sooner); else nothing, so
 * rescoring a routed lead costs one Redis read and never duplicates its task.
 */
export function routingAction(config: RoutingConfig, facts: ScoreFacts, state: LeadRouting | undefined, record: CrmRecord): RoutingAction {
  if (!state) return isEligible(config.eligible, facts) ? 'assign' : null;
  if (state.status === 'claimed') return 'assign';
  if (state.status === 'done') return null;
  if (state.status === 'open') {
    const sla = slaRuleFor(config, facts);
    if (sla && state.taskId && state.slaIndex >= 0 && sla.dueMs < state.slaMs) return 'assign';
  }
  const worked = ACTIVITY_ATTRIBUTES.some((a) => {
    const t = toTime(record.lead.attributes[a]);
    return t !== undefined && t > state.assignedAt;
  });
  return worked ? 'check' : null;
}

/**
 * Called by the scoring pipeline after a batch is scored and written: queues an `assign` job for
 * each lead that needs one (ids only in the job) and moves the SLA check of worked leads to now.
 * Does nothing when routing is off.
 */
export async function routeScored(deps: RoutingDeps, tenant: string, scored: ScoredRecord[]): Promise<{ assign: number; check: number }> {
  const config = deps.ctx.config().routing;
  const counts = { assign: 0, check: 0 };
  if (!config.enabled || scored.length === 0) return counts;
  const now = deps.ctx.clock();
  const byType = new Map<string, ScoredRecord[]>();
  for (const s of scored) {
    const list = byType.get(s.record.objectType);
    if (list) list.push(s);
    else byType.set(s.record.objectType, [s]);
  }
  for (const [objectType, list] of byType) {
    const states = await deps.assignments.getMany(tenant, objectType, list.map((s) => s.record.id));
    for (const [i, s] of list.entries()) {
      const action = routingAction(config, { score: s.score, tier: s.tier }, states[i], s.record);
      const ref = { tenant, objectType, id: s.record.id };
      if (action === 'assign') {
        await enqueueAssign(deps.queues.assign, ref, s.tier, now);
        counts.assign++;
      } else if (action === 'check') {
        await deps.slas.schedule(ref, now);
        counts.check++;
      }
    }
  }
  return counts;
}
