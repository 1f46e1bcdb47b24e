import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { createHubSpotConnector } from './index';

const SECRET = TEST_ENV.HUBSPOT_CLIENT_SECRET;
const URI = `${TEST_ENV.PUBLIC_URL}/webhooks/hubspot`;
const PORTAL = 1001;
const T0 = Date.now() - 60 * 60_000;

/** Signs as HubSpot documents v3: base64 HMAC-SHA256 of method + uri + body + timestamp. */
function sign(body: string, ts: number, secret = SECRET, uri = URI): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': createHmac('sha256', secret).update(`POST${uri}${body}${ts}`, 'utf8').digest('base64'),
    'X-HubSpot-Request-Timestamp': String(ts),
    'Content-Type': 'application/json',
  };
}

let seq = 0;
function event(type: string, objectId: number, over: Record<string, unknown> = {}) {
  seq++;
  return { eventId: 1000 + seq, subscriptionId: 55, portalId: PORTAL, appId: 424242, occurredAt: T0 + seq, subscriptionType: type, attemptNumber: 0, objectId, changeSource: 'CRM_UI', ...over };
}

let h: Harness;
let app: express.Express;
beforeEach(async () => {
  h = hubspotHarness();
  await h.install(PORTAL, { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000 });
  app = express().use(createHubSpotConnector(h.ctx).router());
});
afterEach(() => h.cleanup());

function post(events: unknown, opts: { ts?: number; secret?: string; tamper?: (body: string) => string; headers?: Record<string, string> } = {}) {
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  const headers = { ...sign(body, opts.ts ?? Date.now(), opts.secret), ...opts.headers };
  return request(app)
    .post('/webhooks/hubspot')
    .set(headers)
    .send(opts.tamper ? opts.tamper(body) : body);
}

describe('signature', () => {
  it('accepts a correctly signed batch, enqueues its contacts, and marks the events seen only after', async () => {
    const events = [event('contact.creation', 11), event('contact.propertyChange', 12, { propertyName: 'jobtitle', propertyValue: 'CTO' })];
    const res = await post(events);
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toEqual([
      { op: 'unseenEvents', tenant: 'hubspot:1001', eventIds: events.map((e) => String(e.eventId)) },
      { op: 'enqueue', tenant: 'hubspot:1001', objectType: 'contact', ids: ['11', '12'] },
      { op: 'markEventsSeen', tenant: 'hubspot:1001', eventIds: events.map((e) => String(e.eventId)) },
    ]);
  });

  it.each([
    ['a tampered body', { tamper: (b: string) => b.replace('"objectId":', '"objectId":9') }, 'signature does not match'],
    ['another secret', { secret: 'not-the-secret' }, 'signature does not match'],
    ['a stale timestamp', { ts: Date.now() - 6 * 60_000 }, 'timestamp outside the 5-minute window'],
    ['no signature', { headers: { 'X-HubSpot-Signature-v3': '' } }, 'missing X-HubSpot-Signature-v3 header'],
    ['no timestamp', { headers: { 'X-HubSpot-Request-Timestamp': '' } }, 'missing X-HubSpot-Request-Timestamp header'],
  ])('refuses %s with 401 and enqueues nothing', async (_name, opts, reason) => {
    const res = await post([event('contact.creation', 11)], opts);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid signature', reason });
    expect(h.ingest.calls).toEqual([]);
  });

  it('signs over PUBLIC_URL plus the path and query HubSpot called', async () => {
    const body = JSON.stringify([event('contact.creation', 11)]);
    const res = await request(app)
      .post('/webhooks/hubspot?source=hs')
      .set(sign(body, Date.now(), SECRET, `${URI}?source=hs`))
      .send(body);
    expect(res.status).toBe(200);
  });
});

