/**
 * What a CRM search sees: the records ordered by (last modified, id). Writes append (their time is
 * the newest), and an overwritten entry is only marked dead and skipped, so a write costs O(1)
 * amortized and a range lookup O(log n). Dead entries are swept out once they are half the array.
 */
import type { CrmRecord } from './crm-record';

export interface IndexEntry {
  readonly ts: number;
  readonly idNum: number;
  readonly record: CrmRecord;
  live: boolean;
}

export class ModifiedIndex {
  private entries: IndexEntry[] = [];
  private readonly current = new Map<string, IndexEntry>();
  private dead = 0;

  get size(): number {
    return this.current.size;
  }

  get(id: string): CrmRecord | undefined {
    return this.current.get(id)?.record;
  }

  upsert(record: CrmRecord): void {
    this.remove(record.id);
    const entry: IndexEntry = { ts: record.updatedAt, idNum: record.idNum, record, live: true };
    const last = this.entries[this.entries.length - 1];
    if (!last || compare(last.ts, last.idNum, entry.ts, entry.idNum) <= 0) this.entries.push(entry);
    else this.entries.splice(this.lowerBound(entry.ts, entry.idNum), 0, entry);
    this.current.set(record.id, entry);
  }

  remove(id: string): void {
    const old = this.current.get(id);
    if (!old) return;
    old.live = false;
    this.current.delete(id);
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.entries.length) {
      this.entries = this.entries.filter((e) => e.live);
      this.dead = 0;
    }
  }

  /** Replaces everything at once, sorting once (seeding uses this). */
  rebuild(records: Iterable<CrmRecord>): void {
    this.current.clear();
    this.entries = [];
    for (const record of records) {
      const entry: IndexEntry = { ts: record.updatedAt, idNum: record.idNum, record, live: true };
      this.entries.push(entry);
      this.current.set(record.id, entry);
    }
    this.entries.sort((a, b) => compare(a.ts, a.idNum, b.ts, b.idNum));
    this.dead = 0;
  }

  /** Position of the first entry at or after (ts, idNum). */
  lowerBound(ts: number, idNum = -Infinity): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid] as IndexEntry;
      if (compare(e.ts, e.idNum, ts, idNum) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Live records with `fromTs <= ts <= toTs`, in (ts, id) order, or reversed. */
  *range(fromTs: number, toTs: number, descending: boolean): Generator<CrmRecord> {
    const start = this.lowerBound(fromTs);
    const end = this.lowerBound(toTs, Infinity);
    if (!descending) {
      for (let i = start; i < end; i++) {
        const e = this.entries[i] as IndexEntry;
        if (e.live) yield e.record;
      }
    } else {
      for (let i = end - 1; i >= start; i--) {
        const e = this.entries[i] as IndexEntry;
        if (e.live) yield e.record;
      }
    }
  }

  *all(): Generator<CrmRecord> {
    yield* this.range(-Infinity, Infinity, false);
  }
}

function compare(aTs: number, aId: number, bTs: number, bId: number): number {
  return aTs !== bTs ? aTs - bTs : aId - bId;
}
