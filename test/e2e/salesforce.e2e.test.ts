/**
 * Salesforce end to end: the running service (web, worker and scheduler roles, real Redis, real
 * BullMQ) against the local Salesforce sandbox, which the real jsforce talks to over HTTP. Every
 * test looks at what a user would see: the field values in the org, the HTTP answers, the requests
 * Salesforce received (the sandbox's request log, headers included).
 *
 * The main service polls every second (changes in the org show up within the poll interval); the
 * Outbound Message tests run against a second service that polls once a minute, so that what
 * follows a message is the message's doing. Service and sandbox share a clock that a test can move
 * forward: `/sobjects/Lead/deleted` works by the whole minute, and the API budget by the day.
 */
import jsforce from 'jsforce';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createSalesforceConnector, type SalesforceConnector, type SalesforceConnectorOptions } from '../../connectors/salesforce';
import { salesforceMapping } from '../../connectors/salesforce/mapping';
import { parseSalesforceRecord, salesforceRecordToLead } from '../../connectors/salesforce/to-lead';
import { loadConfig } from '../../src/config/load-config';
import { loadEnv, type Env } from '../../src/env';
import type { ActiveConfig } from '../../src/pipeline/context';
import { outputValuesOf } from '../../src/pipeline/output-values';
import { activate } from '../../src/runtime/active-config';
import { buildService, type Role, type Service } from '../../src/runtime/build-service';
import { scoreLead } from '../../src/scoring/score-lead';
import { testRedis } from '../helpers/redis';
import { makeOrgId, s256, startSalesforceSandbox, type LoggedRequest, type SalesforceOrg, type SalesforceSandbox } from '../../sandbox/salesforce';
import { childQuery, OUTPUT_FIELDS } from './salesforce/oracle';

const APP = { clientId: 'e2e-sf-consumer-key', clientSecret: 'e2e-sf-consumer-secret' };
/** Poll interval of the main service. */
const POLL_MS = 1_000;
/** How long an org over the org-wide ceiling stays paused before one request checks the usage again (shipped: 15 min). */
const RECHECK_MS = 2_000;

const COMPOSITE = 'PATCH /services/data/vXX.X/composite/sobjects';
const QUERY = 'GET /services/data/vXX.X/query';
const TOKEN = 'POST /services/oauth2/token';
const DELETED = 'GET /services/data/vXX.X/sobjects/Lead/deleted';

/** The time of service and sandbox: real time plus what tests moved it forward by. */
let offset = 0;
const clock = () => Date.now() + offset;

let sb: SalesforceSandbox;
let service: Service;
let env: Env;
let config: ActiveConfig;
let prefix: string;
let nextOrg = 500;

function serviceEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SALESFORCE_CLIENT_ID: APP.clientId,
    SALESFORCE_CLIENT_SECRET: APP.clientSecret,
    SALESFORCE_LOGIN_URL: sb.url,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    ...overrides,
  });
}

/** The connector as shipped (its API share from the mapping), with the given tuning on top. */
function connectorWith(options: SalesforceConnectorOptions = {}) {
  return (ctx: Parameters<typeof createSalesforceConnector>[0]) =>
    createSalesforceConnector(ctx, { ...options, apiBudget: { maxShare: ctx.config().mappings.salesforce.apiBudget?.maxShare ?? 0.5, ...options.apiBudget } });
}

/** A service under test: fast coalescing and sweeps, the given poll interval, clock and connector tuning. */
async function startService(
  e: Env,
  roles: Role[],
  opts: { prefix: string; pollIntervalMs: number; clock?: () => number; connector?: SalesforceConnectorOptions },
): Promise<{ service: Service; env: Env }> {
  const s = await buildService({
    env: e,
    config: () => config,
    prefix: opts.prefix,
    clock: opts.clock ?? clock,
    coalesceMs: 100,
    sweepEveryMs: 100,
    pollIntervalMs: opts.pollIntervalMs,
    connectorFactories: { salesforce: connectorWith(opts.connector) },
  });
  await s.start(roles);
  return { service: s, env: e };
}

