/**
 * Query cursors behind `nextRecordsUrl`: the matched rows as they were when the query ran, paged
 * by `…/query/<locator>-<offset>`. A cursor closes after its last page and expires after 15
 * minutes without use; a user has at most 10 open, and opening an 11th closes the oldest, as at
 * Salesforce. An unknown, closed or expired locator is INVALID_QUERY_LOCATOR.
 */
import type { QueryRun } from './execute';

export interface Cursor {
  locator: string;
  orgId: string;
  userId: string;
  run: QueryRun;
  tooling: boolean;
  lastUsed: number;
}

export class CursorStore {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = 15 * 60_000,
    private readonly maxPerUser = 10,
  ) {}

  open(cursor: Cursor): void {
    this.sweep();
    const mine = [...this.cursors.values()].filter((c) => c.orgId === cursor.orgId && c.userId === cursor.userId);
    while (mine.length >= this.maxPerUser) this.cursors.delete((mine.shift() as Cursor).locator);
    this.cursors.set(cursor.locator, cursor);
  }

  get(locator: string, orgId: string): Cursor | undefined {
    const c = this.cursors.get(locator);
    if (!c || c.orgId !== orgId) return undefined;
    if (this.clock() - c.lastUsed > this.ttlMs) {
      this.cursors.delete(locator);
      return undefined;
    }
    c.lastUsed = this.clock();
    return c;
  }

  close(locator: string): void {
    this.cursors.delete(locator);
  }

  /** Open cursors (for tests). */
  get size(): number {
    this.sweep();
    return this.cursors.size;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [k, c] of this.cursors) if (now - c.lastUsed > this.ttlMs) this.cursors.delete(k);
  }
}