describe('body', () => {
  it.each([
    ['not JSON', '[{"eventId": 1,'],
    ['not an array', JSON.stringify({ eventId: 1 })],
    ['an event without eventId', JSON.stringify([{ portalId: PORTAL, occurredAt: T0, subscriptionType: 'contact.creation', objectId: 1 }])],
  ])('answers 400 to a signed body that is %s', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid body');
    expect(h.ingest.calls).toEqual([]);
  });

  it('answers 415 to a signed body that is not JSON by its content type', async () => {
    const res = await post([event('contact.creation', 1)], { headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(h.ingest.calls).toEqual([]);
  });
});

describe('events', () => {
  it('ignores changes of our own output properties (no loop) and of properties the scoring does not read', async () => {
    const events = [
      event('contact.propertyChange', 21, { propertyName: 'lead_score', propertyValue: '80', changeSource: 'INTEGRATION' }),
      event('contact.propertyChange', 22, { propertyName: 'lead_score_reasons', propertyValue: 'x' }),
      event('contact.propertyChange', 23, { propertyName: 'favorite_color', propertyValue: 'blue' }),
    ];
    const res = await post(events);
    expect(res.status).toBe(200);
    // nothing to do, and no de-duplication key spent on them either
    expect(h.ingest.ops()).toEqual([]);
  });

  it('a merge scores the surviving contact and forgets the merged ones', async () => {
    await post([event('contact.merge', 31, { primaryObjectId: 31, mergedObjectIds: [32, 33], newObjectId: 31 })]);
    expect(h.ingest.ids('enqueue')).toEqual(['31']);
    expect(h.ingest.ids('forget')).toEqual(['32', '33']);
  });

  it('deletions and privacy deletions forget; restores and association changes score', async () => {
    await post([
      event('contact.deletion', 41),
      event('contact.privacyDeletion', 42),
      event('contact.restore', 43),
      event('contact.associationChange', 0, { objectId: undefined, associationType: 'CONTACT_TO_COMPANY', fromObjectId: 44, toObjectId: 9001 }),
      event('contact.associationChange', 0, { objectId: undefined, associationType: 'COMPANY_TO_CONTACT', fromObjectId: 9001, toObjectId: 45 }),
      event('deal.creation', 46),
    ]);
    expect(h.ingest.ids('forget')).toEqual(['41', '42']);
    expect(h.ingest.ids('enqueue')).toEqual(['43', '44', '45']);
  });

  it('a change older than a deletion does not bring the contact back; a later restore does', async () => {
    const deletion = event('contact.deletion', 51, { occurredAt: T0 + 5000 });
    await post([deletion]);
    await post([event('contact.propertyChange', 51, { propertyName: 'jobtitle', occurredAt: T0 + 1000 })]);
    expect(h.ingest.ids('enqueue')).toEqual([]);
    await post([event('contact.restore', 51, { occurredAt: T0 + 9000 })]);
    expect(h.ingest.ids('enqueue')).toEqual(['51']);
  });

  it('a deletion older than a restore does not forget the live contact; order inside one batch is by occurredAt', async () => {
    await post([event('contact.restore', 61, { occurredAt: T0 + 9000 })]);
    await post([event('contact.deletion', 61, { occurredAt: T0 + 5000 })]);
    expect(h.ingest.ids('forget')).toEqual([]);
    await post([event('contact.propertyChange', 62, { propertyName: 'jobtitle', occurredAt: T0 + 2000 }), event('contact.deletion', 62, { occurredAt: T0 + 3000 })].reverse());
    expect(h.ingest.ids('forget')).toEqual(['62']);
    expect(h.ingest.ids('enqueue')).toEqual(['61']);
  });

  it('handles an event id once: repeated in one body, or delivered again', async () => {
    const e = event('contact.creation', 71);
    await post([e, e]);
    expect(h.ingest.calls.find((c) => c.op === 'markEventsSeen')).toMatchObject({ eventIds: [String(e.eventId)] });
    const again = await post([e]);
    expect(again.status).toBe(200);
    expect(h.ingest.ids('enqueue')).toEqual(['71']);
  });

  it('groups events by portal and ignores portals that are not installed or need a new install', async () => {
    await h.install(2002, { accessToken: 'x', refreshToken: 'y' });
    await h.install(3003, { accessToken: 'x', refreshToken: 'y' });
    await h.installations.setStatus('hubspot:3003', 'needs_reauth', 'invalid_grant');
    const res = await post([event('contact.creation', 81), event('contact.creation', 82, { portalId: 2002 }), event('contact.creation', 83, { portalId: 3003 }), event('contact.creation', 84, { portalId: 4004 })]);
    expect(res.status).toBe(200);
    const enq = h.ingest.calls.filter((c) => c.op === 'enqueue');
    expect(enq).toEqual(
      expect.arrayContaining([
        { op: 'enqueue', tenant: 'hubspot:1001', objectType: 'contact', ids: ['81'] },
        { op: 'enqueue', tenant: 'hubspot:2002', objectType: 'contact', ids: ['82'] },
      ]),
    );
    expect(enq).toHaveLength(2);
  });

  it('answers 503 when the work cannot be enqueued, marks nothing seen, and does the work on HubSpot’s retry', async () => {
    h.ingest.failEnqueue = true;
    const events = [event('contact.creation', 91)];
    const res = await post(events);
    expect(res.status).toBe(503);
    expect(h.ingest.ops()).toEqual(['unseenEvents']);
    h.ingest.failEnqueue = false;
    const retry = await post(events);
    expect(retry.status).toBe(200);
    expect(h.ingest.ids('enqueue')).toEqual(['91']);
  });
});