beforeAll(async () => {
  sb = await startSalesforceSandbox({ ...APP, clock, requestLogLimit: 100_000 });
  config = activate(await loadConfig(path.resolve(__dirname, '../../config')));
  prefix = `test:${randomUUID().slice(0, 8)}:`;
  env = serviceEnv();
  // the deletions check (default every 5 min) and the org-ceiling recheck (15 min) run as often as the poll here
  ({ service } = await startService(env, ['web', 'worker', 'scheduler'], { prefix, pollIntervalMs: POLL_MS, connector: { deletedCheckEveryMs: POLL_MS, apiBudget: { recheckMs: RECHECK_MS } } }));
});

afterAll(async () => {
  await service?.stop();
  await sb?.close();
  const r = testRedis();
  const keys = await r.redis.keys(`${prefix}*`);
  if (keys.length) await r.redis.del(...keys);
  await r.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000, everyMs = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(everyMs);
  }
}

/** The requests Salesforce received for an org since `from` (an index into the request log). */
function requestsSince(orgId: string, from: number, route?: string): LoggedRequest[] {
  return sb.requestLog.slice(from).filter((r) => r.orgId === orgId && (route === undefined || r.route === route));
}

/** The records a composite PATCH wrote (ids). */
const writtenIds = (r: LoggedRequest) => ((r.body as { records?: { id: string }[] }).records ?? []).map((x) => x.id);
/** The SOQL of a query request. */
const soqlOf = (r: LoggedRequest) => String(r.query.q ?? '');

const sfConnector = (s: Service) => s.connectors.find((c) => c.crm === 'salesforce') as SalesforceConnector;

const unscored = (org: SalesforceOrg, type: 'Lead' | 'Contact') => org.records(type).filter((r) => r.Lead_Score__c === null || r.Lead_Score__c === undefined);

/** A lead whose title is not C-level: making it "Chief Revenue Officer" always changes its score. */
function notCLevel(org: SalesforceOrg, skip: string[] = []) {
  return org.records('Lead').find((r) => !skip.includes(r.Id as string) && !/\b(ceo|cto|cfo|coo|cmo|cio|ciso|cro|cpo|chief|founder|co-founder|owner|president)\b/i.test(String(r.Title ?? '')))!;
}

const reasonsOf = (org: SalesforceOrg, type: string, id: string) => String(org.get(type, id)?.Lead_Score_Reasons__c ?? '');

interface InstalledOrg {
  org: SalesforceOrg;
  tenant: string;
  /** The dedicated integration user the connector acts as (who approved the install). */
  userId: string;
}

/**
 * A new org with `leads` sample leads (and `contacts`, with accounts, campaign responses, tasks and
 * events when asked), installed through the OAuth flow of the service at `baseUrl` by a dedicated
 * integration user; returns once the backfill scored every lead and contact.
 */
