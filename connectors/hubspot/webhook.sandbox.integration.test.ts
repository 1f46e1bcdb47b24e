/**
 * Webhooks end to end: the sandbox signs and delivers its own change events to the connector's
 * route over HTTP, as HubSpot would. Our score writes come back as property changes and must not
 * lead to another scoring.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../sandbox/hubspot';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { createHubSpotConnector, type HubSpotConnector } from './index';

const PORTAL = 7001;
let server: http.Server;
let handler: http.RequestListener = (_req, res) => res.end();
let publicUrl: string;
let sb: HubSpotSandbox;
let h: Harness;
let connector: HubSpotConnector;
let tenant: string;

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sb = await startHubSpotSandbox({
    clientId: TEST_ENV.HUBSPOT_CLIENT_ID,
    clientSecret: TEST_ENV.HUBSPOT_CLIENT_SECRET,
    appId: 424242,
    webhookTarget: `${publicUrl}/webhooks/hubspot`,
    emitWebhooks: { flushMs: 10, maxAttempts: 1 },
  });
});
afterAll(async () => {
  await sb.close();
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  h = hubspotHarness({ HUBSPOT_API_BASE_URL: sb.url, PUBLIC_URL: publicUrl });
  connector = createHubSpotConnector(h.ctx);
  handler = express().use(connector.router());
  sb.createPortal(PORTAL);
  const t = sb.issueToken(PORTAL);
  tenant = await h.install(PORTAL, { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + 1_800_000 });
  await connector.setupTenant(tenant);
});
afterEach(() => h.cleanup());

it('scores created and changed contacts, forgets deleted ones, and does not loop on its own writes', async () => {
  const portal = sb.portal(PORTAL)!;
  const contact = portal.createContact({ email: 'new.lead@acme.example', jobtitle: 'Head of Sales' });
  await sb.flushWebhooks();
  expect(h.ingest.ids('enqueue')).toEqual([contact.id]);

  const [record] = (await connector.fetchRecords(tenant, 'contact', [contact.id])).records;
  const outcomes = await connector.writeScores(tenant, [
    { objectType: 'contact', id: contact.id, values: { score: 81, fit: 50, engagement: 31, tier: 'hot', reasons: '+30 Head of Sales', model: 'm1' }, changedAt: Date.now() },
  ]);
  expect(outcomes[0]?.ok).toBe(true);
  expect(record?.id).toBe(contact.id);
  await sb.flushWebhooks();
  const ownChanges = sb.webhookDeliveries.flatMap((d) => d.events).filter((e) => String(e.propertyName ?? '').startsWith('lead_score'));
  expect(ownChanges.length).toBeGreaterThanOrEqual(6);
  expect(h.ingest.ids('enqueue')).toEqual([contact.id]); // still only the creation

  portal.deleteContact(contact.id);
  await sb.flushWebhooks();
  expect(h.ingest.ids('forget')).toEqual([contact.id]);
  expect(sb.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
});

it('refuses deliveries signed with another secret or changed after signing', async () => {
  const event = { subscriptionType: 'contact.creation', portalId: PORTAL, objectId: 12345 } as const;
  expect(await sb.sendWebhooks([event], { tamper: 'body' })).toBe(401);
  expect(await sb.sendWebhooks([event], { clientSecret: 'someone-else' })).toBe(401);
  expect(await sb.sendWebhooks([event], { tamper: 'missing' })).toBe(401);
  expect(h.ingest.calls).toEqual([]);
  expect(await sb.sendWebhooks([event])).toBe(200);
  expect(h.ingest.ids('enqueue')).toEqual(['12345']);
});
