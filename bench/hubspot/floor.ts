/**
 * What HubSpot's limits allow for a backfill, and how close a run came to it.
 *
 * The work of a backfill at the fewest requests: read every contact by search at 200 a page (the
 * search budget, 5 per second, which does not count against the ten-secondly one), write every score
 * by batch update at 100 a request, plus the set-up requests (the property group and the seven
 * properties) on the general budget (110 per rolling 10 s = 11 per second). Reads and writes can run
 * side by side, so the floor is the slower of the two budgets:
 *
 *   floor = max(searchPages / 5, (writes + other general requests) / 11)   seconds
 *
 * The rolling window lets the first 110 general requests through at once; at 10,000 contacts that
 * burst covers a good part of the work, so the steady-state floor above is a little pessimistic for
 * small runs and exact for large ones.
 */
import { ROUTES, type TimelineEntry } from './sandbox-host';

/** The aims: a backfill within 1.2x of the floor; webhook -> write-back p95 under 3 s. */
export const TARGET_RATIO = 1.2;
export const TARGET_P95_MS = 3_000;

export const SEARCH_PAGE = 200;
export const BATCH = 100;

export interface Budgets {
  /** General requests per second (per 10 s / 10). */
  generalPerSecond: number;
  searchPerSecond: number;
}
export const HUBSPOT_BUDGETS: Budgets = { generalPerSecond: 11, searchPerSecond: 5 };
/** The connector's own budgets (connectors/hubspot/options.ts: 100 per 10 s, 4 searches per second). */
export const CONNECTOR_DEFAULT_BUDGETS: Budgets = { generalPerSecond: 10, searchPerSecond: 4 };

export interface Floor {
  searchPages: number;
  writes: number;
  otherGeneral: number;
  searchSeconds: number;
  generalSeconds: number;
  seconds: number;
  boundBy: 'search' | 'general';
}

/** The floor for `contacts` under `budgets`; `searchTakesGeneral` counts every search on the general budget too (what the connector's limiter does). */
export function floorFor(contacts: number, otherGeneral: number, budgets: Budgets, searchTakesGeneral = false): Floor {
  const searchPages = Math.ceil(contacts / SEARCH_PAGE);
  const writes = Math.ceil(contacts / BATCH);
  const searchSeconds = searchPages / budgets.searchPerSecond;
  const generalSeconds = (writes + otherGeneral + (searchTakesGeneral ? searchPages : 0)) / budgets.generalPerSecond;
  return { searchPages, writes, otherGeneral, searchSeconds, generalSeconds, seconds: Math.max(searchSeconds, generalSeconds), boundBy: searchSeconds >= generalSeconds ? 'search' : 'general' };
}

export interface Pacing {
  search: { requests: number; rateLimited: number; perSecond: number; maxIn1s: number; gapP50Ms: number; gapP95Ms: number; gapMaxMs: number; stallsOver2s: number };
  general: { requests: number; rateLimited: number; perSecond: number; maxIn10s: number };
  byRoute: Record<string, number>;
  writesRecords: number;
  firstRequestAt: number;
  firstSearchAt: number;
  lastSearchAt: number;
  lastWriteAt: number;
}

/** Request pacing of one portal's backfill from the sandbox timeline. */
export function pacingOf(entries: readonly TimelineEntry[], elapsedSeconds: number): Pacing {
  const search = entries.filter((e) => e.route === ROUTES.search);
  const general = entries.filter((e) => e.route !== ROUTES.search);
  const byRoute: Record<string, number> = {};
  for (const e of entries) byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
  const searchOk = search.filter((e) => e.status !== 429).map((e) => e.at);
  const generalOk = general.filter((e) => e.status !== 429).map((e) => e.at);
  const gaps: number[] = [];
  for (let i = 1; i < searchOk.length; i++) gaps.push(searchOk[i]! - searchOk[i - 1]!);
  gaps.sort((a, b) => a - b);
  const pct = (p: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.ceil(p * gaps.length) - 1)]! : 0);
  const writes = entries.filter((e) => e.route === ROUTES.batchUpdate && e.status !== 429);
  return {
    search: {
      requests: search.length,
      rateLimited: search.length - searchOk.length,
      perSecond: search.length / elapsedSeconds,
      maxIn1s: maxInWindow(searchOk, 1_000),
      gapP50Ms: pct(0.5),
      gapP95Ms: pct(0.95),
      gapMaxMs: gaps.length ? gaps[gaps.length - 1]! : 0,
      stallsOver2s: gaps.filter((g) => g > 2_000).length,
    },
    general: { requests: general.length, rateLimited: general.length - generalOk.length, perSecond: general.length / elapsedSeconds, maxIn10s: maxInWindow(generalOk, 10_000) },
    byRoute,
    writesRecords: writes.reduce((n, e) => n + e.records, 0),
    firstRequestAt: entries[0]?.at ?? 0,
    firstSearchAt: search[0]?.at ?? 0,
    lastSearchAt: search[search.length - 1]?.at ?? 0,
    lastWriteAt: writes[writes.length - 1]?.at ?? 0,
  };
}

/** Most events in any window of `ms` (times sorted ascending). */
function maxInWindow(times: readonly number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
