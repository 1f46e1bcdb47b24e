/**
 * The connector against the local HubSpot sandbox, through the real SDK: setup, fetch, the poll
 * walk (full pass, re-anchoring, one timestamp shared by many contacts, our writes during the pass,
 * incremental passes) and the OAuth install.
 */
import express from 'express';
import request from 'supertest';
import { startHubSpotSandbox, type HubSpotSandbox, type Portal } from '../../sandbox/hubspot';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import type { CrmRecord, PollCursor, PollPage, ScoreWrite } from '../types';
import { createHubSpotConnector, type HubSpotConnector, type HubSpotConnectorOptions } from './index';

const APP = { clientId: TEST_ENV.HUBSPOT_CLIENT_ID, clientSecret: TEST_ENV.HUBSPOT_CLIENT_SECRET, appId: 424242 };

let sb: HubSpotSandbox;
let h: Harness;
let nextPortal = 5000;
beforeAll(async () => {
  sb = await startHubSpotSandbox({ ...APP, limits: { searchPerSecond: 50 } });
});
afterAll(() => sb.close());
beforeEach(() => {
  h = hubspotHarness({ HUBSPOT_API_BASE_URL: sb.url });
});
afterEach(() => h.cleanup());

/** A fresh sandbox portal installed in the connector with an OAuth token. */
async function installedPortal(options: HubSpotConnectorOptions = {}): Promise<{ portal: Portal; tenant: string; connector: HubSpotConnector }> {
  const portalId = ++nextPortal;
  const portal = sb.createPortal(portalId);
  const t = sb.issueToken(portalId);
  const tenant = await h.install(portalId, { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 });
  return { portal, tenant, connector: createHubSpotConnector(h.ctx, { searchLimitPerSecond: 40, ...options }) };
}

function scoreWrite(r: CrmRecord, score = 50): ScoreWrite {
  return { objectType: 'contact', id: r.id, values: { score, fit: 30, engagement: 20, tier: 'warm', reasons: '+30 Title\n+20 Visits', model: 'm1' }, changedAt: Date.now() };
}

/** Polls until `done`, optionally doing something with each page (like the pipeline's writes). */
async function pollAll(connector: HubSpotConnector, tenant: string, cursor: PollCursor | null, onPage?: (p: PollPage) => Promise<void>) {
  const reads: string[] = [];
  let pages = 0;
  for (;;) {
    const page = await connector.pollPage(tenant, 'contact', cursor);
    pages++;
    reads.push(...page.records.map((r) => r.id));
    // the cursor goes through JSON, as the pipeline saves it
    cursor = JSON.parse(JSON.stringify(page.cursor)) as PollCursor;
    if (onPage) await onPage(page);
    if (page.done) return { reads, cursor, pages };
    if (pages > 500) throw new Error('the poll does not end');
  }
}

const searches = (portalId: number) => sb.requestLog.filter((r) => r.portalId === portalId && r.route.endsWith('/search'));

describe('setupTenant', () => {
  it('creates the group and the seven properties with their types, and is idempotent', async () => {
    const { portal, tenant, connector } = await installedPortal();
    await connector.setupTenant(tenant);
    await connector.setupTenant(tenant);
    const props = portal.properties.contacts;
    expect(props.group('lead_scoring')).toMatchObject({ label: 'Lead scoring' });
    const shape = (name: string) => {
      const p = props.get(name);
      return p && { type: p.type, fieldType: p.fieldType, groupName: p.groupName };
    };
    expect(shape('lead_score')).toEqual({ type: 'number', fieldType: 'number', groupName: 'lead_scoring' });
    expect(shape('lead_score_fit')).toEqual({ type: 'number', fieldType: 'number', groupName: 'lead_scoring' });
    expect(shape('lead_score_engagement')).toEqual({ type: 'number', fieldType: 'number', groupName: 'lead_scoring' });
    expect(shape('lead_score_tier')).toEqual({ type: 'enumeration', fieldType: 'select', groupName: 'lead_scoring' });
    expect(props.get('lead_score_tier')?.options.map((o) => o.value)).toEqual(['hot', 'warm', 'cold']);
    expect(shape('lead_score_reasons')).toEqual({ type: 'string', fieldType: 'textarea', groupName: 'lead_scoring' });
    expect(shape('lead_score_model')).toEqual({ type: 'string', fieldType: 'text', groupName: 'lead_scoring' });
    expect(shape('lead_score_updated_at')).toEqual({ type: 'datetime', fieldType: 'date', groupName: 'lead_scoring' });
    expect(props.get('lead_score')?.label).toBe('Lead Score (0–100)');
  });

  it('reports a property that exists with the wrong type, and adds missing tier options', async () => {
    const { portal, tenant, connector } = await installedPortal();
    portal.defineProperty('contacts', { name: 'lead_score', type: 'string', fieldType: 'text' });
    portal.defineProperty('contacts', { name: 'lead_score_tier', type: 'enumeration', fieldType: 'select', options: [{ label: 'Hot', value: 'hot', displayOrder: 0, hidden: false }] });
    const err = (await connector.setupTenant(tenant).catch((e: unknown) => e)) as Error & { code: string; retryable: boolean };
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(err.message).toContain('"lead_score" exists as string/text but must be number/number');
    expect(portal.properties.contacts.get('lead_score_tier')?.options.map((o) => o.value)).toEqual(['hot', 'warm', 'cold']);
    expect(portal.properties.contacts.get('lead_score_fit')?.type).toBe('number');
  });
});

