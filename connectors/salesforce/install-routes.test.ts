import { createHash } from 'node:crypto';
import express from 'express';
import nock from 'nock';
import request from 'supertest';
import { INSTANCE_URL, SF_ENV, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { installRouter } from './install-routes';
import { parseIdentityUrl } from './oauth';

const ORG_15 = '00D5g000004ABCD';
const ORG_18 = '00D5g000004ABCDEA4';
const USER = '0055g00000XYZabAAH';
const TOKEN_PATH = '/services/oauth2/token';

let h: SalesforceHarness;
let app: express.Express;
let setup: jest.Mock;
beforeEach(() => {
  h = salesforceHarness();
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  setup = jest.fn(async () => undefined);
  app = express().use(installRouter(h.ctx, setup));
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

async function startInstall(): Promise<URL> {
  const res = await request(app).get('/install/salesforce');
  expect(res.status).toBe(302);
  return new URL(res.headers.location as string);
}

function tokenResponse(over: Record<string, unknown> = {}) {
  return {
    access_token: '00D5g000004ABCD!AQ0AQ.access',
    refresh_token: '5Aep861.refresh',
    instance_url: INSTANCE_URL,
    id: `${SF_ENV.SALESFORCE_LOGIN_URL}/id/${ORG_18}/${USER}`,
    token_type: 'Bearer',
    issued_at: '1795000000000',
    signature: 'c2lnbmF0dXJl',
    scope: 'refresh_token api',
    ...over,
  };
}

describe('GET /install/salesforce', () => {
  it('redirects to the authorize endpoint of SALESFORCE_LOGIN_URL with the web server flow, PKCE S256 and a single-use state', async () => {
    const url = await startInstall();
    expect(`${url.origin}${url.pathname}`).toBe(`${SF_ENV.SALESFORCE_LOGIN_URL}/services/oauth2/authorize`);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      response_type: 'code',
      client_id: SF_ENV.SALESFORCE_CLIENT_ID,
      redirect_uri: `${SF_ENV.PUBLIC_URL}/oauth/salesforce/callback`,
      scope: 'api refresh_token',
      code_challenge_method: 'S256',
    });
    expect(q.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(q.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the verifier stays in Redis under the state, for 10 minutes, and only its challenge left the server
    const kept = JSON.parse((await h.ctx.redis.get(`${h.ctx.prefix}oauth:salesforce:state:${q.state}`))!) as { verifier: string; loginUrl: string };
    expect(kept.loginUrl).toBe(SF_ENV.SALESFORCE_LOGIN_URL);
    const verifier = kept.verifier;
    expect(createHash('sha256').update(verifier!).digest('base64url')).toBe(q.code_challenge);
    expect(await h.ctx.redis.ttl(`${h.ctx.prefix}oauth:salesforce:state:${q.state}`)).toBeGreaterThan(590);
    expect(url.toString()).not.toContain(verifier!);
  });

  it('uses the configured login URL (a sandbox or My Domain)', async () => {
    const sandbox = salesforceHarness({ SALESFORCE_LOGIN_URL: 'https://test.salesforce.com' });
    const res = await request(express().use(installRouter(sandbox.ctx, setup))).get('/install/salesforce');
    expect(res.headers.location).toMatch(/^https:\/\/test\.salesforce\.com\/services\/oauth2\/authorize\?/);
    await sandbox.cleanup();
  });

  it.each([
    ['sandbox', 'https://test.salesforce.com'],
    ['production', 'https://login.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
  ])('?login=%s sends the admin to that login host, whatever SALESFORCE_LOGIN_URL says', async (login, host) => {
    const res = await request(app).get('/install/salesforce').query({ login });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^${host.replace(/[.]/g, '\\.')}/services/oauth2/authorize\\?`));
  });

  it.each([['https://evil.example'], ['http://acme.my.salesforce.com'], ['https://acme.my.salesforce.com.evil.example'], ['https://login.salesforce.com/path'], ['not a url']])(
    '?login=%s is refused with 400: the client secret only goes to Salesforce login hosts',
    async (login) => {
      const res = await request(app).get('/install/salesforce').query({ login });
      expect(res.status).toBe(400);
      expect(res.text).toContain('My Domain');
    },
  );

  it('answers 503 when the connected app is not configured', async () => {
    const bare = salesforceHarness({ SALESFORCE_CLIENT_ID: '', SALESFORCE_CLIENT_SECRET: '' });
    const res = await request(express().use(installRouter(bare.ctx, setup))).get('/install/salesforce');
    expect(res.status).toBe(503);
    await bare.cleanup();
  });
});

describe('GET /oauth/salesforce/callback', () => {
  it('exchanges the code with the verifier of its state, installs the org by its 18-character id, sets it up and starts the sync', async () => {
    const url = await startInstall();
    const state = url.searchParams.get('state')!;
    const challenge = url.searchParams.get('code_challenge')!;
    let sent: Record<string, string> = {};
    const token = nock(SF_ENV.SALESFORCE_LOGIN_URL)
      .post(TOKEN_PATH, (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .reply(200, tokenResponse({ id: `${SF_ENV.SALESFORCE_LOGIN_URL}/id/${ORG_15}/0055g00000XYZab` }));
    const res = await request(app).get('/oauth/salesforce/callback').query({ code: 'aPrx.code', state });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Installed in org ${ORG_18}`);
    expect(token.isDone()).toBe(true);
    expect(sent).toMatchObject({ grant_type: 'authorization_code', code: 'aPrx.code', client_id: SF_ENV.SALESFORCE_CLIENT_ID, client_secret: SF_ENV.SALESFORCE_CLIENT_SECRET, redirect_uri: `${SF_ENV.PUBLIC_URL}/oauth/salesforce/callback` });
    expect(createHash('sha256').update(sent.code_verifier!).digest('base64url')).toBe(challenge);

    const tenant = `salesforce:${ORG_18}`;
    expect(await h.installations.get(tenant)).toMatchObject({ crm: 'salesforce', status: 'active', meta: { orgId: ORG_18, userId: USER, instanceUrl: INSTANCE_URL } });
    expect(await h.installations.getTokens(tenant)).toEqual({ accessToken: '00D5g000004ABCD!AQ0AQ.access', refreshToken: '5Aep861.refresh' });
    expect(setup).toHaveBeenCalledWith(tenant);
    expect(h.ingest.calls).toEqual([{ op: 'startSync', tenant, objectTypes: ['Lead', 'Contact'] }]);
    // the verifier is gone: the state cannot be used again
    expect(await h.ctx.redis.exists(`${h.ctx.prefix}oauth:salesforce:state:${state}`)).toBe(0);
    const again = await request(app).get('/oauth/salesforce/callback').query({ code: 'aPrx.code', state });
    expect(again.status).toBe(400);
    // no token in the page
    expect(res.text).not.toContain('access');
  });

  it('a sandbox org installed with ?login=sandbox exchanges its code at test.salesforce.com and keeps that host for its refreshes', async () => {
    const res0 = await request(app).get('/install/salesforce').query({ login: 'sandbox' });
    const state = new URL(res0.headers.location as string).searchParams.get('state')!;
    const token = nock('https://test.salesforce.com').post(TOKEN_PATH).reply(200, tokenResponse({ id: `https://test.salesforce.com/id/${ORG_18}/${USER}` }));
    const res = await request(app).get('/oauth/salesforce/callback').query({ code: 'c', state });
    expect(res.status).toBe(200);
    expect(token.isDone()).toBe(true);
    expect(await h.installations.get(`salesforce:${ORG_18}`)).toMatchObject({ meta: { loginUrl: 'https://test.salesforce.com' } });
  });

  it.each([
    ['no state', {}],
    ['an unknown state', { state: 'x'.repeat(32) }],
    ['a malformed state', { state: '../../etc' }],
  ])('refuses %s with 400 and exchanges nothing', async (_name, query) => {
    const res = await request(app)
      .get('/oauth/salesforce/callback')
      .query({ code: 'c', ...query });
    expect(res.status).toBe(400);
    expect(nock.pendingMocks()).toEqual([]);
    expect(setup).not.toHaveBeenCalled();
  });

  it('shows the error Salesforce sent back (the user denied access)', async () => {
    const state = (await startInstall()).searchParams.get('state')!;
    const res = await request(app).get('/oauth/salesforce/callback').query({ state, error: 'access_denied', error_description: 'end-user denied authorization' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('end-user denied authorization');
  });

  it('a refused code exchange answers 502 with the reason and installs nothing', async () => {
    const state = (await startInstall()).searchParams.get('state')!;
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(400, { error: 'invalid_grant', error_description: 'invalid code verifier' });
    const res = await request(app).get('/oauth/salesforce/callback').query({ code: 'c', state });
    expect(res.status).toBe(502);
    expect(res.text).toContain('invalid code verifier');
    expect(await h.installations.list('salesforce')).toEqual([]);
  });

  it('a failing setup keeps the org but pauses it with the reason, and does not start the sync', async () => {
    setup.mockRejectedValueOnce(new Error('Lead.Lead_Score__c is not visible'));
    const state = (await startInstall()).searchParams.get('state')!;
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(200, tokenResponse());
    const res = await request(app).get('/oauth/salesforce/callback').query({ code: 'c', state });
    expect(res.status).toBe(502);
    expect(await h.installations.get(`salesforce:${ORG_18}`)).toMatchObject({ status: 'paused', reason: expect.stringContaining('Lead.Lead_Score__c is not visible') });
    expect(h.ingest.calls).toEqual([]);
  });

  it('without a refresh token (scope missing on the connected app) the install fails clearly', async () => {
    const state = (await startInstall()).searchParams.get('state')!;
    const { refresh_token: _r, ...noRefresh } = tokenResponse();
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(200, noRefresh);
    const res = await request(app).get('/oauth/salesforce/callback').query({ code: 'c', state });
    expect(res.status).toBe(502);
    expect(res.text).toContain('refresh_token');
  });
});

it('reads org and user from the identity URL, in their 18-character form', () => {
  expect(parseIdentityUrl('https://login.salesforce.com/id/00D5g000004ABCD/0055g00000XYZab')).toEqual({ orgId: ORG_18, userId: USER });
  expect(() => parseIdentityUrl('https://login.salesforce.com/services/oauth2/userinfo')).toThrow(/identity URL/);
});
