import { z } from 'zod';
import { childLogger } from '../../src/logging/logger';
import type { PollCursor, PollPage } from '../types';
import type { RecordDeps } from './fetch-records';
import { handOverConverted } from './fetch-records';
import { objectMapping } from './mapping';
import { fullPassCursor, readCursor, toPollCursor, type SalesforcePollCursor } from './poll-cursor';
import { fetchRelated } from './related';
import { queryAll, soqlDateTime, soqlString } from './soql';
import { isSalesforceId, toId18 } from './tenant';
import { fieldsToSelect, modifiedAtOf, salesforceRecordToCrmRecord, type SalesforceRecord } from './to-lead';

const log = childLogger('salesforce');

/** Most entries kept in the cursor's `recent` list (newest first). */
const RECENT_MAX = 1000;
/** `/sobjects/{type}/deleted` answers for up to 15 days back (to the day): ask for 14 at most. */
const DELETED_HORIZON_MS = 14 * 24 * 3_600_000;

const deletedResponse = z.object({
  deletedRecords: z.array(z.object({ id: z.string(), deletedDate: z.string().optional() }).loose()).default([]),
  earliestDateAvailable: z.string().optional(),
  latestDateCovered: z.string().optional(),
});

/**
 * One page of the poll of one object type: `SELECT … FROM Lead WHERE SystemModstamp > :ts OR
 * (SystemModstamp = :ts AND Id > :id) ORDER BY SystemModstamp, Id LIMIT 2000` (batches of the one
 * query read through `nextRecordsUrl`). The first pass starts at the epoch and reads everything;
 * later passes start `pollOverlapMs` before the last position, dropping re-read records whose
 * SystemModstamp did not change. Converted Leads are reported in `deleted` and, outside the full
 * pass, their contacts queued. When a pass reaches the end, deletions since the last check are read
 * from `/sobjects/{type}/deleted` (at most every `deletedCheckEveryMs`). Related records (events)
 * are fetched in bulk for the page.
 *
 * Our own score writes bump SystemModstamp, so the records we write come back in a later page or
 * pass; the pipeline writes only changed values, so that costs a read, never a write loop.
 */
export async function pollPage(deps: RecordDeps, tenant: string, objectType: string, cursor: PollCursor | null, signal?: AbortSignal): Promise<PollPage> {
  const o = objectMapping(deps.mapping, objectType);
  const now = deps.ctx.clock();
  const c = cursor ? readCursor(cursor, tenant) : fullPassCursor(now);
  const { pollPageSize: size, pollOverlapMs: overlap } = deps.options;
  // A caught-up pass re-reads only what a late commit could have hidden from the previous query:
  // records stamped within `overlap` before that query ran. If the position is older than that,
  // it simply continues after the position (nothing is read twice).
  const lateFrom = Math.max(0, (c.queriedAt ?? c.ts) - overlap);
  const from = c.caughtUp && lateFrom <= c.ts ? { ts: lateFrom, id: '' } : { ts: c.ts, id: c.id };

  const { records: rows } = await queryAll(deps.clients, tenant, pollQuery(fieldsToSelect(deps.mapping, o.objectType), o.objectType, from, size), { maxRows: size, signal });
  const caughtUp = rows.length < size;
  const last = rows[rows.length - 1];
  const position = last ? { ts: modifiedAtOf(last) ?? from.ts, id: last.Id } : { ts: Math.max(c.ts, from.ts), id: c.caughtUp ? c.id : from.id };

  const seen = new Set(c.recent);
  const fresh = rows.filter((r) => !seen.has(recentKey(r, from.ts)));
  const { live, converted } = await handOverConverted(deps.ctx, tenant, fresh, { enqueue: c.phase === 'incremental' });
  const related = await fetchRelated(deps.clients, deps.options, tenant, o, live.map((r) => r.Id), signal);
  const records = live.map((r) => salesforceRecordToCrmRecord(tenant, r, deps.mapping, related.get(r.Id)));
  const deleted = converted.map((r) => r.Id);

  let deletedUntil = c.deletedUntil;
  if (caughtUp && now - c.deletedUntil >= deps.options.deletedCheckEveryMs) {
    const d = await readDeleted(deps, tenant, o.objectType, c.deletedUntil, now, signal);
    deleted.push(...d.ids);
    deletedUntil = d.until;
  }

  const next: SalesforcePollCursor = {
    v: 1,
    phase: caughtUp ? 'incremental' : c.phase,
    ts: position.ts,
    id: position.id,
    caughtUp,
    recent: recentAfter(c.recent, rows, Math.min(position.ts, now) - overlap, from.ts),
    deletedUntil,
    queriedAt: now,
  };
  if (converted.length) log.info('converted leads leave the Lead poll; their contacts are scored instead', { tenant, leads: converted.length, phase: c.phase });
  return { records, deleted: [...new Set(deleted)], cursor: toPollCursor(next), done: caughtUp };
}

