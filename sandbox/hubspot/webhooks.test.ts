import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { APP, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox, type WebhookEvent } from './index';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** A stand-in for the connector's webhook endpoint: records what arrives, answers with `status()`. */
async function receiver(status: () => number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hubspot`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Written from HubSpot's documented v3 algorithm, independently of the sandbox's signer. */
function verifyV3(secret: string, method: string, uri: string, rawBody: string, timestamp: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(method + uri + rawBody + timestamp).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('HubSpot sandbox: webhooks', () => {
  let sb: HubSpotSandbox;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let answer = 200;
  let failures = 0;
  beforeAll(async () => {
    hook = await receiver(() => (failures > 0 ? (failures--, 500) : answer));
    sb = await startHubSpotSandbox({ ...APP, webhookTarget: hook.url, emitWebhooks: { flushMs: 5, retryDelayMs: 20 } });
  });
  afterAll(async () => {
    await sb.close();
    await hook.close();
  });
  beforeEach(() => {
    hook.received.length = 0;
    answer = 200;
  });

  it('signs with v3 (HMAC-SHA256 over method + uri + body + timestamp) and POSTs a JSON array', async () => {
    const status = await sb.sendWebhooks([{ subscriptionType: 'contact.propertyChange', portalId: 801, objectId: 1001, propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'CRM_UI' }]);
    expect(status).toBe(200);
    const [got] = hook.received;
    const timestamp = got!.headers['x-hubspot-request-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(5000);
    expect(got!.headers['content-type']).toBe('application/json');
    const signature = got!.headers['x-hubspot-signature-v3'] as string;
    expect(verifyV3(APP.clientSecret, 'POST', hook.url, got!.raw, timestamp, signature)).toBe(true);
    expect(verifyV3('another-secret', 'POST', hook.url, got!.raw, timestamp, signature)).toBe(false);
    expect(Signature.isValid({ signatureVersion: 'v3', method: 'POST', url: hook.url, requestBody: got!.raw, timestamp: Number(timestamp), signature, clientSecret: APP.clientSecret })).toBe(true);

    const events = JSON.parse(got!.raw) as WebhookEvent[];
    expect(events).toEqual([
      {
        eventId: expect.any(Number), subscriptionId: expect.any(Number), portalId: 801, appId: APP.appId, occurredAt: expect.any(Number),
        subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1001, propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'CRM_UI',
      },
    ]);
  });

  it('can tamper with the signature, the body or the timestamp, and returns the receiver\'s status', async () => {
    for (const tamper of ['signature', 'body', 'timestamp', 'missing'] as const) {
      await sb.sendWebhooks([{ subscriptionType: 'contact.creation', portalId: 801, objectId: 1 }], { tamper });
    }
    expect(hook.received).toHaveLength(4);
    for (const r of hook.received) {
      expect(verifyV3(APP.clientSecret, 'POST', hook.url, r.raw, r.headers['x-hubspot-request-timestamp'] as string, r.headers['x-hubspot-signature-v3'] as string | undefined)).toBe(false);
    }
    answer = 401;
    const stale = Date.now() - 10 * 60_000;
    expect(await sb.sendWebhooks([{ subscriptionType: 'contact.creation', portalId: 801, objectId: 1 }], { timestamp: stale })).toBe(401);
    expect(hook.received[4]!.headers['x-hubspot-request-timestamp']).toBe(String(stale));
  });

  it('emits contact.propertyChange for the connector\'s own writes with changeSource INTEGRATION and the app id', async () => {
    const portal = sb.createPortal(802);
    const [a, b] = portal.seedContacts(2, { seed: 802 });
    const client = sdk(sb, sb.issueToken(802).access_token);
    await client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { hs_lead_status: 'OPEN' } }, { id: b!.id, properties: { hs_lead_status: 'OPEN' } }] });
    portal.updateContact(a!.id, { hs_email_open: '9' });
    await sb.flushWebhooks();
    const events = hook.received.flatMap((r) => JSON.parse(r.raw) as WebhookEvent[]);
    const fromApi = events.filter((e) => e.propertyName === 'hs_lead_status');
    expect(fromApi.map((e) => e.objectId).sort()).toEqual([Number(a!.id), Number(b!.id)].sort());
    expect(fromApi.every((e) => e.changeSource === 'INTEGRATION' && e.sourceId === String(APP.appId) && e.propertyValue === 'OPEN' && e.portalId === 802)).toBe(true);
    const fromUser = events.find((e) => e.propertyName === 'hs_email_open');
    expect(fromUser).toMatchObject({ changeSource: 'CRM_UI', objectId: Number(a!.id), propertyValue: '9' });
    expect(hook.received.every((r) => verifyV3(APP.clientSecret, 'POST', hook.url, r.raw, r.headers['x-hubspot-request-timestamp'] as string, r.headers['x-hubspot-signature-v3'] as string))).toBe(true);
  });

  it('sends at most 100 events per request and retries a failed delivery with a higher attemptNumber', async () => {
    const portal = sb.createPortal(803);
    const seeded = portal.seedContacts(150, { seed: 803 });
    const client = sdk(sb, sb.issueToken(803).access_token);
    for (let i = 0; i < 150; i += 100) {
      await client.crm.contacts.batchApi.update({ inputs: seeded.slice(i, i + 100).map((c) => ({ id: c.id, properties: { jobtitle: 'Buyer' } })) });
    }
    await sb.flushWebhooks();
    const sizes = hook.received.map((r) => (JSON.parse(r.raw) as unknown[]).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(150);

    hook.received.length = 0;
    failures = 1;
    portal.updateContact(seeded[0]!.id, { firstname: 'Retried' });
    await sb.flushWebhooks();
    const attempts = hook.received.map((r) => (JSON.parse(r.raw) as WebhookEvent[])[0]!.attemptNumber);
    expect(attempts).toEqual([0, 1]);
    expect(sb.webhookDeliveries.slice(-2).map((d) => d.status)).toEqual([500, 200]);
  });
});
