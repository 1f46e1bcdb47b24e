import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { PollCursor } from '../types';

/**
 * Where a Salesforce poll of one object type stands. Records are read in `(SystemModstamp, Id)`
 * order; every record before `(ts, id)` has been read.
 * - `phase`: `full` (the first pass, from the epoch) or `incremental`.
 * - `caughtUp`: the last page reached the end. The next pass re-reads from `pollOverlapMs` before
 *   the time that page was queried (`queriedAt`), so that a record a long transaction committed late,
 *   with an earlier SystemModstamp, is still read; when nothing changed since, it reads nothing again.
 * - `recent`: `<Id>@<SystemModstamp ms>` of records read within the overlap window; re-read with the
 *   same SystemModstamp they are dropped (nothing changed), before their events are fetched.
 * - `deletedUntil`: deletions (`/sobjects/{type}/deleted`) are read up to this time (epoch ms).
 */
export const salesforcePollCursor = z.object({
  v: z.literal(1),
  phase: z.enum(['full', 'incremental']),
  ts: z.number().int().nonnegative(),
  id: z.string(),
  caughtUp: z.boolean(),
  recent: z.array(z.string()),
  deletedUntil: z.number().int().nonnegative(),
  /** When the last page was queried (epoch ms); absent in cursors written before it existed. */
  queriedAt: z.number().int().nonnegative().optional(),
});
export type SalesforcePollCursor = z.infer<typeof salesforcePollCursor>;

/** The start of a full pass; deletions before it do not matter (the pass reads what exists). */
export function fullPassCursor(now: number): SalesforcePollCursor {
  return { v: 1, phase: 'full', ts: 0, id: '', caughtUp: false, recent: [], deletedUntil: now };
}

export function readCursor(cursor: PollCursor, tenant: string): SalesforcePollCursor {
  const parsed = salesforcePollCursor.safeParse(cursor);
  if (!parsed.success) {
    throw new CrmError(`the saved Salesforce poll cursor of ${tenant} is not one this connector wrote; start a full pass (cursor null)`, 'INVALID_REQUEST', false, {
      crm: 'salesforce',
      tenant,
    });
  }
  return parsed.data;
}

export function toPollCursor(c: SalesforcePollCursor): PollCursor {
  const out: PollCursor = { v: c.v, phase: c.phase, ts: c.ts, id: c.id, caughtUp: c.caughtUp, recent: [...c.recent], deletedUntil: c.deletedUntil };
  if (c.queriedAt !== undefined) out.queriedAt = c.queriedAt;
  return out;
}
