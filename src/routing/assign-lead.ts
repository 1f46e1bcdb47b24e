import type { CrmConnector, CrmRecord } from '../../connectors/types';
import type { RoutingConfig } from '../config/routing-schema';
import { CrmError } from '../errors/crm-error';
import { childLogger } from '../logging/logger';
import type { ActiveConfig } from '../pipeline/context';
import { formatReasons } from '../pipeline/output-values';
import { scoreLead } from '../scoring/score-lead';
import type { LeadRouting } from './assignment-store';
import { accountDomain, canonicalOwner, chooseOwner, ownerStatus, type OwnerFacts, type RoutingLead } from './choose-owner';
import { claimDecision } from './claim-owner';
import { completeAssignment, type LeadScore } from './complete-assignment';
import { LeadBusyError } from './lead-busy-error';
import type { LeadRef, RoutingDeps } from './routing-deps';
import { isEligible, slaRuleFor } from './sla-rules';
import { slaTaskText } from './task-text';

const log = childLogger('routing');

/** How long one lead's routing may hold its lock (a few CRM calls). */
export const LEAD_LOCK_MS = 60_000;
/** A claim is looked at again this long after it was made, in case the job that made it died before finishing. */
export const RESUME_CLAIM_AFTER_MS = 2 * 60_000;

export interface AssignResult {
  outcome: 'assigned' | 'resumed' | 'tightened' | 'unchanged' | 'not eligible' | 'unassigned' | 'raced' | 'gone' | 'routing off';
  owner?: string;
}

/**
 * Routes one lead (the `assign` job): under the lead's lock, reads the record, scores it, and
 *  - never routed and eligible: chooses an owner (choose-owner.ts), claims it atomically, writes it
 *    to the CRM and creates the SLA task;
 *  - claimed by a job that did not finish: carries on where it stopped;
 *  - open SLA and a tighter SLA rule applies now (warm → hot): moves the task's due time earlier;
 *  - anything else: leaves it alone, so rescoring never duplicates a task.
 */
export async function assignLead(deps: RoutingDeps, ref: LeadRef): Promise<AssignResult> {
  const token = await deps.assignments.lock(ref.tenant, ref.objectType, ref.id, LEAD_LOCK_MS);
  if (!token) throw new LeadBusyError(ref.tenant, ref.objectType, ref.id);
  try {
    return await assignLocked(deps, ref);
  } finally {
    await deps.assignments.unlock(ref.tenant, ref.objectType, ref.id, token);
  }
}

async function assignLocked(deps: RoutingDeps, ref: LeadRef): Promise<AssignResult> {
  const config = deps.ctx.config();
  if (!config.routing.enabled) return { outcome: 'routing off' };
  const connector = deps.connectorFor(ref.tenant);
  const record = await readRecord(deps, connector, ref);
  if (!record) return { outcome: 'gone' };
  const now = deps.ctx.clock();
  const lead = scoreOf(config, record, now);

  const state = await deps.assignments.get(ref.tenant, ref.objectType, ref.id);
  if (state?.status === 'claimed') {
    await deps.slas.schedule(ref, now + RESUME_CLAIM_AFTER_MS);
    await completeAssignment(deps, connector, ref, state, lead);
    return { outcome: 'resumed', owner: state.owner };
  }
  if (state?.status === 'open') return tighten(deps, connector, ref, state, lead, now);
  if (state) return { outcome: 'unchanged', owner: state.owner };
  if (!isEligible(config.routing.eligible, lead)) return { outcome: 'not eligible' };

  const routing = config.routing;
  const routingLead: RoutingLead = { attributes: record.lead.attributes, email: record.lead.email, ownerId: record.ownerId ?? null };
  const facts = await ownerFacts(deps, connector, ref.tenant, routing);
  let accountOwner: string | null = null;
  const keeps = ownerStatus(routingLead.ownerId, routing, facts.owners) === 'person' && !routing.overwriteHumanOwner;
  if (!keeps) {
    const domain = accountDomain(routingLead, routing, config.scoring.lists);
    if (domain) accountOwner = await connector.findAccountOwner(ref.tenant, domain, deps.shutdown);
  }
  const decision = chooseOwner({ lead: routingLead, config: routing, lists: config.scoring.lists, facts, now, accountOwner });
  const claim = await claimDecision(
    deps,
    { ref, crm: connector.crm, config: routing, facts, expectedGen: 0, crmOwner: routingLead.ownerId, fields: { recycles: 0, flagged: 0, closeTaskId: '' }, trigger: 'eligible', now },
    decision,
  );
  if (!claim.ok) return { outcome: claim.reason === 'stale' ? 'raced' : 'unassigned' };
  const claimed = await deps.assignments.get(ref.tenant, ref.objectType, ref.id);
  if (!claimed || claimed.gen !== claim.gen) return { outcome: 'raced' };
  // the SLA sweep is the safety net: should this job die before the task exists, the claim is finished from there
  await deps.slas.schedule(ref, now + RESUME_CLAIM_AFTER_MS);
  await completeAssignment(deps, connector, ref, claimed, lead);
  return { outcome: 'assigned', owner: claim.owner };
}

