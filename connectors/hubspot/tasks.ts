import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import { z } from 'zod';
import { convertValue } from '../../src/lead/map-record';
import { CrmError } from '../../src/errors/crm-error';
import type { TaskChanges, TaskInput, TaskState } from '../types';
import type { HubSpotClients } from './client';
import { CONTACT_ID } from './fetch-records';
import { CONTACT } from './to-lead';

/** HUBSPOT_DEFINED association type of a task to a contact. */
export const TASK_TO_CONTACT = 204;

const taskObject = z
  .object({
    id: z.union([z.string().min(1), z.number().int().transform(String)]),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();

/** The task properties of our task fields: due time (`hs_timestamp`), subject, notes, priority, owner. */
export function taskProperties(t: TaskChanges): Record<string, string> {
  const p: Record<string, string> = {};
  if (t.dueAt !== undefined) p.hs_timestamp = new Date(t.dueAt).toISOString();
  if (t.subject !== undefined) p.hs_task_subject = t.subject;
  if (t.body !== undefined) p.hs_task_body = t.body;
  if (t.priority !== undefined) p.hs_task_priority = t.priority === 'high' ? 'HIGH' : 'MEDIUM';
  if (t.ownerId !== undefined) p.hubspot_owner_id = t.ownerId;
  return p;
}

/**
 * `POST /crm/v3/objects/tasks`: a call task, not started, associated to the contact (type 204),
 * owned by the task's owner, due at `hs_timestamp`. Returns the task id.
 */
export async function createHubSpotTask(clients: HubSpotClients, tenant: string, task: TaskInput, signal?: AbortSignal): Promise<string> {
  if (task.objectType !== CONTACT) throw new CrmError(`HubSpot tasks are made for contacts, not "${task.objectType}"`, 'INVALID_REQUEST', false, { crm: 'hubspot', tenant });
  if (!CONTACT_ID.test(task.recordId)) throw new CrmError(`"${task.recordId}" is not a HubSpot contact id`, 'NOT_FOUND', false, { crm: 'hubspot', tenant });
  const properties = { ...taskProperties(task), hs_task_status: 'NOT_STARTED', hs_task_type: 'CALL' };
  const associations = [{ to: { id: task.recordId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: TASK_TO_CONTACT }] }];
  const raw = await clients.call(tenant, 'general', (c) => c.crm.objects.tasks.basicApi.create({ properties, associations }), signal);
  const parsed = taskObject.safeParse(raw);
  if (!parsed.success) throw new CrmError(`HubSpot's task answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  return parsed.data.id;
}

/** `PATCH /crm/v3/objects/tasks/{id}` with the changed fields. */
export async function updateHubSpotTask(clients: HubSpotClients, tenant: string, taskId: string, changes: TaskChanges, signal?: AbortSignal): Promise<void> {
  const properties = taskProperties(changes);
  if (Object.keys(properties).length === 0) return;
  await clients.call(tenant, 'general', (c) => c.crm.objects.tasks.basicApi.update(taskId, { properties }), signal);
}

/** Marks the task completed with `note` as its notes; a task that no longer exists is fine. */
export async function closeHubSpotTask(clients: HubSpotClients, tenant: string, taskId: string, note: string, signal?: AbortSignal): Promise<void> {
  try {
    await clients.call(tenant, 'general', (c) => c.crm.objects.tasks.basicApi.update(taskId, { properties: { hs_task_status: 'COMPLETED', hs_task_body: note } }), signal);
  } catch (err) {
    if (err instanceof CrmError && err.code === 'NOT_FOUND') return;
    throw err;
  }
}

/** Open, completed (at `hs_task_completion_date`, else its last change, else `now`), or missing (deleted). */
export async function hubSpotTaskStatus(clients: HubSpotClients, tenant: string, taskId: string, now: number, signal?: AbortSignal): Promise<TaskState> {
  let raw: unknown;
  try {
    raw = await clients.call(tenant, 'general', (c) => c.crm.objects.tasks.basicApi.getById(taskId, ['hs_task_status', 'hs_task_completion_date', 'hs_lastmodifieddate']), signal);
  } catch (err) {
    if (err instanceof CrmError && err.code === 'NOT_FOUND') return { status: 'missing' };
    throw err;
  }
  const parsed = taskObject.safeParse(raw);
  if (!parsed.success) throw new CrmError(`HubSpot's task answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  const p = parsed.data.properties;
  if (p.hs_task_status !== 'COMPLETED') return { status: 'open' };
  const at = convertValue(p.hs_task_completion_date, 'date') ?? convertValue(p.hs_lastmodifieddate, 'date');
  return { status: 'completed', completedAt: typeof at === 'number' ? at : now };
}
