/**
 * HubSpot end to end: the running service (web, worker and scheduler roles, real Redis, real
 * BullMQ) against the local HubSpot sandbox, which the real SDK talks to over HTTP. Every test
 * looks at what a user would see: the property values in the portal, the HTTP answers, the
 * requests HubSpot received.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { contactToLead } from '../../connectors/hubspot';
import { createHubSpotConnector } from '../../connectors/hubspot';
import { hubspotMapping } from '../../connectors/hubspot/mapping';
import { HUBSPOT_SCOPES } from '../../connectors/hubspot/oauth';
import { loadConfig } from '../../src/config/load-config';
import { loadEnv, type Env } from '../../src/env';
import type { ActiveConfig } from '../../src/pipeline/context';
import { outputValuesOf } from '../../src/pipeline/output-values';
import { activate } from '../../src/runtime/active-config';
import { buildService, type Service } from '../../src/runtime/build-service';
import { scoreLead } from '../../src/scoring/score-lead';
import { startHubSpotSandbox, type HubSpotSandbox, type LoggedRequest, type Portal } from '../../sandbox/hubspot';
import { testRedis } from '../helpers/redis';
import { RedisProxy } from './redis-proxy';

const APP = { clientId: 'e2e-client-id', clientSecret: 'e2e-client-secret', appId: 515151 };
const AUTHORIZE_URL = 'https://app.hubspot.test/oauth/authorize';
const OUTPUT = ['lead_score', 'lead_score_fit', 'lead_score_engagement', 'lead_score_tier', 'lead_score_reasons', 'lead_score_model', 'lead_score_updated_at'];

let sb: HubSpotSandbox;
let service: Service;
let env: Env;
let config: ActiveConfig;
let prefix: string;
let nextPortal = 880_000;

function serviceEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HUBSPOT_CLIENT_ID: APP.clientId,
    HUBSPOT_CLIENT_SECRET: APP.clientSecret,
    HUBSPOT_APP_ID: String(APP.appId),
    HUBSPOT_API_BASE_URL: sb.url,
    HUBSPOT_AUTHORIZE_URL: AUTHORIZE_URL,
    ...overrides,
  });
}

/**
 * The service under test: fast coalescing and sweeps; incremental polls far apart (unless told
 * otherwise), so that what follows a webhook is the webhook's doing.
 */
function startService(e: Env, roles: ('web' | 'worker' | 'scheduler')[], opts: { prefix?: string; pollIntervalMs?: number } = {}) {
  return buildService({
    env: e,
    config: () => config,
    prefix: opts.prefix ?? prefix,
    coalesceMs: 100,
    sweepEveryMs: 100,
    pollIntervalMs: opts.pollIntervalMs ?? 60_000,
    connectorFactories: { hubspot: (ctx) => createHubSpotConnector(ctx, { settleDelayMs: 200, searchLimitPerSecond: 40 }) },
  }).then(async (s) => ({ service: s, server: await s.start(roles) }));
}

beforeAll(async () => {
  sb = await startHubSpotSandbox({ ...APP, emitWebhooks: { flushMs: 10, maxAttempts: 1 }, limits: { searchPerSecond: 50 } });
  config = activate(await loadConfig(path.resolve(__dirname, '../../config')));
  prefix = `test:${randomUUID().slice(0, 8)}:`;
  env = serviceEnv();
  ({ service } = await startService(env, ['web', 'worker', 'scheduler']));
});

afterAll(async () => {
  await service?.stop();
  await sb?.close();
  const r = testRedis();
  const keys = await r.redis.keys(`${prefix}*`);
  if (keys.length) await r.redis.del(...keys);
  await r.cleanup();
});

afterEach(() => {
  sb.setWebhookTarget(undefined);
  sb.clearFailures();
});

const webhookUrl = () => `${env.PUBLIC_URL}/webhooks/hubspot`;

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The requests HubSpot received for a portal since `from` (an index into the request log). */
function requestsSince(portalId: number, from: number, route?: string): LoggedRequest[] {
  return sb.requestLog.slice(from).filter((r) => r.portalId === portalId && (route === undefined || r.route === route));
}

const BATCH_READ = 'POST /crm/v3/objects/contacts/batch/read';
const BATCH_UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const SEARCH = 'POST /crm/v3/objects/contacts/search';
const idsOf = (r: LoggedRequest) => ((r.body as { inputs?: { id: string }[] }).inputs ?? []).map((i) => String(i.id));

const scored = (portal: Portal) => [...portal.contacts.values()].every((c) => c.get('lead_score') !== undefined);