/** Finishes a claim an earlier job left half done (owner not yet written, or task not yet created). */
export async function resumeClaim(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef, state: LeadRouting): Promise<LeadRouting | undefined> {
  const record = await readRecord(deps, connector, ref);
  if (!record) return undefined;
  await deps.slas.schedule(ref, deps.ctx.clock() + RESUME_CLAIM_AFTER_MS);
  return completeAssignment(deps, connector, ref, state, scoreOf(deps.ctx.config(), record, deps.ctx.clock()));
}

/** The record, or undefined (and the lead forgotten) when the CRM no longer has it. */
export async function readRecord(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef): Promise<CrmRecord | undefined> {
  const { records } = await connector.fetchRecords(ref.tenant, ref.objectType, [ref.id], deps.shutdown);
  const record = records.find((r) => r.id === ref.id);
  if (!record) {
    await Promise.all([deps.assignments.forget(ref.tenant, ref.objectType, ref.id), deps.slas.remove(ref)]);
    log.info('lead no longer in the CRM; routing forgets it', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id });
  }
  return record;
}

/** The lead's score now, with the model in force (the same pure engine that wrote it). */
export function scoreOf(config: ActiveConfig, record: CrmRecord, now: number): LeadScore {
  const result = scoreLead(config.model, record.lead, now);
  return { score: result.score, tier: result.tier, reasons: formatReasons(result.reasons) };
}

/** The tenant's owners and the open leads of every pool member. */
export async function ownerFacts(deps: RoutingDeps, connector: CrmConnector, tenant: string, routing: RoutingConfig): Promise<OwnerFacts> {
  const owners = await deps.owners.get(tenant, connector, deps.shutdown);
  const members = Object.values(routing.pools).flatMap((p) => p.map((m) => canonicalOwner(owners, m.owner)));
  return { owners, load: await deps.assignments.load(tenant, members) };
}

/**
 * A lead with an open SLA task whose SLA rule is now a tighter one (it climbed from warm to hot):
 * the task becomes due at the earlier of its due time and now + the new SLA, with a subject and
 * priority for the new tier. An SLA never loosens: a lead that cools down keeps its task.
 */
async function tighten(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef, state: LeadRouting, lead: LeadScore, now: number): Promise<AssignResult> {
  const sla = slaRuleFor(deps.ctx.config().routing, lead);
  if (!sla || !state.taskId || (state.slaIndex >= 0 && sla.dueMs >= state.slaMs)) return { outcome: 'unchanged', owner: state.owner };
  const dueAt = Math.min(state.slaDueAt > 0 ? state.slaDueAt : Infinity, now + sla.dueMs);
  const text = slaTaskText({ tier: lead.tier, score: lead.score, reasons: lead.reasons, slaMs: sla.dueMs, dueAt, assignedBecause: state.why });
  try {
    await connector.updateTask(ref.tenant, state.taskId, { ...text, dueAt }, deps.shutdown);
  } catch (err) {
    if (!(err instanceof CrmError && err.code === 'NOT_FOUND')) throw err;
    log.info('SLA task no longer exists; not tightened', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, taskId: state.taskId });
    return { outcome: 'unchanged', owner: state.owner };
  }
  await deps.slas.schedule(ref, dueAt);
  const ok = await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { slaIndex: sla.index, slaMs: sla.dueMs, slaDueAt: dueAt, tier: lead.tier, score: lead.score });
  if (!ok) return { outcome: 'raced' };
  log.info('SLA tightened', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, owner: state.owner, taskId: state.taskId, tier: lead.tier, from: state.slaMs, to: sla.dueMs, dueAt: new Date(dueAt).toISOString() });
  return { outcome: 'tightened', owner: state.owner };
}
