import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { TaskChanges, TaskInput, TaskState } from '../types';
import type { SalesforceClients } from './client';
import { isObjectType } from './mapping';
import { queryAll, soqlDateTime, soqlString } from './soql';
import { isSalesforceId, toId18 } from './tenant';

/** Task.Subject is a 255-character field; Description (Comments) holds 32,000. */
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;

const created = z.object({ id: z.string(), success: z.boolean() }).loose();
const taskRow = z
  .object({ Id: z.string(), IsClosed: z.boolean().optional(), CompletedDateTime: z.string().nullish(), LastModifiedDate: z.string().optional() })
  .loose();

/** The Task fields of a task or a change: `ActivityDate` is the due day (UTC), the exact due time a reminder. */
function taskFields(t: TaskChanges): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (t.ownerId !== undefined) f.OwnerId = t.ownerId;
  if (t.subject !== undefined) f.Subject = t.subject.slice(0, SUBJECT_MAX);
  if (t.body !== undefined) f.Description = t.body.slice(0, DESCRIPTION_MAX);
  if (t.priority !== undefined) f.Priority = t.priority === 'high' ? 'High' : 'Normal';
  if (t.dueAt !== undefined) {
    f.ActivityDate = new Date(t.dueAt).toISOString().slice(0, 10);
    f.IsReminderSet = true;
    f.ReminderDateTime = new Date(t.dueAt).toISOString();
  }
  return f;
}

/** Creates a Task about a Lead or Contact (`WhoId`), owned by a user (never a queue), status Not Started; returns its id. */
export async function createTask(clients: SalesforceClients, tenant: string, task: TaskInput, signal?: AbortSignal): Promise<string> {
  if (!isObjectType(task.objectType) || !isSalesforceId(task.recordId)) throw new CrmError(`a Salesforce task is about a Lead or Contact id, not ${task.objectType} ${task.recordId}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  if (!task.ownerId.startsWith('005')) throw new CrmError(`a Salesforce Task is owned by a user (005…), not ${task.ownerId}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  const body = { WhoId: toId18(task.recordId), Status: 'Not Started', ...taskFields(task) };
  const raw = await clients.request<unknown>(tenant, 'write', { method: 'POST', url: '/sobjects/Task', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, signal);
  const parsed = created.safeParse(raw);
  if (!parsed.success || !parsed.data.success) throw new CrmError('Salesforce did not confirm the task it was asked to create', 'UNKNOWN', true, { crm: 'salesforce', tenant });
  return parsed.data.id;
}

/** Changes an open Task. */
export async function updateTask(clients: SalesforceClients, tenant: string, taskId: string, changes: TaskChanges, signal?: AbortSignal): Promise<void> {
  const fields = taskFields(changes);
  if (Object.keys(fields).length === 0) return;
  await clients.request(tenant, 'write', { method: 'PATCH', url: `/sobjects/Task/${taskPathId(taskId, tenant)}`, body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } }, signal);
}

/** Completes a Task that no longer needs doing and replaces its notes; a Task that is gone is not an error. */
export async function closeTask(clients: SalesforceClients, tenant: string, taskId: string, note: string, signal?: AbortSignal): Promise<void> {
  try {
    await clients.request(
      tenant,
      'write',
      { method: 'PATCH', url: `/sobjects/Task/${taskPathId(taskId, tenant)}`, body: JSON.stringify({ Status: 'Completed', Description: note.slice(0, DESCRIPTION_MAX) }), headers: { 'content-type': 'application/json' } },
      signal,
    );
  } catch (err) {
    if (err instanceof CrmError && (err.code === 'NOT_FOUND' || /ENTITY_IS_DELETED/.test(err.message))) return;
    throw err;
  }
}

/** Open, completed (with when: CompletedDateTime, else the last change), or missing (deleted or never there). */
export async function getTaskStatus(clients: SalesforceClients, tenant: string, taskId: string, signal?: AbortSignal): Promise<TaskState> {
  if (!isSalesforceId(taskId)) return { status: 'missing' };
  const { records } = await queryAll(clients, tenant, `SELECT Id, IsClosed, CompletedDateTime, LastModifiedDate FROM Task WHERE Id = ${soqlString(toId18(taskId))}`, { signal });
  const row = taskRow.safeParse(records[0]);
  if (!row.success) return { status: 'missing' };
  if (!row.data.IsClosed) return { status: 'open' };
  const at = Date.parse(row.data.CompletedDateTime ?? row.data.LastModifiedDate ?? '');
  return { status: 'completed', completedAt: Number.isFinite(at) ? at : 0 };
}

/** Task subtypes that are logged sales touches whoever saved them. */
const TOUCH_SUBTYPES = ['Call', 'Email', 'ListEmail', 'LinkedIn'] as const;

/**
 * The last sales activity on a Lead or Contact: the newest closed Task (a logged call or email, a
 * completed task) and the newest Event that has started, about the record. A generic task last
 * changed by the connector's own user (an SLA task it closed itself) does not count; calls and
 * emails always do. Null when there is none (or the record is gone).
 */
export async function lastSalesActivity(clients: SalesforceClients, tenant: string, objectType: string, id: string, connectorUserId: string | undefined, now: number, signal?: AbortSignal): Promise<number | null> {
  if (!isObjectType(objectType) || !isSalesforceId(id)) return null;
  const who = soqlString(toId18(id));
  const notOurs = connectorUserId ? ` AND (LastModifiedById != ${soqlString(connectorUserId)} OR TaskSubtype IN (${TOUCH_SUBTYPES.map(soqlString).join(',')}))` : '';
  const tasks = await queryAll(clients, tenant, `SELECT Id, CompletedDateTime, LastModifiedDate FROM Task WHERE WhoId = ${who} AND IsClosed = true${notOurs} ORDER BY LastModifiedDate DESC LIMIT 1`, { maxRows: 1, signal });
  const events = await queryAll(clients, tenant, `SELECT Id, StartDateTime FROM Event WHERE WhoId = ${who} AND StartDateTime <= ${soqlDateTime(Math.floor(now / 1000) * 1000)} ORDER BY StartDateTime DESC LIMIT 1`, { maxRows: 1, signal });
  const times = [
    ...tasks.records.map((t) => Date.parse(String(t.CompletedDateTime ?? t.LastModifiedDate ?? ''))),
    ...events.records.map((e) => Date.parse(String(e.StartDateTime ?? ''))),
  ].filter(Number.isFinite);
  return times.length ? Math.max(...times) : null;
}

function taskPathId(taskId: string, tenant: string): string {
  if (!isSalesforceId(taskId)) throw new CrmError(`"${taskId}" is not a Salesforce task id`, 'NOT_FOUND', false, { crm: 'salesforce', tenant });
  return toId18(taskId);
}
