import { Router } from 'express';
import type {
  CrmConnector,
  CrmOwner,
  CrmRecord,
  FetchResult,
  OutputValues,
  PollCursor,
  PollPage,
  ScoreWrite,
  TaskChanges,
  TaskInput,
  TaskState,
  WriteOutcome,
} from '../../connectors/types';
import { CrmError } from '../../src/errors/crm-error';
import type { Lead } from '../../src/lead/lead';

export interface MemoryTask extends TaskInput {
  id: string;
  /** `closed`: closed by routing (completed without the lead being worked). */
  status: 'open' | 'completed' | 'closed';
  completedAt?: number;
}

/**
 * An in-memory CRM behind the CrmConnector interface, for testing the CRM-neutral pipeline on its
 * own (the CRM connectors themselves are tested against the wire and the sandboxes).
 */
export class MemoryConnector implements CrmConnector {
  readonly crm = 'memcrm';
  readonly batchSize = 3;
  readonly records = new Map<string, { lead: Lead; current: Partial<OutputValues>; modifiedAt: number; ownerId?: string | null }>();
  readonly fetchCalls: string[][] = [];
  readonly writeCalls: ScoreWrite[][] = [];
  /** Make the next fetch fail with this error. */
  failNextFetch: Error | undefined;
  /** Ids whose writes are refused (per-record failure). */
  refuse = new Map<string, { code: string; message: string; retryable: boolean }>();

  objectTypes() {
    return ['lead'];
  }

  put(id: string, attributes: Lead['attributes'], events: Lead['events'] = [], ownerId: string | null = null): void {
    const email = typeof attributes.email === 'string' ? attributes.email : undefined;
    this.records.set(id, { lead: { tenant: '', objectType: 'lead', id, ...(email ? { email } : {}), attributes, events }, current: {}, modifiedAt: Date.now(), ownerId });
  }

  async fetchRecords(tenant: string, objectType: string, ids: string[]): Promise<FetchResult> {
    this.fetchCalls.push([...ids].sort());
    if (this.failNextFetch) {
      const e = this.failNextFetch;
      this.failNextFetch = undefined;
      throw e;
    }
    const records: CrmRecord[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const r = this.records.get(id);
      if (!r) missing.push(id);
      else records.push({ objectType, id, lead: { ...r.lead, tenant }, current: { ...r.current }, modifiedAt: r.modifiedAt, ownerId: r.ownerId ?? null });
    }
    return { records, missing };
  }

  async pollPage(tenant: string, objectType: string, cursor: PollCursor | null): Promise<PollPage> {
    const ids = [...this.records.keys()].sort();
    const start = cursor ? Number(cursor.offset) : 0;
    const page = ids.slice(start, start + this.batchSize);
    const { records } = await this.fetchRecords(tenant, objectType, page);
    this.fetchCalls.pop();
    return { records, deleted: [], cursor: { offset: start + page.length }, done: start + page.length >= ids.length };
  }

  async writeScores(_tenant: string, writes: ScoreWrite[]): Promise<WriteOutcome[]> {
    if (writes.length > this.batchSize) throw new CrmError('batch too large', 'INVALID_REQUEST', false);
    this.writeCalls.push(writes);
    return writes.map((w) => {
      const refused = this.refuse.get(w.id);
      if (refused) return { objectType: w.objectType, id: w.id, ok: false, error: refused };
      const r = this.records.get(w.id);
      if (r) r.current = { ...w.values };
      return { objectType: w.objectType, id: w.id, ok: true };
    });
  }

  async setupTenant(): Promise<void> {}

  // ---- owner routing: an in-memory CRM's owners, accounts, tasks and activity ----

  /** Owners the CRM knows. */
  owners: CrmOwner[] = [];
  /** Account (company) owners by domain. */
  readonly accounts = new Map<string, string>();
  readonly tasks = new Map<string, MemoryTask>();
  /** Last sales activity per record id (epoch ms). */
  readonly activity = new Map<string, number>();
  /** Every owner write, in order. */
  readonly ownerWrites: { id: string; ownerId: string }[] = [];
  readonly accountLookups: string[] = [];
  /** The clock task completion times come from (tests move it). */
  clock: () => number = Date.now;
  private nextTaskId = 1;

  async listOwners(): Promise<CrmOwner[]> {
    return this.owners.map((o) => ({ ...o }));
  }

  async findAccountOwner(_tenant: string, domain: string): Promise<string | null> {
    this.accountLookups.push(domain);
    return this.accounts.get(domain) ?? null;
  }

  async assignOwner(_tenant: string, _objectType: string, id: string, ownerId: string): Promise<void> {
    const r = this.records.get(id);
    if (!r) throw new CrmError(`no record ${id}`, 'NOT_FOUND', false);
    const o = this.owners.find((x) => x.id === ownerId);
    if (!o || !o.active) throw new CrmError(`owner ${ownerId} cannot own records`, 'INVALID_REQUEST', false);
    r.ownerId = ownerId;
    this.ownerWrites.push({ id, ownerId });
  }

  async createTask(_tenant: string, task: TaskInput): Promise<string> {
    const o = this.owners.find((x) => x.id === task.ownerId);
    if (!o || !o.active || o.kind !== 'user') throw new CrmError(`owner ${task.ownerId} cannot own tasks`, 'INVALID_REQUEST', false);
    const id = `t${this.nextTaskId++}`;
    this.tasks.set(id, { ...task, id, status: 'open' });
    return id;
  }

  async updateTask(_tenant: string, taskId: string, changes: TaskChanges): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) throw new CrmError(`no task ${taskId}`, 'NOT_FOUND', false);
    Object.assign(t, changes);
  }

  async closeTask(_tenant: string, taskId: string, note: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (!t) return;
    Object.assign(t, { status: 'closed', body: note, completedAt: this.clock() });
  }

  async getTaskStatus(_tenant: string, taskId: string): Promise<TaskState> {
    const t = this.tasks.get(taskId);
    if (!t) return { status: 'missing' };
    return t.status === 'open' ? { status: 'open' } : { status: 'completed', completedAt: t.completedAt ?? this.clock() };
  }

  async lastSalesActivity(_tenant: string, _objectType: string, id: string): Promise<number | null> {
    return this.activity.get(id) ?? null;
  }

  /** A rep completes a task (at the clock's time). */
  completeTask(taskId: string): void {
    const t = this.tasks.get(taskId);
    if (!t) throw new Error(`no task ${taskId}`);
    Object.assign(t, { status: 'completed', completedAt: this.clock() });
  }

  /** Tasks about a record, in creation order. */
  tasksFor(id: string): MemoryTask[] {
    return [...this.tasks.values()].filter((t) => t.recordId === id);
  }

  router(): Router {
    return Router();
  }
}
