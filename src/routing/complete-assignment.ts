import type { CrmConnector } from '../../connectors/types';
import { CrmError } from '../errors/crm-error';
import { childLogger } from '../logging/logger';
import type { Tier } from '../scoring/types';
import type { LeadRouting } from './assignment-store';
import type { LeadRef, RoutingDeps } from './routing-deps';
import { slaRuleFor } from './sla-rules';
import { slaTaskText } from './task-text';

const log = childLogger('routing');

/** The lead's score now, for the SLA rule and the task text. */
export interface LeadScore {
  score: number;
  tier: Tier;
  /** One reason a line, like `+30 Requested a demo`. */
  reasons: string;
}

/**
 * Carries a claimed assignment through to the CRM, one step at a time, each step saved before the
 * next: close the previous owner's task (recycling), write the owner on the record, create the SLA
 * task and start watching it. A retried job resumes where the last one stopped. Every save is
 * compare-and-set on the generation: when another worker moved the lead on, this one stops.
 * Returns the state as it was left, or undefined when it was moved on.
 */
export async function completeAssignment(deps: RoutingDeps, connector: CrmConnector, ref: LeadRef, state: LeadRouting, lead: LeadScore): Promise<LeadRouting | undefined> {
  const { tenant, objectType, id } = ref;
  const signal = deps.shutdown;
  const save = async (fields: Partial<LeadRouting>, release?: boolean): Promise<boolean> => {
    const ok = await deps.assignments.update(tenant, objectType, id, state.gen, fields, release ? { owner: state.owner } : undefined);
    if (ok) Object.assign(state, fields);
    else log.info('lead moved on in another worker; stopping here', { tenant, objectType, leadId: id });
    return ok;
  };

  if (state.closeTaskId) {
    await closeQuietly(connector, tenant, state.closeTaskId, `Closed by lead routing: the lead was not worked within the SLA and went to another owner (${state.why}).`, signal);
    if (!(await save({ closeTaskId: '' }))) return undefined;
  }

  if (!state.ownerWritten) {
    try {
      await connector.assignOwner(tenant, objectType, id, state.owner, signal);
    } catch (err) {
      if (!refusedForGood(err)) throw err;
      return giveUp(deps, ref, state, 'the CRM refused the owner', err, save);
    }
    if (!(await save({ ownerWritten: 1 }))) return undefined;
  }

  if (state.taskId) return state;
  const config = deps.ctx.config().routing;
  const sla = slaRuleFor(config, lead);
  if (!sla || state.ownerKind !== 'user') {
    // nothing to watch: no SLA applies, or a queue holds the lead (a queue cannot own a task)
    await save({ status: 'done', outcome: sla ? 'queue' : 'no-sla', tier: lead.tier, score: lead.score }, true);
    return state;
  }
  const dueAt = state.assignedAt + sla.dueMs;
  const text = slaTaskText({ tier: lead.tier, score: lead.score, reasons: lead.reasons, slaMs: sla.dueMs, dueAt, assignedBecause: state.why });
  let taskId: string;
  try {
    taskId = await connector.createTask(tenant, { objectType, recordId: id, ownerId: state.owner, ...text, dueAt }, signal);
  } catch (err) {
    if (!refusedForGood(err)) throw err;
    return giveUp(deps, ref, state, 'the CRM refused the SLA task', err, save);
  }
  // watched before the state says "open": a crash in between leaves a check that finds the state and carries on
  await deps.slas.schedule(ref, dueAt);
  if (!(await save({ taskId, slaIndex: sla.index, slaMs: sla.dueMs, slaDueAt: dueAt, tier: lead.tier, score: lead.score, status: 'open' }))) {
    await closeQuietly(connector, tenant, taskId, 'Closed by lead routing: the lead was assigned again meanwhile.', signal);
    return undefined;
  }
  log.info('SLA task created', { tenant, objectType, leadId: id, owner: state.owner, taskId, dueAt: new Date(dueAt).toISOString(), sla: sla.index });
  return state;
}

/** A CRM refusal no retry can fix: an owner who cannot own this record (deactivated since, a queue on a Contact), a deleted record. */
function refusedForGood(err: unknown): err is CrmError {
  return err instanceof CrmError && !err.retryable && (err.code === 'INVALID_REQUEST' || err.code === 'NOT_FOUND');
}

/** Ends the routing of a lead the CRM will not take as planned: logged as an error, the owner's hold released, no longer watched. */
async function giveUp(deps: RoutingDeps, ref: LeadRef, state: LeadRouting, what: string, err: CrmError, save: (f: Partial<LeadRouting>, release?: boolean) => Promise<boolean>): Promise<LeadRouting | undefined> {
  log.error(`${what}; the lead is left as it is`, { tenant: ref.tenant, objectType: ref.objectType, leadId: ref.id, owner: state.owner, code: err.code, reason: err.message });
  if (!(await save({ status: 'done', outcome: 'refused' }, true))) return undefined;
  await deps.slas.remove(ref);
  return state;
}

/** Closes a task; one that no longer exists is fine. */
export async function closeQuietly(connector: CrmConnector, tenant: string, taskId: string, note: string, signal?: AbortSignal): Promise<void> {
  try {
    await connector.closeTask(tenant, taskId, note, signal);
  } catch (err) {
    if (err instanceof CrmError && err.code === 'NOT_FOUND') return;
    throw err;
  }
}
