import { z } from 'zod';
import { pollCursorCodec } from '../shared/poll-cursor-codec';

/**
 * Where a HubSpot poll stands. Every contact whose `lastmodifieddate` is before `ts` has been read,
 * and so have the contacts at exactly `ts` listed in `ids`.
 * - `phase`: `full` (the first pass, bounded above by `until`) or `incremental` (bounded by now minus
 *   the settle delay).
 * - `afterId`: set while the poll walks one timestamp shared by more contacts than a page holds: the
 *   contacts at `ts` are then read in id order, after this id.
 */
export const hubspotPollCursor = z.object({
  v: z.literal(1),
  phase: z.enum(['full', 'incremental']),
  ts: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  until: z.number().int().nullable(),
  afterId: z.string().nullable(),
});
export type HubSpotPollCursor = z.infer<typeof hubspotPollCursor>;

/** The start of a full pass that reads every contact last modified up to `until`. */
export function fullPassCursor(until: number): HubSpotPollCursor {
  return { v: 1, phase: 'full', ts: 0, ids: [], until, afterId: null };
}

const codec = pollCursorCodec(hubspotPollCursor, 'hubspot', 'HubSpot');

/** The saved cursor, checked: a cursor this connector did not write is refused. */
export const readCursor = codec.read;
/** The cursor as it is saved. */
export const toPollCursor = codec.write;
