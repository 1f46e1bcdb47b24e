/**
 * The records of one object type in one portal: live and archived ones, their id order (for list
 * paging), merges, a unique-value lookup (contact e-mail) and the search index, which trails the
 * records by the configured indexing delay like HubSpot's does.
 */
import { CrmRecord, PropertySlots } from './crm-record';
import { ModifiedIndex } from './modified-index';
import { OBJECT_TYPES, type ObjectType, type ObjectTypeInfo } from './object-types';

export interface PropertyChange {
  name: string;
  value: string | null;
  previous: string | null;
}

interface PendingIndexWrite {
  visibleAt: number;
  id: string;
  record: CrmRecord | null;
}

export class ObjectStore {
  readonly info: ObjectTypeInfo;
  readonly searchIndex = new ModifiedIndex();
  private readonly slots = new PropertySlots();
  private readonly live = new Map<string, CrmRecord>();
  private readonly archived = new Map<string, CrmRecord>();
  /** Live ids, ascending. */
  private idOrder: number[] = [];
  private readonly mergedInto = new Map<string, string>();
  private readonly unique = new Map<string, Map<string, string>>();
  private pending: PendingIndexWrite[] = [];
  private pendingHead = 0;
  private nextId: number;

  constructor(
    readonly objectType: ObjectType,
    private readonly indexDelayMs: () => number,
    private readonly clock: () => number,
    uniqueProperties: readonly string[] = [],
  ) {
    this.info = OBJECT_TYPES[objectType];
    this.nextId = this.info.firstId;
    for (const p of uniqueProperties) this.unique.set(p, new Map());
  }

  get size(): number {
    return this.live.size;
  }

  /** Live records by id (merged-away ids are not followed here). */
  get records(): ReadonlyMap<string, CrmRecord> {
    return this.live;
  }

  get archivedRecords(): ReadonlyMap<string, CrmRecord> {
    return this.archived;
  }

  /** Follows merges: an id merged into another resolves to the surviving record's id. */
  resolveId(id: string): string {
    let current = id;
    for (let hops = 0; hops < 10; hops++) {
      const next = this.mergedInto.get(current);
      if (!next) return current;
      current = next;
    }
    return current;
  }

  get(id: string): CrmRecord | undefined {
    return this.live.get(this.resolveId(id));
  }

  getArchived(id: string): CrmRecord | undefined {
    return this.archived.get(id);
  }

  findByUnique(property: string, value: string): CrmRecord | undefined {
    const index = this.unique.get(property);
    if (index) {
      const id = index.get(value.toLowerCase());
      return id ? this.live.get(id) : undefined;
    }
    for (const r of this.live.values()) if (r.get(property) === value) return r;
    return undefined;
  }

  /** Makes a record from already-validated values; `ts` is its create and modify time unless given. */
  create(values: Record<string, string>, ts: number, opts: { id?: number; createdAt?: number; updatedAt?: number } = {}): CrmRecord {
    const record = this.build(values, ts, opts);
    this.insertLive(record);
    this.indexWrite(record.id, record);
    return record;
  }

  /** Bulk insert for seeding: one index rebuild at the end instead of one insert per record. */
  createMany(rows: readonly { values: Record<string, string>; createdAt: number; updatedAt: number }[]): CrmRecord[] {
    const made = rows.map((row) => {
      const record = this.build(row.values, row.updatedAt, { createdAt: row.createdAt, updatedAt: row.updatedAt });
      this.insertLive(record);
      return record;
    });
    if (this.indexDelayMs() > 0) for (const r of made) this.indexWrite(r.id, r);
    else {
      this.flushPending(Infinity);
      this.searchIndex.rebuild(this.live.values());
    }
    return made;
  }

