import { z } from 'zod';
import { pollCursorCodec } from '../shared/poll-cursor-codec';

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

const codec = pollCursorCodec(salesforcePollCursor, 'salesforce', 'Salesforce');

/** The saved cursor, checked: a cursor this connector did not write is refused. */
export const readCursor = codec.read;
/** The cursor as it is saved. */
export const toPollCursor = codec.write;
