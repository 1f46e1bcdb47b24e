/**
 * The rows of one sObject type in one org, with the indexes queries need:
 * - id order (ids grow with creation, so insertion order is id order),
 * - (SystemModstamp, Id) order, for the poll query `WHERE SystemModstamp > … ORDER BY SystemModstamp, Id`,
 * - equality indexes on lookup fields (`LeadId`, `WhoId`, …), built on first use and kept up to date.
 * Rows are immutable: a write replaces the row, so a query cursor holding rows is a snapshot.
 * Deleted rows stay (IsDeleted = true) until purged, for queryAll.
 */
import type { FieldValue } from '../schema/field';

export type Row = Readonly<Record<string, FieldValue>>;

interface StampEntry {
  ts: number;
  id: string;
  row: Row;
  live: boolean;
}

export class Table {
  private readonly rows = new Map<string, Row>();
  private idOrder: string[] = [];
  private stamps: StampEntry[] = [];
  private readonly stampOf = new Map<string, StampEntry>();
  private deadStamps = 0;
  private needsSort = false;
  private readonly refIndexes = new Map<string, Map<string, Set<string>>>();
  private liveRows = 0;

  constructor(readonly type: string) {}

  get size(): number {
    return this.liveRows;
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** All rows (deleted ones too) in id order. */
  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Inserts or replaces a row (its `Id` must be set). */
  put(row: Row): void {
    const id = row.Id as string;
    const old = this.rows.get(id);
    if (!old) {
      const last = this.idOrder[this.idOrder.length - 1];
      this.idOrder.push(id);
      if (last !== undefined && last > id) this.idOrder.sort();
    }
    if (!old || old.IsDeleted) {
      if (!row.IsDeleted) this.liveRows++;
    } else if (row.IsDeleted) this.liveRows--;
    this.rows.set(id, row);
    this.indexStamp(id, row);
    for (const [field, index] of this.refIndexes) {
      const before = old?.[field];
      const after = row[field];
      if (before === after) continue;
      if (typeof before === 'string') index.get(before)?.delete(id);
      if (typeof after === 'string') addTo(index, after, id);
    }
  }

  /** Forgets a row for good (after the recycle bin keeps it no longer). */
  purge(id: string): void {
    const old = this.rows.get(id);
    if (!old) return;
    if (!old.IsDeleted) this.liveRows--;
    this.rows.delete(id);
    this.killStamp(id);
    for (const [field, index] of this.refIndexes) {
      const v = old[field];
      if (typeof v === 'string') index.get(v)?.delete(id);
    }
  }

  /** Rows in id order from the first id at or after `fromId` (exclusive when `exclusive`). */
  *fromId(fromId: string | undefined, exclusive: boolean): Generator<Row> {
    let start = 0;
    if (fromId !== undefined) {
      let lo = 0;
      let hi = this.idOrder.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.idOrder[mid] as string;
        if (v < fromId || (exclusive && v === fromId)) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    let misses = 0;
    for (let i = start; i < this.idOrder.length; i++) {
      const row = this.rows.get(this.idOrder[i] as string);
      if (row) yield row;
      else misses++;
    }
    if (misses > 1024 && misses * 2 > this.idOrder.length) this.idOrder = this.idOrder.filter((id) => this.rows.has(id));
  }

  /** Rows in (SystemModstamp, Id) order from the first stamp at or after `fromTs`. */
  *fromStamp(fromTs: number): Generator<Row> {
    if (this.needsSort) this.resortStamps();
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.stamps[mid] as StampEntry).ts < fromTs) lo = mid + 1;
      else hi = mid;
    }
    const entries = this.stamps;
    for (let i = lo; i < entries.length; i++) {
      const e = entries[i] as StampEntry;
      if (e.live) yield e.row;
    }
  }

  /** Ids of rows whose lookup `field` holds `value` (the index is built on first use). */
  idsWhere(field: string, value: string): ReadonlySet<string> {
    let index = this.refIndexes.get(field);
    if (!index) {
      index = new Map();
      for (const row of this.rows.values()) {
        const v = row[field];
        if (typeof v === 'string') addTo(index, v, row.Id as string);
      }
      this.refIndexes.set(field, index);
    }
    return index.get(value) ?? EMPTY;
  }

  private indexStamp(id: string, row: Row): void {
    const ts = row.SystemModstamp as number;
    const old = this.stampOf.get(id);
    if (old) {
      old.live = false;
      this.deadStamps++;
    }
    const entry: StampEntry = { ts, id, row, live: true };
    const last = this.stamps[this.stamps.length - 1];
    if (this.needsSort || !last || last.ts < ts || (last.ts === ts && last.id <= id)) this.stamps.push(entry);
    else if (last.ts === ts) this.stamps.splice(this.lowerBound(ts, id), 0, entry);
    else {
      // An older time (seeding history): sort once, before the next read.
      this.stamps.push(entry);
      this.needsSort = true;
    }
    this.stampOf.set(id, entry);
    if (this.deadStamps > 1024 && this.deadStamps * 2 > this.stamps.length) {
      this.stamps = this.stamps.filter((e) => e.live);
      this.deadStamps = 0;
    }
  }

  private killStamp(id: string): void {
    const old = this.stampOf.get(id);
    if (!old) return;
    old.live = false;
    this.deadStamps++;
    this.stampOf.delete(id);
  }

  private lowerBound(ts: number, id: string): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.stamps[mid] as StampEntry;
      if (e.ts < ts || (e.ts === ts && e.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rebuilds the stamp order in one sort (after seeding many rows with old times). */
  resortStamps(): void {
    this.needsSort = false;
    this.stamps = this.stamps.filter((e) => e.live);
    this.stamps.sort((a, b) => (a.ts !== b.ts ? a.ts - b.ts : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.deadStamps = 0;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}