/**
 * A new portal with `contacts` sample contacts, installed through the OAuth flow (of the service at
 * `baseUrl`, by default the main one); returns once the backfill wrote every contact.
 */
async function installedPortal(contacts: number, opts: { baseUrl?: string; before?: (portalId: number) => void } = {}): Promise<{ portalId: number; portal: Portal; tenant: string }> {
  const portalId = ++nextPortal;
  const portal = sb.createPortal(portalId);
  portal.seedContacts(contacts, { seed: `e2e-${portalId}` });
  opts.before?.(portalId);
  const start = await fetch(`${opts.baseUrl ?? env.PUBLIC_URL}/install/hubspot`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const back = sb.approveInstall(portalId, { redirectUri: authorize.searchParams.get('redirect_uri')!, state: authorize.searchParams.get('state')! });
  const done = await fetch(back);
  expect(done.status).toBe(200);
  await until(`the backfill of portal ${portalId}`, () => scored(portal), 20_000);
  return { portalId, portal, tenant: `hubspot:${portalId}` };
}

/**
 * Waits until the pipeline is idle for a tenant: no flush job waiting, running or delayed, and no
 * record due now (records stay pending for their next decay step or window; those are hours away).
 */
async function settled(tenant: string): Promise<void> {
  await until('the pipeline to be idle', async () => {
    const [due, counts] = await Promise.all([service.deps.pending.nextDue(tenant, 'contact'), service.deps.queues.flush.getJobCounts('waiting', 'active', 'delayed')]);
    return (due === undefined || due > Date.now() + 1_000) && counts.waiting === 0 && counts.active === 0 && counts.delayed === 0;
  });
}

/** What waits to be scored for a tenant: ids and due times (the pipeline's pending set). */
async function pendingOf(tenant: string): Promise<string[]> {
  return service.deps.ctx.redis.zrange(`${prefix}pending:${tenant}:contact`, 0, -1, 'WITHSCORES');
}

it('installs through OAuth: 302 to HubSpot, callback stores the portal, creates the properties and starts the first full sync', async () => {
  const portalId = ++nextPortal;
  const portal = sb.createPortal(portalId);
  portal.seedContacts(25, { seed: 'install' });
  const logStart = sb.requestLog.length;

  const start = await fetch(`${env.PUBLIC_URL}/install/hubspot`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(AUTHORIZE_URL);
  expect(authorize.searchParams.get('client_id')).toBe(APP.clientId);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${env.PUBLIC_URL}/oauth/hubspot/callback`);
  expect(authorize.searchParams.get('scope')!.split(' ').sort()).toEqual([...HUBSPOT_SCOPES].sort());
  const state = authorize.searchParams.get('state')!;
  expect(state.length).toBeGreaterThanOrEqual(16);

  const back = sb.approveInstall(portalId, { redirectUri: authorize.searchParams.get('redirect_uri')!, state });
  const callback = await fetch(back);
  expect(callback.status).toBe(200);
  expect(await callback.text()).toContain(`Installed in portal ${portalId}`);

  const inst = await service.deps.ctx.installations.get(`hubspot:${portalId}`);
  expect(inst).toMatchObject({ tenant: `hubspot:${portalId}`, crm: 'hubspot', status: 'active' });
  expect(inst!.meta).toMatchObject({ portalId: String(portalId), appKind: 'oauth' });
  // the code exchange went to the 2026-03 endpoint
  expect(sb.requestLog.slice(logStart).some((r) => r.route === 'POST /oauth/2026-03/token' && (r.body as Record<string, string>).grant_type === 'authorization_code' && r.status === 200)).toBe(true);

  const props = portal.properties.contacts;
  expect(props.group('lead_scoring')).toBeDefined();
  for (const name of OUTPUT) expect(props.get(name)?.groupName).toBe('lead_scoring');
  expect(props.get('lead_score_tier')?.options.map((o) => o.value)).toEqual(['hot', 'warm', 'cold']);

  // the first full sync: a search walk, then every contact written
  await until('the first full sync', () => scored(portal));
  expect(requestsSince(portalId, logStart, SEARCH).length).toBeGreaterThan(0);

  // the state was single-use
  const again = await fetch(back);
  expect(again.status).toBe(400);
});

it('backfills a few hundred contacts: every contact holds the score the model gives it, written in batches of at most 100', async () => {
  const logStart = sb.requestLog.length;
  const { portal, portalId, tenant } = await installedPortal(300);
  await settled(tenant);
  const mapping = hubspotMapping(config);
  const now = Date.now();
  for (const c of portal.contacts.values()) {
    const expected = outputValuesOf(scoreLead(config.model, contactToLead(tenant, { id: c.id, properties: c.properties }, mapping), now));
    expect({ id: c.id, score: c.get('lead_score'), tier: c.get('lead_score_tier'), reasons: c.get('lead_score_reasons') ?? '', model: c.get('lead_score_model') }).toEqual({
      id: c.id,
      score: String(expected.score),
      tier: expected.tier,
      reasons: expected.reasons,
      model: 'default-2026-11',
    });
    expect(c.get('lead_score_updated_at')).toBeDefined();
  }
  const tiers = new Set([...portal.contacts.values()].map((c) => c.get('lead_score_tier')));
  expect(tiers.size).toBeGreaterThan(1); // realistic data: not everyone is cold
  const updates = requestsSince(portalId, logStart, BATCH_UPDATE);
  expect(updates.every((u) => idsOf(u).length <= 100)).toBe(true);
  // each contact written once: the incremental re-read of our own writes wrote nothing more
  expect(updates.flatMap(idsOf).sort()).toEqual([...portal.contacts.keys()].sort());
});

it('a signed propertyChange webhook (jobtitle) re-scores exactly that one contact within seconds', async () => {
  const { portal, portalId, tenant } = await installedPortal(30);
  await settled(tenant);
  const target = [...portal.contacts.values()].find((c) => !/chief|ceo|founder|president|owner/i.test(c.get('jobtitle') ?? ''))!;
  expect(target.get('lead_score_reasons') ?? '').not.toContain('C-level or founder');
  const mark = sb.requestLog.length;

  portal.updateContact(target.id, { jobtitle: 'Chief Revenue Officer' });
  const sentAt = Date.now();
  const status = await sb.sendWebhooks(
    [{ subscriptionType: 'contact.propertyChange', portalId, objectId: target.id, propertyName: 'jobtitle', propertyValue: 'Chief Revenue Officer', changeSource: 'CRM_UI' }],
    { url: webhookUrl() },
  );
  expect(status).toBe(200);
  await until('the new score', () => portal.getContact(target.id)!.get('lead_score_reasons')?.includes('+30 C-level or founder'), 5_000);
  expect(Date.now() - sentAt).toBeLessThan(5_000);
  await settled(tenant);

  expect(requestsSince(portalId, mark, BATCH_READ).map(idsOf)).toEqual([[target.id]]);
  expect(requestsSince(portalId, mark, BATCH_UPDATE).map(idsOf)).toEqual([[target.id]]);
  expect(requestsSince(portalId, mark, SEARCH)).toHaveLength(0); // the webhook did it, not a poll
});

it('refuses tampered, stale and unsigned webhooks with 401 and enqueues nothing', async () => {
  const { portal, portalId, tenant } = await installedPortal(5);
  await settled(tenant);
  const id = [...portal.contacts.keys()][0]!;
  const event = { subscriptionType: 'contact.propertyChange', portalId, objectId: id, propertyName: 'jobtitle', propertyValue: 'CEO' };
  const mark = sb.requestLog.length;
  const pendingBefore = await pendingOf(tenant);

  expect(await sb.sendWebhooks([event], { url: webhookUrl(), tamper: 'body' })).toBe(401);
  expect(await sb.sendWebhooks([event], { url: webhookUrl(), tamper: 'signature' })).toBe(401);
  expect(await sb.sendWebhooks([event], { url: webhookUrl(), clientSecret: 'not-the-app-secret' })).toBe(401);
  expect(await sb.sendWebhooks([event], { url: webhookUrl(), timestamp: Date.now() - 6 * 60_000 })).toBe(401);
  expect(await sb.sendWebhooks([event], { url: webhookUrl(), tamper: 'missing' })).toBe(401);
  const unsigned = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) });
  expect(unsigned.status).toBe(401);

  expect(await pendingOf(tenant)).toEqual(pendingBefore);
  expect(await service.deps.queues.flush.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
  await new Promise((r) => setTimeout(r, 400)); // longer than the coalescing delay
  expect(requestsSince(portalId, mark)).toHaveLength(0);

  // the same event, signed: taken
  expect(await sb.sendWebhooks([event], { url: webhookUrl() })).toBe(200);
  await until('the signed event to be read', () => requestsSince(portalId, mark, BATCH_READ).length === 1);
});

it('does not loop through its own writes: the batch updates stop while HubSpot reports every property we write', async () => {
  sb.setWebhookTarget(webhookUrl()); // the sandbox now sends webhooks for every change, ours included
  const { portal, portalId, tenant } = await installedPortal(30);
  const target = [...portal.contacts.values()].find((c) => !/\bvp\b|vice president/i.test(c.get('jobtitle') ?? ''))!;
  portal.updateContact(target.id, { jobtitle: 'VP Engineering' }); // a user's change: a webhook, a new score, another webhook for it
  await until('the new score', () => portal.getContact(target.id)!.get('lead_score_reasons')?.includes('Vice president'));
  await sb.flushWebhooks();
  await settled(tenant);

  const ownEvents = sb.webhookDeliveries.flatMap((d) => d.events.filter((e) => e.portalId === portalId && String(e.propertyName ?? '').startsWith('lead_score')));
  expect(ownEvents.length).toBeGreaterThanOrEqual(30 * 6); // every written property came back as a webhook…
  expect(sb.webhookDeliveries.filter((d) => d.events.some((e) => e.portalId === portalId)).every((d) => d.status === 200)).toBe(true);

  const count = () => requestsSince(portalId, 0, BATCH_UPDATE).length;
  const before = count();
  await new Promise((r) => setTimeout(r, 1_500)); // a quiet period: 15 coalescing delays
  await sb.flushWebhooks();
  expect(count()).toBe(before); // …and none of them led to another write
});

describe('a 429 storm loses nothing', () => {
  it('during the first full sync: the poll stops at the 429s and the next run carries on from the saved cursor', async () => {
    // a deployment that polls every second: the poll defers to its next run when HubSpot keeps saying 429
    const stormEnv = serviceEnv();
    const storm = await startService(stormEnv, ['web', 'worker', 'scheduler'], { prefix: `${prefix}storm:`, pollIntervalMs: 1_000 });
    try {
      let portalId = 0;
      const { portal } = await installedPortal(250, {
        baseUrl: stormEnv.PUBLIC_URL,
        before: (id) => {
          portalId = id;
          // more 429s in a row than one call waits out (1 + 6 retries), on the reads and on the writes
          sb.failNext({ route: SEARCH, portalId: id, status: 429, times: 3, headers: { 'Retry-After': '0.2' } });
          sb.failNext({ route: BATCH_UPDATE, portalId: id, status: 429, times: 9, headers: { 'Retry-After': '0.2' } });
        },
      });
      expect(sb.stats.byPortal[String(portalId)]!.rateLimited).toBe(12);
      expect([...portal.contacts.values()].filter((c) => c.get('lead_score') === undefined)).toHaveLength(0);
    } finally {
      await storm.service.stop();
    }
  });

  it('during a burst of webhooks: the batches go back to the queue for when HubSpot said, and every contact is re-scored', async () => {
    const { portal, portalId, tenant } = await installedPortal(120);
    await settled(tenant);
    const contacts = [...portal.contacts.values()];
    for (const c of contacts) portal.updateContact(c.id, { jobtitle: 'Head of Growth', hs_seniority: 'manager' });
    sb.failNext({ route: BATCH_READ, portalId, status: 429, times: 8, headers: { 'Retry-After': '0.2' } });
    sb.failNext({ route: BATCH_UPDATE, portalId, status: 429, times: 8, headers: { 'Retry-After': '0.2' } });
    const before = sb.stats.byPortal[String(portalId)]!.rateLimited;
    for (let i = 0; i < contacts.length; i += 40) {
      const events = contacts.slice(i, i + 40).map((c) => ({ subscriptionType: 'contact.propertyChange', portalId, objectId: c.id, propertyName: 'jobtitle', propertyValue: 'Head of Growth' }));
      expect(await sb.sendWebhooks(events, { url: webhookUrl() })).toBe(200);
    }
    await until('every contact re-scored', () => contacts.every((c) => portal.getContact(c.id)!.get('lead_score_reasons')?.includes('Director or head of a team')), 20_000);
    expect(sb.stats.byPortal[String(portalId)]!.rateLimited - before).toBe(16);
  });
});

it('refreshes an expired access token (via /oauth/2026-03/token) and carries on', async () => {
  const { portal, portalId, tenant } = await installedPortal(10);
  await settled(tenant);
  const old = (await service.deps.ctx.installations.getTokens(tenant))!;
  sb.expireToken(old.accessToken);
  const mark = sb.requestLog.length;

  const target = [...portal.contacts.values()].find((c) => !/director|head of/i.test(c.get('jobtitle') ?? ''))!;
  portal.updateContact(target.id, { jobtitle: 'Director of Operations', hs_seniority: 'manager' });
  expect(await sb.sendWebhooks([{ subscriptionType: 'contact.propertyChange', portalId, objectId: target.id, propertyName: 'jobtitle' }], { url: webhookUrl() })).toBe(200);
  await until('the new score', () => portal.getContact(target.id)!.get('lead_score_reasons')?.includes('Director or head of a team'));

  const log = sb.requestLog.slice(mark);
  // a request HubSpot refuses for its token names no portal
  const refused = log.findIndex((r) => r.route === BATCH_READ && r.status === 401 && idsOf(r).includes(target.id));
  const refresh = log.findIndex((r) => r.route === 'POST /oauth/2026-03/token' && (r.body as Record<string, string>).grant_type === 'refresh_token');
  expect(refused).toBeGreaterThanOrEqual(0);
  expect(refresh).toBeGreaterThan(refused);
  expect(log[refresh]!.status).toBe(200);
  const fresh = (await service.deps.ctx.installations.getTokens(tenant))!;
  expect(fresh.accessToken).not.toBe(old.accessToken);
  expect(fresh.refreshToken).toBe(old.refreshToken);
  expect(fresh.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
});

it('answers 503 on webhooks and /readyz while Redis is down, and recovers when it is back', async () => {
  const { portal, portalId } = await installedPortal(3);
  const proxy = new RedisProxy();
  await proxy.up();
  // a second web process of the same deployment, whose Redis goes away
  const webEnv = serviceEnv({ REDIS_URL: proxy.url });
  const web = await startService(webEnv, ['web']);
  try {
    const url = webEnv.PUBLIC_URL;
    const event = { subscriptionType: 'contact.propertyChange', portalId, objectId: [...portal.contacts.keys()][0]!, propertyName: 'jobtitle' };
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await sb.sendWebhooks([event], { url: `${url}/webhooks/hubspot` })).toBe(200);

    await proxy.down();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable' });
    expect(await sb.sendWebhooks([event], { url: `${url}/webhooks/hubspot` })).toBe(503); // HubSpot retries it later
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // alive, just not ready

    await proxy.up();
    await until('/readyz to recover', async () => (await fetch(`${url}/readyz`)).status === 200, 10_000);
    expect(await sb.sendWebhooks([event], { url: `${url}/webhooks/hubspot` })).toBe(200);
  } finally {
    await web.service.stop();
    await proxy.down();
  }
});

it('a merge scores the surviving contact and forgets the merged one', async () => {
  const { portal, portalId, tenant } = await installedPortal(10);
  await settled(tenant);
  const [survivor, merged] = [...portal.contacts.keys()];
  expect(await service.deps.scores.get(tenant, 'contact', merged!)).toBeDefined();
  const mark = sb.requestLog.length;

  portal.mergeContacts(survivor!, merged!);
  const status = await sb.sendWebhooks(
    [{ subscriptionType: 'contact.merge', portalId, objectId: Number(survivor), primaryObjectId: Number(survivor), mergedObjectIds: [Number(merged)], newObjectId: Number(survivor) }],
    { url: webhookUrl() },
  );
  expect(status).toBe(200);
  await until('the survivor to be read again', () => requestsSince(portalId, mark, BATCH_READ).some((r) => idsOf(r).includes(survivor!)));
  await settled(tenant);
  expect(await service.deps.scores.get(tenant, 'contact', merged!)).toBeUndefined();
  expect(await service.deps.scores.get(tenant, 'contact', survivor!)).toBeDefined();
  expect(requestsSince(portalId, mark).flatMap(idsOf)).not.toContain(merged);
});

it('a deletion forgets the contact', async () => {
  const { portal, portalId, tenant } = await installedPortal(10);
  await settled(tenant);
  const gone = [...portal.contacts.keys()][3]!;
  expect(await service.deps.scores.get(tenant, 'contact', gone)).toBeDefined();
  const mark = sb.requestLog.length;

  portal.deleteContact(gone);
  expect(await sb.sendWebhooks([{ subscriptionType: 'contact.deletion', portalId, objectId: gone, changeFlag: 'DELETED' }], { url: webhookUrl() })).toBe(200);
  await until('the contact to be forgotten', async () => (await service.deps.scores.get(tenant, 'contact', gone)) === undefined);
  // an older change arriving late does not bring it back
  expect(await sb.sendWebhooks([{ subscriptionType: 'contact.propertyChange', portalId, objectId: gone, propertyName: 'jobtitle', occurredAt: Date.now() - 60_000 }], { url: webhookUrl() })).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  await settled(tenant);
  expect(await pendingOf(tenant)).not.toContain(gone);
  expect(requestsSince(portalId, mark)).toHaveLength(0);
});