describe('fetchRecords', () => {
  it('reads contacts in batches of 100 and lists what HubSpot no longer has', async () => {
    const { portal, tenant, connector } = await installedPortal();
    const made = portal.seedContacts(230);
    const ids = made.map((r) => r.id);
    portal.deleteContact(ids[5]!);
    portal.mergeContacts(ids[10]!, ids[11]!);
    sb.clearRequestLog();
    const result = await connector.fetchRecords(tenant, 'contact', [...ids, '99999999']);
    const batchReads = sb.requestLog.filter((r) => r.route.endsWith('/batch/read'));
    expect(batchReads).toHaveLength(3);
    expect(result.missing.sort()).toEqual([ids[5]!, ids[11]!, '99999999'].sort());
    expect(result.records).toHaveLength(228);
    const one = result.records.find((r) => r.id === ids[0]);
    expect(one?.lead.attributes.email).toBe(made[0]!.get('email')?.toLowerCase());
    expect(one?.modifiedAt).toBe(made[0]!.updatedAt);
  });

  it('writes scores that come back as `current`', async () => {
    const { portal, tenant, connector } = await installedPortal();
    await connector.setupTenant(tenant);
    const [a, b] = portal.seedContacts(2);
    const fetched = await connector.fetchRecords(tenant, 'contact', [a!.id, b!.id]);
    const outcomes = await connector.writeScores(tenant, [scoreWrite(fetched.records[0]!, 77)]);
    expect(outcomes).toEqual([{ objectType: 'contact', id: fetched.records[0]!.id, ok: true }]);
    const again = await connector.fetchRecords(tenant, 'contact', [fetched.records[0]!.id]);
    expect(again.records[0]!.current).toEqual({ score: 77, fit: 30, engagement: 20, tier: 'warm', reasons: '+30 Title\n+20 Visits', model: 'm1' });
    expect(portal.getContact(fetched.records[0]!.id)?.get('lead_score_updated_at')).toBeDefined();
  });
});

