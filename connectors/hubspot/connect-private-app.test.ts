import express from 'express';
import nock from 'nock';
import request from 'supertest';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { connectHubSpotPrivateApp, createHubSpotConnector } from './index';

const API = TEST_ENV.HUBSPOT_API_BASE_URL;
const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

let h: Harness;
beforeEach(() => {
  h = hubspotHarness();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

/** HubSpot accepting the group and the seven properties. */
function propertiesCreated(token: string) {
  return nock(API)
    .matchHeader('authorization', `Bearer ${token}`)
    .post('/crm/v3/properties/contacts/groups')
    .reply(201, { name: 'lead_scoring', label: 'Lead scoring', displayOrder: -1, archived: false })
    .post('/crm/v3/properties/contacts')
    .times(7)
    .reply(201, (_uri, body) => ({ ...(body as object), options: [], description: '', createdAt: '2026-11-02T09:00:00Z' }));
}

describe('connectHubSpotPrivateApp', () => {
  it('reads the portal id with the token, saves a private-app installation, creates the properties and starts the sync', async () => {
    const account = nock(API)
      .get('/account-info/v3/details')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, { portalId: 62515, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18000000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' });
    const props = propertiesCreated(TOKEN);
    await expect(connectHubSpotPrivateApp(h.ctx, `  ${TOKEN}\n`)).resolves.toEqual({ tenant: 'hubspot:62515', portalId: 62515 });
    expect(account.isDone() && props.isDone()).toBe(true);
    await expect(h.installations.get('hubspot:62515')).resolves.toMatchObject({
      status: 'active',
      meta: { portalId: '62515', appKind: 'private', timeZone: 'US/Eastern', accountType: 'STANDARD' },
    });
    await expect(h.installations.getTokens('hubspot:62515')).resolves.toEqual({ accessToken: TOKEN });
    expect(h.ingest.calls).toEqual([{ op: 'startSync', tenant: 'hubspot:62515', objectTypes: ['contact'] }]);
  });

  it('refuses a token HubSpot does not accept, saving nothing', async () => {
    nock(API).get('/account-info/v3/details').reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    const err = (await connectHubSpotPrivateApp(h.ctx, TOKEN).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'AUTH_REVOKED' });
    expect(err.message).not.toContain(TOKEN);
    await expect(h.installations.list('hubspot')).resolves.toEqual([]);
  });

  it('keeps the portal but pauses it, with the reason, when the properties cannot be created', async () => {
    nock(API).get('/account-info/v3/details').reply(200, { portalId: 777, timeZone: 'UTC' });
    nock(API)
      .post('/crm/v3/properties/contacts/groups')
      .reply(403, { status: 'error', message: "This app hasn't been granted all required scopes to make this call.", category: 'MISSING_SCOPES' });
    await expect(connectHubSpotPrivateApp(h.ctx, TOKEN)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const inst = await h.installations.get('hubspot:777');
    expect(inst?.status).toBe('paused');
    expect(inst?.reason).toContain('MISSING_SCOPES');
    expect(h.ingest.calls).toEqual([]);
  });
});

describe('install routes', () => {
  it('explain what is missing when the app is not configured', async () => {
    const bare = hubspotHarness({ HUBSPOT_CLIENT_ID: '', HUBSPOT_CLIENT_SECRET: '' });
    try {
      const app = express().use(createHubSpotConnector(bare.ctx).router());
      const res = await request(app).get('/install/hubspot');
      expect(res.status).toBe(503);
      expect(res.text).toContain('HUBSPOT_CLIENT_ID');
    } finally {
      await bare.cleanup();
    }
  });

  it('report a cancelled install (error=access_denied) with 400', async () => {
    const app = express().use(createHubSpotConnector(h.ctx).router());
    const start = await request(app).get('/install/hubspot');
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await request(app).get(`/oauth/hubspot/callback?error=access_denied&error_description=${encodeURIComponent('<b>User denied</b>')}&state=${state}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('&lt;b&gt;User denied&lt;/b&gt;');
    expect(h.ingest.calls).toEqual([]);
  });
});
