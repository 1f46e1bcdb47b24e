/**
 * `POST /crm/v3/objects/{type}/search`. Page size up to 200; paging is an offset in `after`;
 * paging past the 10,000th result is a 400, while `paging.next` keeps pointing onwards like
 * HubSpot's does, so a client that follows it blindly hits the wall. At most 5 filter groups,
 * 6 filters per group and 18 filters in all.
 */
import type { SandboxResponse } from '../../shared/http-server';
import { validationError } from '../errors';
import { renderRecord, selectProperties } from '../render';
import { runSearch, type SearchPlan, type SearchSort } from '../search/run-search';
import { json, type RouteContext, type RouteDef } from './context';
import { objectTypeOf, portalOf, readScopes } from './object-helpers';
import { parseBody, SearchInput } from './request-input';

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;

export function searchRoutes(): RouteDef[] {
  return [{ method: 'POST', pattern: '/crm/v3/objects/:objectType/search', kind: 'search', scopes: readScopes(), handle: search }];
}

function search(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(SearchInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const input = parsed.value;
  const limit = input.limit ?? 10;
  if (limit > SEARCH_MAX_LIMIT) return validationError(`limit must be less than or equal to ${SEARCH_MAX_LIMIT}`, { context: { limit: [String(limit)] } });
  const after = input.after === undefined || input.after === '' ? 0 : Number(input.after);
  if (!Number.isInteger(after) || after < 0) return validationError(`after must be a non-negative integer offset, got ${String(input.after)}`);
  if (after + limit > SEARCH_MAX_RESULTS) {
    return validationError(`The search API can return at most ${SEARCH_MAX_RESULTS} results for a query; after + limit (${after + limit}) is past that. Narrow the query, for example on lastmodifieddate.`, {
      context: { after: [String(after)], limit: [String(limit)] },
    });
  }
  const groups = input.filterGroups ?? [];
  const filterCount = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.length > 5 || groups.some((g) => g.filters.length > 6) || filterCount > 18) {
    return validationError('Too many filters: a search takes at most 5 filterGroups, 6 filters in each and 18 filters in total.');
  }
  const plan: SearchPlan = { filterGroups: groups, sort: firstSort(input.sorts), query: input.query, limit, after };
  const portal = portalOf(ctx);
  const store = portal.stores[t.type];
  const outcome = runSearch(store, portal.properties[t.type], plan);
  const names = selectProperties(store.info, portal.properties[t.type], input.properties);
  const body: Record<string, unknown> = { total: outcome.total, results: outcome.records.map((r) => renderRecord(r, names)) };
  if (after + limit < outcome.total) body.paging = { next: { after: String(after + limit) } };
  return json(200, body);
}

/** Only one sort applies in a HubSpot search; `"-name"` or `{propertyName, direction}`. */
function firstSort(sorts: (string | { propertyName: string; direction?: 'ASCENDING' | 'DESCENDING' })[] | undefined): SearchSort | undefined {
  const s = sorts?.[0];
  if (s === undefined) return undefined;
  if (typeof s === 'string') return s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' } : { propertyName: s, direction: 'ASCENDING' };
  return { propertyName: s.propertyName, direction: s.direction ?? 'ASCENDING' };
}