async function installedOrg(
  leads: number,
  opts: { contacts?: number; activity?: boolean; baseUrl?: string; sandbox?: SalesforceSandbox; dailyApiLimit?: number; waitForBackfill?: boolean } = {},
): Promise<InstalledOrg> {
  const sandbox = opts.sandbox ?? sb;
  const org = sandbox.createOrg(makeOrgId(++nextOrg), opts.dailyApiLimit ? { dailyApiLimit: opts.dailyApiLimit } : {});
  org.seedLeads(leads, { seed: `e2e-${org.id}` });
  if (opts.contacts) org.seedContacts(opts.contacts, { seed: `e2e-${org.id}` });
  if (opts.activity) {
    org.seedCampaigns(3, { seed: `e2e-${org.id}` });
    org.seedCampaignMembers({ seed: `e2e-${org.id}` });
    org.seedTasks({ seed: `e2e-${org.id}` });
    org.seedEvents({ seed: `e2e-${org.id}` });
  }
  const userId = org.addUser({ FirstName: 'Lead Scoring', LastName: 'Integration' });
  const start = await fetch(`${opts.baseUrl ?? env.PUBLIC_URL}/install/salesforce`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const landing = sandbox.approveInstall(org.id, { authorizeUrl: start.headers.get('location')!, userId });
  const done = await fetch(landing);
  expect(done.status).toBe(200);
  if (opts.waitForBackfill !== false) {
    await until(`the backfill of ${org.id}`, () => unscored(org, 'Lead').length === 0 && unscored(org, 'Contact').length === 0, 20_000, 100);
  }
  return { org, tenant: `salesforce:${org.id}`, userId };
}

/** Waits until the service is idle for a tenant: no flush job waiting, running or delayed, and no record due now. */
async function settled(s: Service, tenant: string): Promise<void> {
  await until('the pipeline to be idle', async () => {
    const [lead, contact, counts] = await Promise.all([s.deps.pending.nextDue(tenant, 'Lead'), s.deps.pending.nextDue(tenant, 'Contact'), s.deps.queues.flush.getJobCounts('waiting', 'active', 'delayed')]);
    const soon = clock() + 1_000;
    return (lead === undefined || lead > soon) && (contact === undefined || contact > soon) && counts.waiting === 0 && counts.active === 0 && counts.delayed === 0;
  });
}

/** Waits until no poll job of the service is waiting or running (between two polls of a slow-polling service). */
async function pollsIdle(s: Service): Promise<void> {
  await until('the polls to be idle', async () => {
    const counts = await s.deps.queues.poll.getJobCounts('waiting', 'active');
    return counts.waiting === 0 && counts.active === 0;
  });
}

/** What waits to be scored for a tenant's object type (the pipeline's pending set). */
function pendingOf(s: Service, tenant: string, objectType: string): Promise<string[]> {
  return s.deps.ctx.redis.zrange(`${s.deps.ctx.prefix}pending:${tenant}:${objectType}`, 0, -1);
}

it('installs with PKCE: 302 with an S256 challenge and state, callback stores salesforce:<18-char org id>, creates the score fields with field-level security for the integration user, and starts the first full sync', async () => {
  const org = sb.createOrg(makeOrgId(++nextOrg));
  org.seedLeads(25, { seed: 'install' });
  org.seedContacts(10, { seed: 'install' });
  const userId = org.addUser({ FirstName: 'Lead Scoring', LastName: 'Integration' });
  const mark = sb.requestLog.length;

  const start = await fetch(`${env.PUBLIC_URL}/install/salesforce`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sb.url}/services/oauth2/authorize`);
  const q = authorize.searchParams;
  expect(q.get('response_type')).toBe('code');
  expect(q.get('client_id')).toBe(APP.clientId);
  expect(q.get('redirect_uri')).toBe(`${env.PUBLIC_URL}/oauth/salesforce/callback`);
  expect(q.get('code_challenge_method')).toBe('S256');
  const challenge = q.get('code_challenge')!;
  expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/); // base64url of a SHA-256
  const state = q.get('state')!;
  expect(state.length).toBeGreaterThanOrEqual(16);
  expect(q.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['api', 'refresh_token']));

  // the integration user clicks "Allow"; Salesforce sends the browser back with a code and the state
  const landing = new URL(sb.approveInstall(org.id, { authorizeUrl: authorize.toString(), userId }));
  expect(`${landing.origin}${landing.pathname}`).toBe(`${env.PUBLIC_URL}/oauth/salesforce/callback`);
  expect(landing.searchParams.get('state')).toBe(state);
  const callback = await fetch(landing);
  expect(callback.status).toBe(200);
  expect(org.id).toHaveLength(18);
  expect(await callback.text()).toContain(`Installed in org ${org.id}`);

  // the code exchange sent the verifier of that challenge (the sandbox refuses any other)
  const exchange = sb.requestLog.slice(mark).filter((r) => r.route === TOKEN && (r.body as Record<string, string>).grant_type === 'authorization_code');
  expect(exchange).toHaveLength(1);
  expect(exchange[0]!.status).toBe(200);
  expect(s256((exchange[0]!.body as Record<string, string>).code_verifier!)).toBe(challenge);

  const tenant = `salesforce:${org.id}`;
  const inst = await service.deps.ctx.installations.get(tenant);
  expect(inst).toMatchObject({ tenant, crm: 'salesforce', status: 'active', meta: { orgId: org.id, userId, instanceUrl: sb.url } });

  // the custom fields exist on Lead and Contact, readable and editable by the integration user only
  const someoneElse = org.activeUsers.find((u) => u.Id !== userId && u.Id !== org.adminUserId)!.Id;
  for (const type of ['Lead', 'Contact']) {
    expect(org.customFields(type)).toEqual(expect.arrayContaining(OUTPUT_FIELDS.map((f) => `${type}.${f}`)));
    for (const f of OUTPUT_FIELDS) {
      expect({ field: `${type}.${f}`, access: org.fieldAccessOf(userId, `${type}.${f}`) }).toEqual({ field: `${type}.${f}`, access: { read: true, edit: true } });
      expect(org.fieldAccessOf(someoneElse, `${type}.${f}`)).toEqual({ read: false, edit: false });
    }
  }
  // …and a describe as the integration user shows them updateable, the tier as a picklist of hot/warm/cold
  const t = sb.issueTokens(org.id, { userId });
  const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '62.0' });
  for (const type of ['Lead', 'Contact']) {
    const described = await conn.sobject(type).describe();
    const fields = new Map(described.fields.map((f) => [f.name, f]));
    for (const f of OUTPUT_FIELDS) expect({ f, updateable: fields.get(f)?.updateable }).toEqual({ f, updateable: true });
    expect(fields.get('Lead_Score_Tier__c')!.picklistValues!.map((v) => v.value)).toEqual(['hot', 'warm', 'cold']);
  }
  const other = sb.issueTokens(org.id, { userId: someoneElse });
  const otherDescribe = await new jsforce.Connection({ instanceUrl: other.instance_url, accessToken: other.access_token, version: '62.0' }).sobject('Lead').describe();
  expect(otherDescribe.fields.map((f) => f.name)).not.toContain('Lead_Score__c');

  // the first full sync scores everyone
  await until('the first full sync', () => unscored(org, 'Lead').length === 0 && unscored(org, 'Contact').length === 0, 20_000, 100);
  expect(requestsSince(org.id, mark, COMPOSITE).length).toBeGreaterThan(0);

  // the state was single-use, and an unknown one is refused
  expect((await fetch(landing)).status).toBe(400);
  expect((await fetch(`${env.PUBLIC_URL}/oauth/salesforce/callback?code=abc&state=${'x'.repeat(32)}`)).status).toBe(400);
});

it('backfills a few hundred Leads and Contacts: every record holds the score, tier and reasons the model gives it, written 200 at a time, each once', async () => {
  const mark = sb.requestLog.length;
  const { org, tenant, userId } = await installedOrg(300, { contacts: 150, activity: true });
  await settled(service, tenant);
  await sleep(3 * POLL_MS); // a few more polls, which re-read our own writes
  const mapping = salesforceMapping(config);

  // what the model says, from the records as Salesforce returns them with their activity
  const t = sb.issueTokens(org.id, { userId });
  const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '62.0' });
  const tiers = new Set<string>();
  for (const type of ['Lead', 'Contact'] as const) {
    const soql = childQuery(mapping, type);
    const rows = (await conn.query(soql, { autoFetch: true, maxFetch: 10_000 })).records.map(parseSalesforceRecord);
    expect(rows).toHaveLength(type === 'Lead' ? 300 : 150);
    for (const row of rows) {
      const at = Date.parse(String(row.Lead_Score_Updated_At__c));
      const expected = outputValuesOf(scoreLead(config.model, salesforceRecordToLead(tenant, row, mapping), at));
      expect({ id: row.Id, score: row.Lead_Score__c, fit: row.Lead_Score_Fit__c, engagement: row.Lead_Score_Engagement__c, tier: row.Lead_Score_Tier__c, reasons: row.Lead_Score_Reasons__c ?? '', model: row.Lead_Score_Model__c }).toEqual({
        id: row.Id,
        score: expected.score,
        fit: expected.fit,
        engagement: expected.engagement,
        tier: expected.tier,
        reasons: expected.reasons,
        model: config.model.id,
      });
      tiers.add(String(row.Lead_Score_Tier__c));
    }
  }
  expect(tiers.size).toBeGreaterThan(1); // realistic data: not everyone is cold
  // the activity counted: some records have engagement from campaign responses, tasks or meetings
  expect(org.records('Lead').some((r) => Number(r.Lead_Score_Engagement__c) > 0)).toBe(true);

  const writes = requestsSince(org.id, mark, COMPOSITE);
  expect(writes.every((w) => w.status === 200 && writtenIds(w).length <= 200)).toBe(true);
  // every record written exactly once: the polls that re-read our own writes wrote nothing more
  const all = [...org.records('Lead'), ...org.records('Contact')].map((r) => r.Id as string);
  expect(writes.flatMap(writtenIds).sort()).toEqual(all.sort());
  // the related records were read in bulk, never one query per record
  const eventQueries = requestsSince(org.id, mark, QUERY).filter((r) => /FROM (CampaignMember|Task|Event) WHERE/.test(soqlOf(r)));
  expect(eventQueries.length).toBeLessThanOrEqual(20);
});

it('a change in the org (a Lead’s Title) is picked up by the next poll and rescored within the poll interval', async () => {
  const { org, tenant } = await installedOrg(20);
  await settled(service, tenant);
  await sleep(POLL_MS);
  const target = notCLevel(org);
  expect(reasonsOf(org, 'Lead', target.Id as string)).not.toContain('C-level or founder');
  const mark = sb.requestLog.length;

  org.update('Lead', target.Id as string, { Title: 'Chief Revenue Officer' });
  const changedAt = Date.now();
  await until('the new score', () => reasonsOf(org, 'Lead', target.Id as string).includes('+30 C-level or founder'), 5_000);
  const took = Date.now() - changedAt;
  expect(took).toBeLessThan(POLL_MS + 1_500); // the next poll, plus the time to read, score and write

  const writes = requestsSince(org.id, mark, COMPOSITE);
  expect(writes.map(writtenIds)).toEqual([[target.Id]]);
  // found by the SystemModstamp poll (no Outbound Message, no read by id)
  expect(requestsSince(org.id, mark, QUERY).some((r) => /FROM Lead WHERE SystemModstamp/.test(soqlOf(r)))).toBe(true);
  expect(requestsSince(org.id, mark, QUERY).filter((r) => /FROM Lead WHERE Id IN/.test(soqlOf(r)))).toHaveLength(0);
});

describe('Outbound Messages', () => {
  let om: { service: Service; env: Env };
  beforeAll(async () => {
    // another deployment that polls once a minute: whatever follows a message is the message's doing
    om = await startService(serviceEnv(), ['web', 'worker', 'scheduler'], { prefix: `${prefix}om:`, pollIntervalMs: 60_000 });
  });
  afterAll(() => om?.service.stop());
  const listener = () => `${om.env.PUBLIC_URL}/webhooks/salesforce`;

  it('a message for a changed lead is acknowledged with <Ack>true</Ack> once queued, and the lead is rescored within seconds', async () => {
    const { org, tenant } = await installedOrg(20, { baseUrl: om.env.PUBLIC_URL });
    await settled(om.service, tenant);
    await pollsIdle(om.service);
    const target = notCLevel(org);
    const mark = sb.requestLog.length;

    org.update('Lead', target.Id as string, { Title: 'Chief Executive Officer' }); // the record-triggered flow sends the message
    const sentAt = Date.now();
    const delivery = await sb.sendOutboundMessage(org.id, { objectType: 'Lead', ids: [target.Id as string], url: listener(), fields: ['Id', 'IsConverted', 'ConvertedContactId'] });
    expect(delivery.status).toBe(200);
    expect(delivery.ack).toBe(true);
    expect(delivery.body).toContain('<Ack>true</Ack>');
    await until('the new score', () => reasonsOf(org, 'Lead', target.Id as string).includes('+30 C-level or founder'), 5_000);
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    await settled(om.service, tenant);

    // read by id, written alone; no poll involved
    const reads = requestsSince(org.id, mark, QUERY).filter((r) => /FROM Lead WHERE Id IN/.test(soqlOf(r)));
    expect(reads).toHaveLength(1);
    expect(soqlOf(reads[0]!)).toContain(`'${target.Id}'`);
    expect(requestsSince(org.id, mark, COMPOSITE).map(writtenIds)).toEqual([[target.Id]]);
    expect(requestsSince(org.id, mark, QUERY).filter((r) => /WHERE SystemModstamp/.test(soqlOf(r)))).toHaveLength(0);

    // Salesforce delivers the same notifications again (it retries for 24 h): acknowledged, not read again
    const again = sb.requestLog.length;
    const redelivery = await sb.sendOutboundMessage(org.id, { objectType: 'Lead', ids: [target.Id as string], url: listener(), notificationIds: delivery.notificationIds });
    expect(redelivery.ack).toBe(true);
    await sleep(400); // longer than the coalescing delay
    expect(requestsSince(org.id, again)).toHaveLength(0);
  });

  it('a message from an org that never installed the connector is refused (403, no Ack) and nothing is queued or read', async () => {
    const { org: installed, tenant: installedTenant } = await installedOrg(3, { baseUrl: om.env.PUBLIC_URL });
    await settled(om.service, installedTenant);
    await pollsIdle(om.service);
    const stranger = sb.createOrg(makeOrgId(++nextOrg));
    const ids = stranger.seedLeads(3, { seed: 'stranger' });
    const mark = sb.requestLog.length;

    const refused = await sb.sendOutboundMessage(stranger.id, { objectType: 'Lead', ids, url: listener() });
    expect(refused.status).toBe(403);
    expect(refused.ack).toBe(false);
    expect(refused.body).toContain('<faultcode>soapenv:Client</faultcode>');
    // the same with the 15-character form of the id
    const refused15 = await sb.sendOutboundMessage(stranger.id, { objectType: 'Lead', ids, url: listener(), organizationId: stranger.id15 });
    expect(refused15.status).toBe(403);

    expect(await pendingOf(om.service, `salesforce:${stranger.id}`, 'Lead')).toEqual([]);
    expect(await om.service.deps.queues.flush.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    await sleep(400);
    expect(requestsSince(stranger.id, mark)).toHaveLength(0);
    expect(requestsSince(installed.id, mark)).toHaveLength(0);
  });
});

it('a conversion: the Lead stops being scored and the new Contact gets scored', async () => {
  const { org, tenant } = await installedOrg(10);
  await settled(service, tenant);
  const lead = org.records('Lead')[2]!.Id as string;
  expect(await service.deps.scores.get(tenant, 'Lead', lead)).toBeDefined();
  const mark = sb.requestLog.length;

  const { contactId } = org.convertLead(lead);
  expect(org.get('Contact', contactId)!.Lead_Score__c ?? null).toBeNull();
  await until('the contact to be scored', () => org.get('Contact', contactId)!.Lead_Score__c != null, 5_000);
  await until('the lead to be forgotten', async () => (await service.deps.scores.get(tenant, 'Lead', lead)) === undefined, 5_000);
  // the score store is updated right after the CRM write: wait for it rather than race it
  await until('the contact score to be stored', async () => (await service.deps.scores.get(tenant, 'Contact', contactId)) !== undefined, 5_000);
  expect(org.get('Contact', contactId)!.Lead_Score_Model__c).toBe(config.model.id);

  // later changes to the converted lead are not scored (Salesforce would refuse the write anyway)
  org.update('Lead', lead, { Title: 'Chief Executive Officer' });
  await sleep(2 * POLL_MS + 500);
  await settled(service, tenant);
  expect(requestsSince(org.id, mark, COMPOSITE).flatMap(writtenIds)).not.toContain(lead);
  expect(await pendingOf(service, tenant, 'Lead')).not.toContain(lead);
  expect(await service.deps.scores.get(tenant, 'Lead', lead)).toBeUndefined();
});

it('a deletion: the poll reads /sobjects/Lead/deleted and the lead is forgotten', async () => {
  const { org, tenant } = await installedOrg(10);
  await settled(service, tenant);
  const gone = org.records('Lead')[4]!.Id as string;
  expect(await service.deps.scores.get(tenant, 'Lead', gone)).toBeDefined();

  org.delete('Lead', gone);
  const mark = sb.requestLog.length;
  offset += 61_000; // Salesforce lists deletions by the whole minute: the next minute has begun
  await until('the lead to be forgotten', async () => (await service.deps.scores.get(tenant, 'Lead', gone)) === undefined, 5_000);

  const checks = requestsSince(org.id, mark, DELETED);
  expect(checks.length).toBeGreaterThan(0);
  expect(checks.every((r) => r.status === 200)).toBe(true);
  expect(await pendingOf(service, tenant, 'Lead')).not.toContain(gone);
  // nothing was read or written for it after the deletion
  expect(requestsSince(org.id, mark).filter((r) => JSON.stringify(r.body ?? '').includes(gone) || soqlOf(r).includes(gone))).toHaveLength(0);
});

it('keeps working through several refresh-token rotations: every rotated refresh token is stored and used next', async () => {
  const { org, tenant } = await installedOrg(10);
  await settled(service, tenant);
  const mark = sb.requestLog.length;
  const used: string[] = [];
  const expired: string[] = [];
  const titles = ['Chief Revenue Officer', 'Chief Operating Officer', 'Chief Marketing Officer', 'Co-Founder'];
  let target = notCLevel(org);

  for (let round = 0; round < 4; round++) {
    const before = (await service.deps.ctx.installations.getTokens(tenant))!;
    used.push(before.refreshToken!);
    expired.push(before.accessToken);
    sb.expireAccessToken(before.accessToken); // the org's session timeout ended it
    target = notCLevel(org, [target.Id as string]);
    org.update('Lead', target.Id as string, { Title: titles[round] });
    await until(`round ${round + 1}: the new score`, () => reasonsOf(org, 'Lead', target.Id as string).includes('+30 C-level or founder'), 5_000);
    const after = (await service.deps.ctx.installations.getTokens(tenant))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated…
    expect(sb.tokenInfo(before.refreshToken!)).toMatchObject({ kind: 'refresh', active: false, retired: true }); // …the old one retired
    expect(sb.tokenInfo(after.refreshToken!)).toMatchObject({ kind: 'refresh', active: true }); // the family was never revoked
  }

  // one refresh per expiry, each with the refresh token the one before had stored
  const refreshes = sb.requestLog.slice(mark).filter((r) => r.route === TOKEN && (r.body as Record<string, string>).grant_type === 'refresh_token' && sb.tokenInfo((r.body as Record<string, string>).refresh_token!)?.orgId === org.id);
  expect(refreshes.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  expect(refreshes.map((r) => (r.body as Record<string, string>).refresh_token)).toEqual(used);
  // each expired access token was refused (401 INVALID_SESSION_ID) before its refresh
  const refused = sb.requestLog.slice(mark).filter((r) => r.status === 401).map((r) => String(r.headers.authorization ?? '').replace(/^(Bearer|OAuth) /i, ''));
  for (const token of expired) expect(refused).toContain(token);
  expect(await service.deps.ctx.installations.get(tenant)).toMatchObject({ status: 'active' });
});

it('avoids the auto-assign trap: with the org’s assignment rule active, the backfill leaves every owner as it was, and every write says Sforce-Auto-Assign: FALSE', async () => {
  const org = sb.createOrg(makeOrgId(++nextOrg));
  expect(org.assignmentRuleOwner()).toBeDefined(); // active: an update without the header goes to the "Unassigned Leads" queue
  const ids = org.seedLeads(250, { seed: 'owners' });
  const owners = new Map(ids.map((id) => [id, org.get('Lead', id)!.OwnerId]));
  expect(new Set(owners.values()).size).toBeGreaterThan(3); // users, a queue, the admin, an inactive user
  const mark = sb.requestLog.length;

  const userId = org.addUser({ FirstName: 'Lead Scoring', LastName: 'Integration' });
  const start = await fetch(`${env.PUBLIC_URL}/install/salesforce`, { redirect: 'manual' });
  expect((await fetch(sb.approveInstall(org.id, { authorizeUrl: start.headers.get('location')!, userId }))).status).toBe(200);
  await until('the backfill', () => unscored(org, 'Lead').length === 0, 20_000, 100);
  await settled(service, `salesforce:${org.id}`);

  for (const [id, owner] of owners) expect({ id, owner: org.get('Lead', id)!.OwnerId }).toEqual({ id, owner });
  const writes = requestsSince(org.id, mark, COMPOSITE);
  expect(writes.length).toBeGreaterThanOrEqual(2);
  expect(writes.map((w) => w.headers['sforce-auto-assign'])).toEqual(writes.map(() => 'FALSE'));

  // the trap is armed in this org: the same kind of write without the header hands the lead to the rule's queue
  const t = sb.issueTokens(org.id);
  const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '62.0' });
  const probe = ids.find((id) => owners.get(id) !== org.assignmentRuleOwner())!;
  await conn.sobject('Lead').update({ Id: probe, Description: 'edited over the API' });
  expect(org.get('Lead', probe)!.OwnerId).toBe(org.assignmentRuleOwner());
});

describe('the daily API budget', () => {
  it('pauses an org whose integrations together used 90 % of the allocation (no requests to it for a while), and resumes when the usage drops', async () => {
    const { org, tenant } = await installedOrg(10);
    await settled(service, tenant);
    const budget = sfConnector(service).clients.budget;
    const target = notCLevel(org);

    org.setApiUsage(Math.ceil(org.apiUsage.max * 0.95)); // other integrations of the org used 95 % of today's allocation
    const paused = await until('the org to be paused', async () => {
      const s = await budget.status(org.id);
      return s.pausedMs > 500 && s;
    }, 5_000);
    expect(paused.reason).toMatch(/^org /);
    const quiet = sb.requestLog.length;
    org.update('Lead', target.Id as string, { Title: 'Chief Financial Officer' });

    await sleep(Math.min(paused.pausedMs - 100, 1_500));
    expect(requestsSince(org.id, quiet)).toHaveLength(0); // not one request while paused, though the poll runs every second
    // while the usage stays high: after each pause, the next poll of each object type reads the usage again, and the change waits
    await sleep(RECHECK_MS + 500);
    const rechecks = requestsSince(org.id, quiet);
    expect(rechecks.length).toBeGreaterThanOrEqual(1);
    expect(rechecks.length).toBeLessThanOrEqual(4);
    expect(rechecks.every((r) => r.route === QUERY)).toBe(true);
    expect(reasonsOf(org, 'Lead', target.Id as string)).not.toContain('C-level or founder');

    org.setApiUsage(Math.floor(org.apiUsage.max * 0.2)); // the other integrations' usage rolled out of the 24 h window
    const dropped = Date.now();
    await until('the change to be scored', () => reasonsOf(org, 'Lead', target.Id as string).includes('+30 C-level or founder'), RECHECK_MS + 3 * POLL_MS + 2_000);
    expect(Date.now() - dropped).toBeLessThan(RECHECK_MS + POLL_MS + 2_000);
    expect((await budget.status(org.id)).pausedMs).toBe(0);
  });

  it('pauses an org whose connector share of a small allocation is spent, and resumes when its requests leave the 24 h window', async () => {
    // a deployment of its own, on a clock of its own that the test moves a day ahead
    let ahead = 0;
    const dayClock = () => Date.now() + ahead;
    const small = await startSalesforceSandbox({ ...APP, clock: dayClock, requestLogLimit: 10_000 });
    const svc = await startService(serviceEnv({ SALESFORCE_LOGIN_URL: small.url }), ['web', 'worker', 'scheduler'], {
      prefix: `${prefix}day:`,
      pollIntervalMs: POLL_MS,
      clock: dayClock,
      connector: { pollPageSize: 50 },
    });
    try {
      // a tiny allocation: 120 requests a day, of which the connector may use half; the install itself takes about 26
      const { org, tenant } = await installedOrg(500, { baseUrl: svc.env.PUBLIC_URL, sandbox: small, dailyApiLimit: 120, waitForBackfill: false });
      const budget = sfConnector(svc.service).clients.budget;
      const paused = await until('the org to be paused', async () => {
        const s = await budget.status(org.id);
        return s.pausedMs > 0 && s;
      }, 10_000);
      expect(paused.reason).toBe('share 60 60 120');
      expect(paused.pausedMs).toBeGreaterThan(20 * 3_600_000); // until its first requests are a day old
      const left = unscored(org, 'Lead').length;
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(500);

      const quiet = small.requestLog.length;
      await sleep(3 * POLL_MS);
      expect(small.requestLog.slice(quiet).filter((r) => r.orgId === org.id)).toHaveLength(0);
      expect(unscored(org, 'Lead')).toHaveLength(left);
      expect(org.apiUsage.used).toBeLessThan(org.apiUsage.max); // Salesforce never had to refuse
      expect(small.stats.byOrg[org.id]!.limitExceeded).toBe(0);

      ahead += 24 * 3_600_000 + 10 * 60_000; // a day later: the connector's requests of yesterday left the window
      await until('the backfill to finish', () => unscored(org, 'Lead').length === 0, 15_000, 100);
      expect((await budget.status(org.id)).pausedMs).toBe(0);
      expect(await svc.service.deps.ctx.installations.get(tenant)).toMatchObject({ status: 'active' });
    } finally {
      await svc.service.stop();
      await small.close();
    }
  });
});