/** The poll query from a position (an empty id: everything at or after `ts`). */
export function pollQuery(fields: string[], objectType: string, from: { ts: number; id: string }, limit: number): string {
  const ts = soqlDateTime(from.ts);
  const where = from.id ? `SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${soqlString(from.id)})` : `SystemModstamp >= ${ts}`;
  return `SELECT ${fields.join(', ')} FROM ${objectType} WHERE ${where} ORDER BY SystemModstamp, Id LIMIT ${limit}`;
}

function recentKey(r: SalesforceRecord, fallbackTs: number): string {
  return `${r.Id}@${modifiedAtOf(r) ?? fallbackTs}`;
}

/** The `recent` list after a page: one entry per record (its newest stamp), at or after `since`, newest kept when there are too many. */
function recentAfter(old: string[], rows: SalesforceRecord[], since: number, fallbackTs: number): string[] {
  const byId = new Map<string, number>();
  const keep = (id: string, ts: number) => {
    if (!(ts <= (byId.get(id) ?? -1))) byId.set(id, ts);
  };
  for (const key of old) {
    const at = key.lastIndexOf('@');
    keep(key.slice(0, at), Number(key.slice(at + 1)));
  }
  for (const r of rows) keep(r.Id, modifiedAtOf(r) ?? fallbackTs);
  return [...byId]
    .filter(([, ts]) => ts >= since)
    .sort((a, b) => b[1] - a[1])
    .slice(0, RECENT_MAX)
    .map(([id, ts]) => `${id}@${ts}`);
}

/**
 * Ids deleted between `since` and `now` (`/sobjects/{type}/deleted/?start&end`; Salesforce ignores
 * seconds and keeps 15 days). A gap longer than that (the connector was down) is clamped with a
 * warning: those records are found missing when next fetched instead.
 */
async function readDeleted(deps: RecordDeps, tenant: string, objectType: string, since: number, now: number, signal?: AbortSignal): Promise<{ ids: string[]; until: number }> {
  let start = since;
  if (now - start > DELETED_HORIZON_MS) {
    log.warn('deletions older than 14 days cannot be read any more; records deleted then are forgotten when next fetched', { tenant, objectType, since: new Date(since).toISOString() });
    start = now - DELETED_HORIZON_MS;
  }
  const startMin = Math.floor(start / 60_000) * 60_000;
  const endMin = Math.floor(now / 60_000) * 60_000;
  if (endMin <= startMin) return { ids: [], until: since };
  const url = `/sobjects/${objectType}/deleted?start=${encodeURIComponent(isoMinute(startMin))}&end=${encodeURIComponent(isoMinute(endMin))}`;
  const raw = await deps.clients.request<unknown>(tenant, 'deleted', { method: 'GET', url }, signal);
  const parsed = deletedResponse.safeParse(raw);
  if (!parsed.success) {
    log.warn('Salesforce answered the deleted-records call with something else; trying again next pass', { tenant, objectType });
    return { ids: [], until: since };
  }
  const covered = parsed.data.latestDateCovered ? Date.parse(parsed.data.latestDateCovered) : NaN;
  const until = Number.isFinite(covered) && covered >= startMin && covered <= endMin ? covered : endMin;
  const ids = parsed.data.deletedRecords.map((r) => r.id).filter(isSalesforceId).map(toId18);
  if (ids.length) log.info('records deleted in Salesforce', { tenant, objectType, records: ids.length });
  return { ids, until };
}

/** `2026-11-02T09:30:00+00:00`, the form the deleted resource documents. */
function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
