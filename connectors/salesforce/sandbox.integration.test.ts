/**
 * The Salesforce connector against the local Salesforce sandbox (sandbox/salesforce), which the
 * real jsforce talks to over HTTP: install with PKCE through the routes, fields and FLS created and
 * verified, backfill and polls, conversion, deletion, the assignment-rule trap, the API budget,
 * token rotation and Outbound Messages.
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { salesforceHarness, SF_ENV, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from '../../sandbox/salesforce';
import type { CrmRecord, PollCursor, ScoreWrite } from '../types';
import { createSalesforceConnector, type SalesforceConnector } from './index';
import type { SalesforceConnectorOptions } from './options';

const T0 = Date.parse('2026-11-22T10:00:00Z');

let now: number;
let sb: SalesforceSandbox;
let h: SalesforceHarness;
let org: SalesforceOrg;

beforeEach(async () => {
  now = T0;
  sb = await startSalesforceSandbox({ clientId: SF_ENV.SALESFORCE_CLIENT_ID, clientSecret: SF_ENV.SALESFORCE_CLIENT_SECRET, clock: () => now });
  h = salesforceHarness({ SALESFORCE_LOGIN_URL: sb.url }, { clock: () => now });
  org = sb.createOrg(makeOrgId(1));
});
afterEach(async () => {
  await sb.close();
  await h.cleanup();
});

/** Installs the org through the connector's own routes, as a browser would: install link, approval, callback. */
async function installThroughRoutes(connector: SalesforceConnector): Promise<string> {
  const app = express().use(connector.router());
  const start = await request(app).get('/install/salesforce');
  expect(start.status).toBe(302);
  const back = new URL(sb.approveInstall(org.id, { authorizeUrl: start.headers.location as string }));
  expect(`${back.origin}${back.pathname}`).toBe(`${SF_ENV.PUBLIC_URL}/oauth/salesforce/callback`);
  const done = await request(app).get(`/oauth/salesforce/callback${back.search}`);
  if (done.status !== 200) throw new Error(`install failed: ${done.status} ${done.text}`);
  return `salesforce:${org.id}`;
}

function connector(options: SalesforceConnectorOptions = {}): SalesforceConnector {
  return createSalesforceConnector(h.ctx, options);
}

/** Reads every page of a poll from `cursor` until it is done. */
async function pollAll(c: SalesforceConnector, tenant: string, type: string, cursor: PollCursor | null) {
  const records: CrmRecord[] = [];
  const deleted: string[] = [];
  let pages = 0;
  for (;;) {
    const page = await c.pollPage(tenant, type, cursor);
    pages++;
    records.push(...page.records);
    deleted.push(...page.deleted);
    cursor = page.cursor;
    if (page.done) return { records, deleted, cursor, pages };
    if (pages > 100) throw new Error('the poll does not end');
  }
}

function scoreWrite(record: CrmRecord, score: number): ScoreWrite {
  return { objectType: record.objectType, id: record.id, values: { score, fit: score, engagement: 0, tier: score >= 70 ? 'hot' : 'cold', reasons: `+${score} test`, model: 'test-model' }, changedAt: now };
}

describe('install', () => {
  it('installs with PKCE through the routes, creates the fields with FLS for the connector user, and verifies them by describe', async () => {
    const c = connector();
    const tenant = await installThroughRoutes(c);
    const inst = await h.installations.get(tenant);
    expect(inst).toMatchObject({ status: 'active', meta: { orgId: org.id, userId: org.adminUserId, instanceUrl: sb.url } });
    for (const type of ['Lead', 'Contact']) {
      const fields = ['Lead_Score__c', 'Lead_Score_Fit__c', 'Lead_Score_Engagement__c', 'Lead_Score_Tier__c', 'Lead_Score_Reasons__c', 'Lead_Score_Model__c', 'Lead_Score_Updated_At__c'];
      expect(org.customFields(type)).toEqual(expect.arrayContaining(fields.map((f) => `${type}.${f}`)));
      for (const f of fields) expect(org.fieldAccessOf(org.adminUserId, `${type}.${f}`)).toEqual({ read: true, edit: true });
    }
    expect(h.ingest.calls).toContainEqual({ op: 'startSync', tenant, objectTypes: ['Lead', 'Contact'] });
    // a second setup finds everything in place and creates nothing
    sb.clearRequestLog();
    await c.setupTenant(tenant);
    expect(sb.requestLog.filter((r) => r.method !== 'GET').map((r) => r.route)).toEqual([]);
  });
});