describe('pollPage', () => {
  it('walks 1,000 contacts once, re-anchoring every page, while our writes move them past the end', async () => {
    const { portal, tenant, connector } = await installedPortal({ settleDelayMs: 0 });
    await connector.setupTenant(tenant);
    const all = portal.seedContacts(1000).map((r) => r.id);
    sb.clearRequestLog();
    const full = await pollAll(connector, tenant, null, async (page) => {
      // the pipeline scores and writes each page: each write bumps lastmodifieddate to now
      if (page.records.length) await connector.writeScores(tenant, page.records.map((r) => scoreWrite(r)));
    });
    expect(full.reads).toHaveLength(1000);
    expect(new Set(full.reads)).toEqual(new Set(all));
    expect(full.cursor).toMatchObject({ phase: 'incremental' });
    // every search was a fresh query: no offset paging, so no 10,000-result wall
    const bodies = searches(portal.portalId).map((r) => r.body as { after?: unknown; limit: number; sorts: unknown[] });
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    expect(bodies.every((b) => b.after === undefined && b.limit === 200)).toBe(true);
    expect(bodies[0]!.sorts).toEqual([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }]);

    // the first incremental pass sees our own writes of the full pass once (they changed the contacts)
    const inc1 = await pollAll(connector, tenant, full.cursor);
    expect(new Set(inc1.reads)).toEqual(new Set(all));
    expect(inc1.reads).toHaveLength(1000);

    // then only what changed
    await new Promise((r) => setTimeout(r, 5));
    portal.updateContact(all[3]!, { jobtitle: 'Chief Revenue Officer' });
    portal.updateContact(all[700]!, { hs_lead_status: 'IN_PROGRESS' });
    await new Promise((r) => setTimeout(r, 20)); // (the sandbox's write stamps can run a ms or two ahead of the clock)
    const inc2 = await pollAll(connector, tenant, inc1.cursor);
    expect(inc2.reads.sort()).toEqual([all[3]!, all[700]!].sort());
    const inc3 = await pollAll(connector, tenant, inc2.cursor);
    expect(inc3.reads).toEqual([]);
    expect(inc3.pages).toBe(1);
  });

  it('walks a timestamp shared by more contacts than a page holds by id, skipping none', async () => {
    const { portal, tenant, connector } = await installedPortal({ settleDelayMs: 0 });
    await connector.setupTenant(tenant);
    const t = Date.now() - 3_600_000;
    const before = portal.seedContacts(Array.from({ length: 50 }, (_, i) => ({ email: `b${i}@x.example`, lastmodifieddate: String(t - 1000 + i) })), { bare: true });
    const same = portal.seedContacts(Array.from({ length: 450 }, (_, i) => ({ email: `s${i}@x.example`, lastmodifieddate: String(t) })), { bare: true });
    const after = portal.seedContacts(Array.from({ length: 50 }, (_, i) => ({ email: `a${i}@x.example`, lastmodifieddate: String(t + 1 + i) })), { bare: true });
    const expected = [...before, ...same, ...after].map((r) => r.id);
    sb.clearRequestLog();
    const full = await pollAll(connector, tenant, null, async (page) => {
      if (page.records.length) await connector.writeScores(tenant, page.records.map((r) => scoreWrite(r)));
    });
    expect(full.reads).toHaveLength(550);
    expect(new Set(full.reads)).toEqual(new Set(expected));
    const byId = searches(portal.portalId).filter((r) => JSON.stringify(r.body).includes('"hs_object_id"'));
    expect(byId.length).toBeGreaterThanOrEqual(2);
  });

  it('incremental passes stay a settle delay behind now', async () => {
    const { portal, tenant, connector } = await installedPortal({ settleDelayMs: 400 });
    portal.seedContacts(3);
    const full = await pollAll(connector, tenant, null);
    expect(full.reads).toHaveLength(3);
    const [c] = portal.seedContacts([{ email: 'late@x.example' }], { bare: true, now: Date.now() });
    portal.updateContact(c!.id, { jobtitle: 'CEO' });
    const early = await pollAll(connector, tenant, full.cursor);
    expect(early.reads).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    const later = await pollAll(connector, tenant, early.cursor);
    expect(later.reads).toEqual([c!.id]);
  });

  it('refuses a cursor it did not write', async () => {
    const { tenant, connector } = await installedPortal();
    await expect(connector.pollPage(tenant, 'contact', { page: 3 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('OAuth install', () => {
  it('installs a portal end to end: state, code exchange, portal id, properties, first sync', async () => {
    const portalId = ++nextPortal;
    sb.createPortal(portalId);
    const connector = createHubSpotConnector(h.ctx);
    const app = express().use(connector.router());
    const start = await request(app).get('/install/hubspot');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin + authorize.pathname).toBe(TEST_ENV.HUBSPOT_AUTHORIZE_URL);
    const state = authorize.searchParams.get('state')!;
    const back = new URL(sb.approveInstall(portalId, { redirectUri: authorize.searchParams.get('redirect_uri')!, state }));

    const done = await request(app).get(back.pathname + back.search);
    expect(done.status).toBe(200);
    expect(done.text).toContain(`Installed in portal ${portalId}`);
    expect(done.text).toContain('first full sync has started');
    const tenant = `hubspot:${portalId}`;
    await expect(h.installations.get(tenant)).resolves.toMatchObject({ status: 'active', crm: 'hubspot', meta: { portalId: String(portalId), appKind: 'oauth' } });
    const tokens = await h.installations.getTokens(tenant);
    expect(tokens?.refreshToken).toBeTruthy();
    expect(tokens?.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
    expect(done.text).not.toContain(tokens!.accessToken);
    expect(sb.portal(portalId)?.properties.contacts.get('lead_score')?.type).toBe('number');
    expect(h.ingest.calls).toContainEqual({ op: 'startSync', tenant, objectTypes: ['contact'] });

    // the state was single-use
    const reused = await request(app).get(back.pathname + back.search);
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('not valid any more');
  });

  it('answers 400 without a state and 502 when HubSpot refuses the code', async () => {
    const app = express().use(createHubSpotConnector(h.ctx).router());
    expect((await request(app).get('/oauth/hubspot/callback?code=abc')).status).toBe(400);
    const start = await request(app).get('/install/hubspot');
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await request(app).get(`/oauth/hubspot/callback?code=not-a-code&state=${state}`);
    expect(res.status).toBe(502);
    expect(res.text).toContain('invalid_grant');
    expect(h.ingest.calls).toEqual([]);
  });
});
