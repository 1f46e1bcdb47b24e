import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { PollCursor, PollPage } from '../types';
import type { HubSpotClients } from './client';
import type { HubSpotMapping } from './mapping';
import type { ResolvedOptions } from './options';
import { fullPassCursor, readCursor, toPollCursor, type HubSpotPollCursor } from './poll-cursor';
import { contactToRecord, hubspotContact, lastModifiedOf, propertiesToRequest, type HubSpotContact } from './to-lead';

const LAST_MODIFIED = 'lastmodifieddate';
const OBJECT_ID = 'hs_object_id';

const searchResponse = z.object({ results: z.array(hubspotContact).default([]) });

interface Filter {
  propertyName: string;
  operator: 'EQ' | 'GT' | 'GTE' | 'LTE';
  value: string;
}

export interface PollDeps {
  clients: HubSpotClients;
  mapping: HubSpotMapping;
  options: ResolvedOptions;
  clock: () => number;
}

/**
 * One page of the contact poll. The full pass and the incremental passes are the same walk: search
 * contacts by `lastmodifieddate` ascending from the cursor's timestamp, and re-anchor the next query
 * on the last timestamp seen (skipping the ids already read at exactly that time) instead of paging
 * with `after`. A fresh query per page never meets the 10,000-result cap, and stays correct while
 * our own score writes move contacts to the end of the sort order. The full pass stops at `until`
 * (its start, minus the settle delay), so contacts written during the pass are not read twice in it;
 * incremental passes stop at now minus the settle delay (HubSpot indexes writes for search with a
 * delay) and are `done` when a page comes back short. When more contacts share one timestamp than a
 * page holds, that timestamp is walked in id order (`hs_object_id GT afterId`), which, unlike an
 * `after` offset, skips nothing when our writes move some of them away meanwhile.
 */
export async function pollContacts(deps: PollDeps, tenant: string, cursor: PollCursor | null, signal?: AbortSignal): Promise<PollPage> {
  const c = cursor ? readCursor(cursor, tenant) : fullPassCursor(deps.clock() - deps.options.settleDelayMs);
  const upper = c.phase === 'full' ? (c.until ?? 0) : deps.clock() - deps.options.settleDelayMs;
  if (c.afterId !== null) return sameTimestampPage(deps, tenant, c, signal);
  if (upper < c.ts) return finishRange(deps, tenant, c, []);

  const page = await search(
    deps,
    tenant,
    [
      { propertyName: LAST_MODIFIED, operator: 'GTE', value: String(c.ts) },
      { propertyName: LAST_MODIFIED, operator: 'LTE', value: String(upper) },
    ],
    LAST_MODIFIED,
    signal,
  );
  const size = deps.options.searchPageSize;
  if (page.length < size) return finishRange(deps, tenant, c, page);

  const first = page[0]!.ts;
  const last = page[page.length - 1]!.ts;
  if (first === last) {
    // a whole page at one timestamp: walk that timestamp by id
    return sameTimestampPage(deps, tenant, { ...c, ts: last, ids: last === c.ts ? c.ids : [], afterId: '0' }, signal);
  }
  const next: HubSpotPollCursor = { ...c, ts: last, ids: page.filter((r) => r.ts === last).map((r) => r.contact.id) };
  return result(deps, tenant, unseen(page, c), next, false);
}

/** The range query came back short: everything up to the upper bound is read. */
function finishRange(deps: PollDeps, tenant: string, c: HubSpotPollCursor, page: Hit[]): PollPage {
  const last = page.length ? page[page.length - 1]!.ts : c.ts;
  const atLast = page.filter((r) => r.ts === last).map((r) => r.contact.id);
  const ids = last === c.ts ? [...new Set([...c.ids, ...atLast])] : atLast;
  const next: HubSpotPollCursor = c.phase === 'full' ? { v: 1, phase: 'incremental', ts: last, ids, until: null, afterId: null } : { ...c, ts: last, ids };
  return result(deps, tenant, unseen(page, c), next, true);
}

/** Contacts at exactly `c.ts`, in id order after `c.afterId`. */
async function sameTimestampPage(deps: PollDeps, tenant: string, c: HubSpotPollCursor, signal?: AbortSignal): Promise<PollPage> {
  const page = await search(
    deps,
    tenant,
    [
      { propertyName: LAST_MODIFIED, operator: 'EQ', value: String(c.ts) },
      { propertyName: OBJECT_ID, operator: 'GT', value: c.afterId ?? '0' },
    ],
    OBJECT_ID,
    signal,
  );
  const fresh = page.filter((r) => !c.ids.includes(r.contact.id));
  if (page.length < deps.options.searchPageSize) {
    // every contact at this timestamp is read: carry on strictly after it
    return result(deps, tenant, fresh, { ...c, ts: c.ts + 1, ids: [], afterId: null }, false);
  }
  return result(deps, tenant, fresh, { ...c, afterId: page[page.length - 1]!.contact.id }, false);
}

interface Hit {
  contact: HubSpotContact;
  ts: number;
}

function unseen(page: Hit[], c: HubSpotPollCursor): Hit[] {
  return page.filter((r) => !(r.ts === c.ts && c.ids.includes(r.contact.id)));
}

function result(deps: PollDeps, tenant: string, hits: Hit[], next: HubSpotPollCursor, done: boolean): PollPage {
  return { records: hits.map((h) => contactToRecord(tenant, h.contact, deps.mapping)), deleted: [], cursor: toPollCursor(next), done };
}

async function search(deps: PollDeps, tenant: string, filters: Filter[], sortBy: string, signal?: AbortSignal): Promise<Hit[]> {
  const request = {
    filterGroups: [{ filters }],
    // HubSpot takes sorts as {propertyName, direction}; the SDK's model types them as strings
    sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }] as unknown as string[],
    properties: propertiesToRequest(deps.mapping),
    limit: deps.options.searchPageSize,
  };
  const raw = await deps.clients.call(tenant, 'search', (c) => c.crm.contacts.searchApi.doSearch(request as Parameters<typeof c.crm.contacts.searchApi.doSearch>[0]), signal);
  const parsed = searchResponse.safeParse(raw);
  if (!parsed.success) {
    throw new CrmError(`HubSpot's search answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  }
  const sinceTs = Number(filters[0]?.value ?? 0);
  return parsed.data.results.map((contact) => ({ contact, ts: lastModifiedOf(contact) ?? sinceTs }));
}
