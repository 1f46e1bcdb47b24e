import type { CrmConnector } from '../../connectors/types';
import { CrmError } from '../errors/crm-error';
import { childLogger } from '../logging/logger';
import { LEAD_LOCK_MS, ownerFacts, readRecord, RESUME_CLAIM_AFTER_MS, resumeClaim, scoreOf } from './assign-lead';
import type { LeadRouting } from './assignment-store';
import { chooseOwner, fallbackDecision, ownerStatus } from './choose-owner';
import { claimDecision } from './claim-owner';
import { completeAssignment } from './complete-assignment';
import type { LeadRef, RoutingDeps } from './routing-deps';
import { routingMetrics } from './routing-metrics';

const log = childLogger('sla');

/** A check that finds the lead locked by another worker comes back this much later. */
const BUSY_RETRY_MS = 5_000;
/** With routing switched off, watched SLAs are looked at again this much later (nothing is recycled meanwhile). */
const PAUSED_RETRY_MS = 5 * 60_000;

export interface SlaCheckResult {
  outcome: 'met' | 'late' | 'waiting' | 'breached' | 'recycled' | 'fallback' | 'ended' | 'handed over' | 'gone' | 'busy' | 'not watched' | 'paused' | 'resumed';
  owner?: string;
}

/**
 * Looks at one lead's SLA (the `sla` job), at or after the time the SLA store named:
 *  - worked (its SLA task completed, or a sales activity after the assignment): met when that came
 *    before the due time, late otherwise; the owner's hold on it ends; time to first touch recorded;
 *  - not worked and due: breached (counted once); recycled at `assignedAt + recycle.after`: the
 *    next owner of its pool gets it with a new task and the old task is closed; after
 *    `recycle.maxTimes` reassignments it goes to the fallback, flagged. Kept owners and the fallback
 *    are never recycled (that would take a lead from a person), their breach just ends the watch.
 * Time comes from `ctx.clock`, so tests move it instead of sleeping.
 */
export async function checkSla(deps: RoutingDeps, ref: LeadRef): Promise<SlaCheckResult> {
  const token = await deps.assignments.lock(ref.tenant, ref.objectType, ref.id, LEAD_LOCK_MS);
  if (!token) {
    await deps.slas.schedule(ref, deps.ctx.clock() + BUSY_RETRY_MS);
    return { outcome: 'busy' };
  }
  try {
    return await checkLocked(deps, ref);
  } catch (err) {
    if (err instanceof CrmError && (err.code === 'RATE_LIMITED' || err.code === 'BUDGET_EXHAUSTED')) {
      const waitMs = err.details.retryAfterMs ?? 60_000;
      await deps.slas.schedule(ref, deps.ctx.clock() + waitMs);
      log.warn('CRM asked us to wait; SLA check postponed', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, code: err.code, waitMs });
      return { outcome: 'busy' };
    }
    throw err;
  } finally {
    await deps.assignments.unlock(ref.tenant, ref.objectType, ref.id, token);
  }
}

async function checkLocked(deps: RoutingDeps, ref: LeadRef): Promise<SlaCheckResult> {
  const state = await deps.assignments.get(ref.tenant, ref.objectType, ref.id);
  if (!state || state.status === 'done') {
    await deps.slas.remove(ref);
    return { outcome: 'not watched' };
  }
  const now = deps.ctx.clock();
  if (!deps.ctx.config().routing.enabled) {
    await deps.slas.schedule(ref, now + PAUSED_RETRY_MS);
    return { outcome: 'paused' };
  }
  const connector = deps.connectorFor(ref.tenant);
  if (state.status === 'claimed') {
    // the job that claimed it stopped before the task existed: finish it (this schedules the watch)
    const resumed = await resumeClaim(deps, connector, ref, state);
    return { outcome: 'resumed', ...(resumed ? { owner: resumed.owner } : {}) };
  }
  const crm = connector.crm;
  const logIds = { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, owner: state.owner };

  const touch = await firstTouch(deps, connector, ref, state);
  if (touch !== null) {
    const met = touch.at <= state.slaDueAt && !state.slaBreached;
    if (met) routingMetrics.slaMet.inc({ crm });
    else if (!state.slaBreached) routingMetrics.slaBreached.inc({ crm });
    routingMetrics.firstTouch.observe({ crm }, Math.max(0, touch.at - state.assignedAt) / 1000);
    await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { status: 'done', outcome: met ? 'met' : 'late', slaBreached: met ? 0 : 1 }, { owner: state.owner });
    await deps.slas.remove(ref);
    log.info(met ? 'SLA met' : 'lead worked after its SLA', { ...logIds, via: touch.via, firstTouchS: Math.round((touch.at - state.assignedAt) / 1000) });
    return { outcome: met ? 'met' : 'late', owner: state.owner };
  }

  if (now < state.slaDueAt) {
    await deps.slas.schedule(ref, state.slaDueAt);
    return { outcome: 'waiting', owner: state.owner };
  }
  if (!state.slaBreached) {
    routingMetrics.slaBreached.inc({ crm });
    const ok = await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { slaBreached: 1, status: 'breached' });
    if (ok) Object.assign(state, { slaBreached: 1, status: 'breached' });
    log.warn('SLA breached', { ...logIds, taskId: state.taskId, dueAt: new Date(state.slaDueAt).toISOString() });
  }
  if (state.recycleAt <= 0) {
    // a kept owner or the fallback: nobody to take it from them; the watch ends
    await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { status: 'done', outcome: 'breached' }, { owner: state.owner });
    await deps.slas.remove(ref);
    return { outcome: 'ended', owner: state.owner };
  }
  if (now < state.recycleAt) {
    await deps.slas.schedule(ref, state.recycleAt);
    return { outcome: 'breached', owner: state.owner };
  }
  return recycle(deps, connector, ref, state, now);
}

