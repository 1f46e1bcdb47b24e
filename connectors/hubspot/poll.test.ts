import nock from 'nock';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import type { PollCursor } from '../types';
import { createHubSpotConnector } from './index';

const API = TEST_ENV.HUBSPOT_API_BASE_URL;
const SEARCH = '/crm/v3/objects/contacts/search';
const NOW = Date.parse('2026-11-02T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

type SearchBody = { filterGroups: { filters: { propertyName: string; operator: string; value: string }[] }[]; sorts: unknown[]; limit: number; properties: string[] };

let h: Harness;
let tenant: string;
beforeEach(async () => {
  h = hubspotHarness({}, { clock: () => NOW });
  nock.disableNetConnect();
  tenant = await h.install(1001, { accessToken: 'at', refreshToken: 'rt', expiresAt: NOW + 3_600_000 });
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

/** Answers one search with contacts at the given lastmodifieddate times (ids from 1). */
function answer(times: number[], firstId = 1): { body: () => SearchBody } {
  let body: SearchBody | undefined;
  nock(API)
    .post(SEARCH)
    .reply((_u, b) => {
      body = b as SearchBody;
      return [200, { total: times.length, results: times.map((t, i) => ({ id: String(firstId + i), properties: { lastmodifieddate: iso(t), email: `c${firstId + i}@x.example` }, createdAt: iso(t), updatedAt: iso(t), archived: false })) }];
    });
  return { body: () => body! };
}

it('starts the full pass at 0, bounded by its start minus the settle delay, sorted by lastmodifieddate ascending, 200 a page', async () => {
  const connector = createHubSpotConnector(h.ctx, { settleDelayMs: 5000 });
  const s = answer([NOW - 9000, NOW - 8000]);
  const page = await connector.pollPage(tenant, 'contact', null);
  expect(s.body()).toMatchObject({
    filterGroups: [
      {
        filters: [
          { propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' },
          { propertyName: 'lastmodifieddate', operator: 'LTE', value: String(NOW - 5000) },
        ],
      },
    ],
    sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
    limit: 200,
  });
  expect(s.body().properties).toEqual(expect.arrayContaining(['lastmodifieddate', 'email', 'hubspot_owner_id', 'lead_score', 'jobtitle']));
  // a short page ends the full pass; the cursor is plain JSON and goes on incrementally from the last time seen
  expect(page.done).toBe(true);
  expect(page.records.map((r) => r.id)).toEqual(['1', '2']);
  expect(page.cursor).toEqual({ v: 1, phase: 'incremental', ts: NOW - 8000, ids: ['2'], until: null, afterId: null });
});

it('re-anchors a full page on its last timestamp, remembering the ids read at it', async () => {
  const connector = createHubSpotConnector(h.ctx, { searchPageSize: 4 });
  answer([100, 200, 300, 300]);
  const first = await connector.pollPage(tenant, 'contact', null);
  expect(first.done).toBe(false);
  expect(first.cursor).toMatchObject({ phase: 'full', ts: 300, ids: ['3', '4'] });

  const s = answer([300, 300, 300, 400], 3); // ids 3 and 4 again, then 5 and 6
  const second = await connector.pollPage(tenant, 'contact', first.cursor);
  expect(s.body().filterGroups[0]!.filters[0]).toEqual({ propertyName: 'lastmodifieddate', operator: 'GTE', value: '300' });
  expect(second.records.map((r) => r.id)).toEqual(['5', '6']);
  expect(second.cursor).toMatchObject({ ts: 400, ids: ['6'] });
});

it('walks a page-full of one timestamp by id, then carries on after it', async () => {
  const connector = createHubSpotConnector(h.ctx, { searchPageSize: 3 });
  const cursor: PollCursor = { v: 1, phase: 'full', ts: 500, ids: ['1'], until: NOW, afterId: null };
  answer([500, 500, 500]); // ids 1..3: the whole page at one time
  const eq = answer([500, 500, 500], 1);
  const page = await connector.pollPage(tenant, 'contact', cursor);
  expect(eq.body().filterGroups[0]!.filters).toEqual([
    { propertyName: 'lastmodifieddate', operator: 'EQ', value: '500' },
    { propertyName: 'hs_object_id', operator: 'GT', value: '0' },
  ]);
  expect(eq.body().sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
  expect(page.records.map((r) => r.id)).toEqual(['2', '3']);
  expect(page.cursor).toMatchObject({ ts: 500, afterId: '3' });

  const last = answer([500], 4);
  const next = await connector.pollPage(tenant, 'contact', page.cursor);
  expect(last.body().filterGroups[0]!.filters[1]).toEqual({ propertyName: 'hs_object_id', operator: 'GT', value: '3' });
  expect(next.records.map((r) => r.id)).toEqual(['4']);
  expect(next.cursor).toMatchObject({ phase: 'full', ts: 501, ids: [], afterId: null });
  expect(next.done).toBe(false);
});