  /**
   * Applies changes (null clears a property). A write that changes nothing leaves the record, its
   * last-modified time and the index alone, and returns no changes.
   */
  update(id: string, values: Record<string, string | null>, ts: number, force = false): { record: CrmRecord; changes: PropertyChange[] } | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const changes: PropertyChange[] = [];
    for (const [name, value] of Object.entries(values)) {
      const previous = current.get(name) ?? null;
      const next = value === '' ? null : value;
      if (previous !== next) changes.push({ name, value: next, previous });
    }
    if (changes.length === 0 && !force) return { record: current, changes };
    const patch: Record<string, string | null> = {};
    for (const c of changes) patch[c.name] = c.value;
    const stamp = new Date(ts).toISOString();
    for (const p of this.info.modifiedProperties) patch[p] = stamp;
    const createdChange = changes.find((c) => c.name === this.info.createdProperty);
    const createdAt = createdChange ? parseTime(createdChange.value) : undefined;
    const record = current.with(patch, { updatedAt: ts, createdAt });
    this.live.set(record.id, record);
    this.updateUnique(current, record);
    this.indexWrite(record.id, record);
    return { record, changes };
  }

  archive(id: string, ts: number): CrmRecord | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const record = current.with({}, { archived: true, archivedAt: ts });
    this.removeLive(current);
    this.archived.set(record.id, record);
    this.indexWrite(record.id, null);
    return record;
  }

  restore(id: string, ts: number): CrmRecord | undefined {
    const old = this.archived.get(id);
    if (!old) return undefined;
    this.archived.delete(id);
    const stamp = new Date(ts).toISOString();
    const patch: Record<string, string> = {};
    for (const p of this.info.modifiedProperties) patch[p] = stamp;
    const record = old.with(patch, { archived: false, updatedAt: ts });
    this.insertLive(record);
    this.indexWrite(record.id, record);
    return record;
  }

  /** Merges `mergedId` into `primaryId`: the primary keeps its values and fills its blanks from the other. */
  merge(primaryId: string, mergedId: string, ts: number): CrmRecord | undefined {
    const primary = this.get(primaryId);
    const merged = this.get(mergedId);
    if (!primary || !merged || primary.id === merged.id) return undefined;
    const fill: Record<string, string> = {};
    for (const k of merged.names()) {
      if (primary.get(k) === undefined && !this.isSystemProperty(k)) fill[k] = merged.get(k) as string;
    }
    fill.hs_merged_object_ids = [primary.get('hs_merged_object_ids'), merged.get('hs_merged_object_ids'), merged.id].filter(Boolean).join(';');
    this.removeLive(merged);
    this.indexWrite(merged.id, null);
    this.mergedInto.set(merged.id, primary.id);
    return this.update(primary.id, fill, ts, true)?.record;
  }

  /** A page of live records in id order, starting at the first id >= `after`. */
  page(after: number, limit: number): { records: CrmRecord[]; nextAfter?: number } {
    let i = lowerBound(this.idOrder, after);
    const records: CrmRecord[] = [];
    while (i < this.idOrder.length && records.length < limit) {
      const r = this.live.get(String(this.idOrder[i]));
      if (r) records.push(r);
      i++;
    }
    const nextId = this.idOrder[i];
    return nextId === undefined ? { records } : { records, nextAfter: nextId };
  }

  archivedPage(after: number, limit: number): { records: CrmRecord[]; nextAfter?: number } {
    const all = [...this.archived.values()].sort((a, b) => a.idNum - b.idNum).filter((r) => r.idNum >= after);
    const records = all.slice(0, limit);
    const next = all[limit];
    return next ? { records, nextAfter: next.idNum } : { records };
  }

  /** Moves index writes whose delay has passed into the search index. */
  flushPending(now = this.clock()): void {
    while (this.pendingHead < this.pending.length) {
      const p = this.pending[this.pendingHead] as PendingIndexWrite;
      if (p.visibleAt > now) break;
      if (p.record) this.searchIndex.upsert(p.record);
      else this.searchIndex.remove(p.id);
      this.pendingHead++;
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  isSystemProperty(name: string): boolean {
    return name === 'hs_object_id' || name === this.info.createdProperty || this.info.modifiedProperties.includes(name);
  }

  private build(values: Record<string, string>, ts: number, opts: { id?: number; createdAt?: number; updatedAt?: number }): CrmRecord {
    const idNum = opts.id ?? this.nextId;
    if (this.live.has(String(idNum)) || this.archived.has(String(idNum))) throw new Error(`${this.info.label} ${idNum} already exists`);
    this.nextId = Math.max(this.nextId, idNum + 1);
    const createdAt = opts.createdAt ?? parseTime(values[this.info.createdProperty]) ?? ts;
    const updatedAt = opts.updatedAt ?? ts;
    const properties: Record<string, string> = { ...values };
    properties.hs_object_id = String(idNum);
    properties[this.info.createdProperty] = new Date(createdAt).toISOString();
    const stamp = new Date(updatedAt).toISOString();
    for (const p of this.info.modifiedProperties) properties[p] = stamp;
    return CrmRecord.create(this.objectType, idNum, this.slots, properties, createdAt, updatedAt);
  }

  private insertLive(record: CrmRecord): void {
    this.live.set(record.id, record);
    const last = this.idOrder[this.idOrder.length - 1];
    if (last === undefined || last < record.idNum) this.idOrder.push(record.idNum);
    else this.idOrder.splice(lowerBound(this.idOrder, record.idNum), 0, record.idNum);
    this.updateUnique(undefined, record);
  }

  private removeLive(record: CrmRecord): void {
    this.live.delete(record.id);
    const i = lowerBound(this.idOrder, record.idNum);
    if (this.idOrder[i] === record.idNum) this.idOrder.splice(i, 1);
    this.updateUnique(record, undefined);
  }

  private updateUnique(before: CrmRecord | undefined, after: CrmRecord | undefined): void {
    for (const [prop, index] of this.unique) {
      const oldValue = before?.get(prop)?.toLowerCase();
      const newValue = after?.get(prop)?.toLowerCase();
      if (oldValue === newValue && before?.id === after?.id) continue;
      if (oldValue !== undefined && index.get(oldValue) === before?.id) index.delete(oldValue);
      if (newValue !== undefined && after) index.set(newValue, after.id);
    }
  }

  private indexWrite(id: string, record: CrmRecord | null): void {
    const delay = this.indexDelayMs();
    if (delay <= 0 && this.pendingHead >= this.pending.length) {
      if (record) this.searchIndex.upsert(record);
      else this.searchIndex.remove(id);
      return;
    }
    this.pending.push({ visibleAt: this.clock() + delay, id, record });
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Epoch ms from an ISO string or an epoch-ms string; undefined when absent or unreadable. */
export function parseTime(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (/^-?\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