/** When the lead was first worked after its assignment (task completed, or a sales activity), or null. */
async function firstTouch(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef, state: LeadRouting): Promise<{ at: number; via: 'task' | 'activity' } | null> {
  let best: { at: number; via: 'task' | 'activity' } | null = null;
  if (state.taskId) {
    const task = await connector.getTaskStatus(ref.tenant, state.taskId, deps.shutdown);
    if (task.status === 'completed') best = { at: Math.max(task.completedAt, state.assignedAt), via: 'task' };
  }
  const activity = await connector.lastSalesActivity(ref.tenant, ref.objectType, ref.id, deps.shutdown);
  if (activity !== null && activity > state.assignedAt && (best === null || activity < best.at)) best = { at: activity, via: 'activity' };
  return best;
}

/**
 * Takes a lead back from an owner who did not work it: to the next owner of the pool its rules
 * name (never the same owner), or after `recycle.maxTimes` to the fallback, flagged. A lead a
 * person took over in the CRM meanwhile is theirs: the watch ends.
 */
async function recycle(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef, state: LeadRouting, now: number): Promise<SlaCheckResult> {
  const config = deps.ctx.config();
  const routing = config.routing;
  const record = await readRecord(deps, connector, ref);
  if (!record) return { outcome: 'gone' };
  const facts = await ownerFacts(deps, connector, ref.tenant, routing);
  const crmOwner = record.ownerId ?? null;
  if (crmOwner !== state.owner && ownerStatus(crmOwner, routing, facts.owners) === 'person') {
    await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { status: 'done', outcome: 'handed-over' }, { owner: state.owner });
    await deps.slas.remove(ref);
    log.info('lead taken over by a person in the CRM; not recycled', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, from: state.owner, to: crmOwner });
    return { outcome: 'handed over', owner: crmOwner ?? undefined };
  }

  const exhausted = state.recycles >= routing.recycle.maxTimes;
  const decision = exhausted
    ? fallbackDecision({ config: routing, facts }, `not worked after ${state.recycles} reassignment(s) (recycle.maxTimes: ${routing.recycle.maxTimes})`)
    : chooseOwner({ lead: { attributes: record.lead.attributes, email: record.lead.email, ownerId: crmOwner }, config: routing, lists: config.scoring.lists, facts, now, accountOwner: null, recycleFrom: state.owner });
  const claim = await claimDecision(
    deps,
    {
      ref,
      crm: connector.crm,
      config: routing,
      facts,
      expectedGen: state.gen,
      previousOwner: state.owner,
      crmOwner,
      fields: { recycles: state.recycles + 1, flagged: exhausted ? 1 : 0, closeTaskId: state.taskId },
      trigger: 'recycle',
      now,
    },
    decision,
  );
  if (!claim.ok) {
    if (claim.reason === 'stale') return { outcome: 'busy' };
    // nobody else can take it: it stays with its owner, unwatched
    await deps.assignments.update(ref.tenant, ref.objectType, ref.id, state.gen, { status: 'done', outcome: 'breached' }, { owner: state.owner });
    await deps.slas.remove(ref);
    return { outcome: 'ended', owner: state.owner };
  }
  routingMetrics.recycles.inc({ crm: connector.crm });
  if (exhausted) {
    routingMetrics.flagged.inc({ crm: connector.crm });
    log.warn('lead flagged: recycled too often, sent to the fallback', { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, from: state.owner, to: claim.owner, recycles: state.recycles });
  }
  const claimed = await deps.assignments.get(ref.tenant, ref.objectType, ref.id);
  if (!claimed || claimed.gen !== claim.gen) return { outcome: 'busy' };
  await deps.slas.schedule(ref, now + RESUME_CLAIM_AFTER_MS);
  await completeAssignment(deps, connector, ref, claimed, scoreOf(config, record, now));
  return { outcome: claim.decision.kind === 'fallback' ? 'fallback' : 'recycled', owner: claim.owner };
}
