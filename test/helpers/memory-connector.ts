import { Router } from 'express';
import type { CrmConnector, CrmRecord, FetchResult, OutputValues, PollCursor, PollPage, ScoreWrite, WriteOutcome } from '../../connectors/types';
import { CrmError } from '../../src/errors/crm-error';
import type { Lead } from '../../src/lead/lead';

/**
 * An in-memory CRM behind the CrmConnector interface, for testing the CRM-neutral pipeline on its
 * own (the CRM connectors themselves are tested against the wire and the sandboxes).
 */
export class MemoryConnector implements CrmConnector {
  readonly crm = 'memcrm';
  readonly batchSize = 3;
  readonly records = new Map<string, { lead: Lead; current: Partial<OutputValues>; modifiedAt: number }>();
  readonly fetchCalls: string[][] = [];
  readonly writeCalls: ScoreWrite[][] = [];
  /** Make the next fetch fail with this error. */
  failNextFetch: Error | undefined;
  /** Ids whose writes are refused (per-record failure). */
  refuse = new Map<string, { code: string; message: string; retryable: boolean }>();

  objectTypes() {
    return ['lead'];
  }

  put(id: string, attributes: Lead['attributes'], events: Lead['events'] = []): void {
    this.records.set(id, { lead: { tenant: '', objectType: 'lead', id, attributes, events }, current: {}, modifiedAt: Date.now() });
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
      else records.push({ objectType, id, lead: { ...r.lead, tenant }, current: { ...r.current }, modifiedAt: r.modifiedAt });
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

  router(): Router {
    return Router();
  }
}