describe('with an installed org', () => {
  let c: SalesforceConnector;
  let tenant: string;
  beforeEach(async () => {
    c = connector({ pollPageSize: 50, deletedCheckEveryMs: 60_000 });
    tenant = await installThroughRoutes(c);
    h.ingest.calls.length = 0;
  });

  it('backfills every lead once, in pages, with ties on SystemModstamp, then polls only what changed', async () => {
    const ids = org.seedLeads(120, { seed: 'backfill' });
    // many leads on one second: the (SystemModstamp, Id) cursor must neither skip nor repeat them
    for (const id of ids.slice(0, 70)) org.update('Lead', id, { Title: 'VP Sales' }, { at: T0 - 3_600_000 });
    const full = await pollAll(c, tenant, 'Lead', null);
    expect(full.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(full.pages).toBeGreaterThanOrEqual(3);
    expect(full.records.find((r) => r.id === ids[0])).toMatchObject({ objectType: 'Lead', lead: { attributes: { title: 'VP Sales' } } });

    now += 120_000;
    org.update('Lead', ids[5]!, { Title: 'CTO' });
    org.update('Lead', ids[9]!, { Title: 'CFO' });
    const next = await pollAll(c, tenant, 'Lead', full.cursor);
    expect(next.records.map((r) => r.id).sort()).toEqual([ids[5], ids[9]].sort());
    expect(next.records.find((r) => r.id === ids[5])!.lead.attributes.title).toBe('CTO');

    // the next pass re-reads the overlap window but drops what did not change
    now += 5_000;
    const quiet = await pollAll(c, tenant, 'Lead', next.cursor);
    expect(quiet.records).toEqual([]);
  });

  it('writes scores without running the assignment rule (the owner stays), and reads them back as current', async () => {
    const [id] = org.seedLeads(1, { seed: 'owner', owners: { users: 1, queue: 0, admin: 0, inactive: 0 } });
    const owner = org.get('Lead', id!)!.OwnerId;
    const { records } = await c.fetchRecords(tenant, 'Lead', [id!]);
    const outcomes = await c.writeScores(tenant, [scoreWrite(records[0]!, 82)]);
    expect(outcomes).toEqual([{ objectType: 'Lead', id, ok: true }]);
    expect(org.get('Lead', id!)).toMatchObject({ OwnerId: owner, Lead_Score__c: 82, Lead_Score_Tier__c: 'hot', Lead_Score_Model__c: 'test-model' });
    const write = sb.requestLog.find((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'));
    expect(write?.headers['sforce-auto-assign']).toBe('FALSE');
    const again = await c.fetchRecords(tenant, 'Lead', [id!]);
    expect(again.records[0]!.current).toMatchObject({ score: 82, tier: 'hot', reasons: '+82 test', model: 'test-model' });

    // the trap is real: the same update without the header hands the lead to the assignment rule's queue
    await c.clients.request(tenant, 'write', { method: 'PATCH', url: `/sobjects/Lead/${id}`, body: JSON.stringify({ Lead_Score__c: 83 }), headers: { 'content-type': 'application/json' } });
    expect(org.get('Lead', id!)!.OwnerId).not.toBe(owner);
  });

  it('a converted lead leaves the Lead poll and its contact is queued', async () => {
    const ids = org.seedLeads(3, { seed: 'convert' });
    const first = await pollAll(c, tenant, 'Lead', null);
    now += 120_000;
    const { contactId } = org.convertLead(ids[1]!);
    const next = await pollAll(c, tenant, 'Lead', first.cursor);
    expect(next.deleted).toContain(ids[1]);
    expect(next.records.map((r) => r.id)).not.toContain(ids[1]);
    expect(h.ingest.calls).toContainEqual({ op: 'enqueue', tenant, objectType: 'Contact', ids: [contactId] });
    const fetched = await c.fetchRecords(tenant, 'Lead', [ids[1]!]);
    expect(fetched.missing).toEqual([ids[1]]);
  });

  it('reports deleted leads from /sobjects/Lead/deleted, and fetch reports them missing', async () => {
    const ids = org.seedLeads(3, { seed: 'delete' });
    const first = await pollAll(c, tenant, 'Lead', null);
    now += 60_000;
    org.delete('Lead', ids[2]!);
    now += 120_000;
    const next = await pollAll(c, tenant, 'Lead', first.cursor);
    expect(next.deleted).toEqual([ids[2]]);
    expect((await c.fetchRecords(tenant, 'Lead', [ids[2]!])).missing).toEqual([ids[2]]);
  });

  it('reads a contact’s company from its account and its events from campaign members and tasks, in bulk', async () => {
    const contacts = org.seedContacts(30, { seed: 'events' });
    org.seedCampaigns(2);
    org.seedCampaignMembers({ seed: 'events' });
    org.seedTasks({ seed: 'events' });
    sb.clearRequestLog();
    const { records } = await c.fetchRecords(tenant, 'Contact', contacts);
    expect(records).toHaveLength(30);
    const queries = sb.requestLog.filter((r) => r.route.includes('query')).map((r) => String(r.query?.q ?? ''));
    expect(queries.filter((q) => /FROM CampaignMember/.test(q))).toHaveLength(1);
    expect(queries.filter((q) => /FROM Task/.test(q))).toHaveLength(1);
    expect(records.filter((r) => r.lead.attributes.company !== undefined).length).toBeGreaterThan(20);
    expect(records.some((r) => r.lead.events.some((e) => e.type === 'campaign_response'))).toBe(true);
    expect(records.some((r) => r.lead.events.some((e) => e.type === 'sales_activity'))).toBe(true);
  });

  it('pauses an org at its share of the daily allocation and resumes when the 24 h window moves on', async () => {
    org.setDailyApiLimit(80);
    const budgeted = connector({ apiBudget: { maxShare: 0.5, orgCeiling: 1 } });
    const [id] = org.seedLeads(1, { seed: 'budget' });
    let err: unknown;
    for (let i = 0; i < 60 && !err; i++) {
      await budgeted.fetchRecords(tenant, 'Lead', [id!]).catch((e: unknown) => (err = e));
      now += 1000;
    }
    expect(err).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: true });
    const usedAtPause = org.apiUsage.used;
    await expect(budgeted.fetchRecords(tenant, 'Lead', [id!])).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(org.apiUsage.used).toBe(usedAtPause); // Salesforce was not asked
    now += 24 * 3_600_000 + 10 * 60_000;
    await expect(budgeted.fetchRecords(tenant, 'Lead', [id!])).resolves.toMatchObject({ missing: [] });
  });

  it('refreshes an expired session once, storing every rotated refresh token', async () => {
    const [id] = org.seedLeads(1, { seed: 'refresh' });
    for (let i = 0; i < 3; i++) {
      const before = (await h.installations.getTokens(tenant))!;
      sb.expireAccessToken(before.accessToken);
      await c.fetchRecords(tenant, 'Lead', [id!]);
      const after = (await h.installations.getTokens(tenant))!;
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
    }
  });

  it('takes Outbound Messages from the org: queues the records and acknowledges only then', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = express()
        .use(c.router())
        .listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/salesforce`;
      const ids = org.seedLeads(3, { seed: 'outbound' });
      const delivery = await sb.sendOutboundMessage(org.id, { objectType: 'Lead', ids, url });
      expect(delivery.ack).toBe(true);
      expect(h.ingest.ids('enqueue')).toEqual([...ids].sort());
      const again = await sb.sendOutboundMessage(org.id, { objectType: 'Lead', ids, url, notificationIds: delivery.notificationIds });
      expect(again.ack).toBe(true);
      expect(h.ingest.calls.filter((x) => x.op === 'enqueue')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('routes: lists owners, finds an account owner by domain, assigns, and runs an SLA task through its life', async () => {
    const owners = await c.listOwners(tenant);
    expect(owners.filter((o) => o.kind === 'user' && o.active).length).toBeGreaterThan(1);
    expect(owners.some((o) => o.kind === 'user' && !o.active)).toBe(true);
    expect(owners.some((o) => o.kind === 'queue')).toBe(true);
    const rep = org.activeUsers.find((u) => u.Id !== org.adminUserId)!.Id;

    const accountId = org.create('Account', { Name: 'Globex', Website: 'https://www.globex.example/about', OwnerId: rep });
    expect(accountId).toBeTruthy();
    expect(await c.findAccountOwner(tenant, 'globex.example')).toBe(rep);
    expect(await c.findAccountOwner(tenant, 'lobex.example')).toBeNull();

    const [leadId] = org.seedLeads(1, { seed: 'route', owners: { queue: 1, users: 0, admin: 0, inactive: 0 } });
    await c.assignOwner(tenant, 'Lead', leadId!, rep);
    expect(org.get('Lead', leadId!)!.OwnerId).toBe(rep);

    const taskId = await c.createTask(tenant, { objectType: 'Lead', recordId: leadId!, ownerId: rep, subject: 'Hot lead (82): call within 15 min', body: '+30 Requested a demo', dueAt: now + 15 * 60_000, priority: 'high' });
    expect(org.get('Task', taskId)).toMatchObject({ WhoId: leadId, OwnerId: rep, Priority: 'High', IsClosed: false });
    expect(await c.getTaskStatus(tenant, taskId)).toEqual({ status: 'open' });
    expect(await c.lastSalesActivity(tenant, 'Lead', leadId!)).toBeNull();

    now += 60_000;
    // the SLA task closed by the connector's own user is no sales activity; a call the rep logs is
    org.update('Task', taskId, { Status: 'Completed' });
    expect(await c.getTaskStatus(tenant, taskId)).toMatchObject({ status: 'completed' });
    expect(await c.lastSalesActivity(tenant, 'Lead', leadId!)).toBeNull();
    now += 60_000;
    org.create('Task', { WhoId: leadId, OwnerId: rep, Subject: 'Call', TaskSubtype: 'Call', Status: 'Completed' });
    expect(await c.lastSalesActivity(tenant, 'Lead', leadId!)).toBe(now);

    await c.closeTask(tenant, taskId, 'reassigned');
    org.delete('Task', taskId);
    expect(await c.getTaskStatus(tenant, taskId)).toEqual({ status: 'missing' });
    await c.closeTask(tenant, taskId, 'reassigned');
  });
});
