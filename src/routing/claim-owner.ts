import type { RoutingConfig } from '../config/routing-schema';
import { childLogger } from '../logging/logger';
import type { AssignedHow, LeadRoutingFields } from './assignment-store';
import { fallbackDecision, type Decision, type OwnerFacts } from './choose-owner';
import type { LeadRef, RoutingDeps } from './routing-deps';
import { routingMetrics } from './routing-metrics';

const log = childLogger('routing');

export interface ClaimRequest {
  ref: LeadRef;
  crm: string;
  config: RoutingConfig;
  facts: OwnerFacts;
  /** The state's generation the decision was made on (0: never routed). */
  expectedGen: number;
  /** Recycling: the owner who holds the lead now (it leaves their open leads). */
  previousOwner?: string;
  /** The CRM owner before routing (for the log and the state). */
  crmOwner: string | null;
  /** Fields stored with the claim (assignment time, recycle count, the task to close, ...). */
  fields: LeadRoutingFields;
  /** `eligible` (first assignment) or `recycle`. */
  trigger: 'eligible' | 'recycle';
  now: number;
}

export type ClaimOutcome =
  | { ok: true; owner: string; gen: number; decision: Exclude<Decision, { kind: 'none' }> }
  | { ok: false; reason: 'stale' }
  | { ok: false; reason: 'none'; why: string };

/**
 * Turns a routing decision into a claim in Redis: a pool decision picks its owner by weighted
 * rotation under the cap in one Lua script (and falls back when everyone is at capacity by then);
 * the others claim their owner directly. Every claim is compare-and-set on the lead's generation,
 * so a decision made on stale state claims nothing. Logs and counts what it did.
 */
export async function claimDecision(deps: RoutingDeps, req: ClaimRequest, decision: Decision): Promise<ClaimOutcome> {
  const { ref } = req;
  const lead = { objectType: ref.objectType, id: ref.id, expectedGen: req.expectedGen, ...(req.previousOwner ? { previousOwner: req.previousOwner } : {}) };
  const recycleAt = (how: AssignedHow) => (how === 'pool' || how === 'account' ? req.now + req.config.recycle.after : 0);
  const common: LeadRoutingFields = { status: 'claimed', previousOwner: req.crmOwner ?? '', assignedAt: req.now, ownerWritten: 0, taskId: '', slaIndex: -1, slaMs: 0, slaDueAt: 0, slaBreached: 0, outcome: '', ...req.fields };

  let d = decision;
  if (d.kind === 'pool') {
    const fields: LeadRoutingFields = { ...common, how: 'pool', ownerKind: 'user', pool: d.pool, rule: d.rule, why: d.why, recycleAt: recycleAt('pool') };
    const r = await deps.assignments.pickAndClaim(ref.tenant, lead, d.pool, d.candidates, req.config.capacity.maxActiveLeadsPerOwner, fields);
    if (r.ok) return done(req, { ok: true, owner: r.owner, gen: r.gen, decision: d });
    if (r.reason === 'stale') return { ok: false, reason: 'stale' };
    d = fallbackDecision(req, `every available owner of pool ${d.pool} is at capacity (${req.config.capacity.maxActiveLeadsPerOwner} open leads)`);
  }
  if (d.kind === 'none' || d.kind === 'pool') {
    const why = d.why;
    routingMetrics.fallbacks.inc({ crm: req.crm, target: 'none' });
    log.warn('nobody can take the lead; it stays as it is', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, from: req.crmOwner, why });
    return { ok: false, reason: 'none', why };
  }
  const fields: LeadRoutingFields = { ...common, how: d.kind, pool: '', rule: '', why: d.why, recycleAt: recycleAt(d.kind) };
  if (d.kind === 'keep') Object.assign(fields, { ownerKind: 'user', ownerWritten: 1 });
  if (d.kind === 'account') fields.ownerKind = 'user';
  if (d.kind === 'fallback') fields.ownerKind = d.ownerKind;
  const track = !(d.kind === 'fallback' && d.ownerKind === 'queue');
  const r = await deps.assignments.claimFixed(ref.tenant, lead, d.owner, track, fields);
  if (!r.ok) return { ok: false, reason: 'stale' };
  if (d.kind === 'fallback') {
    routingMetrics.fallbacks.inc({ crm: req.crm, target: d.ownerKind });
    log.warn('lead sent to the fallback', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, from: req.previousOwner ?? req.crmOwner, to: d.owner, why: d.why });
  }
  return done(req, { ok: true, owner: d.owner, gen: r.gen, decision: d });
}

function done(req: ClaimRequest, outcome: Extract<ClaimOutcome, { ok: true }>): ClaimOutcome {
  const d = outcome.decision;
  routingMetrics.assignments.inc({ crm: req.crm, how: d.kind, trigger: req.trigger });
  log.info(req.trigger === 'recycle' ? 'lead recycled' : 'lead assigned', {
    tenant: req.ref.tenant,
    objectType: req.ref.objectType,
    leadId: req.ref.id,
    from: req.previousOwner ?? req.crmOwner,
    to: outcome.owner,
    how: d.kind,
    why: d.why,
    ...(d.kind === 'pool' ? { pool: d.pool, rule: d.rule } : {}),
  });
  return outcome;
}
