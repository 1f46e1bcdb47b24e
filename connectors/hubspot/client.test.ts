import net from 'node:net';
import nock from 'nock';
import { CrmError } from '../../src/errors/crm-error';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { HubSpotClients } from './client';
import { HubSpotHttpError } from './hubspot-http-error';
import { hubspotMetrics } from './metrics';
import { TOKEN_PATH } from './oauth';
import { resolveOptions, type HubSpotConnectorOptions } from './options';
import { pauseAfter429, retryAfterMs } from './rate-limits';

const API = TEST_ENV.HUBSPOT_API_BASE_URL;
const CONTACT_PATH = '/crm/v3/objects/contacts/42';
const CONTACT = { id: '42', properties: { email: 'a@b.example' }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', archived: false };

let h: Harness;
let tenant: string;
beforeEach(async () => {
  h = hubspotHarness();
  nock.disableNetConnect();
  tenant = await h.install(1001, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 });
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

function clients(options: HubSpotConnectorOptions = {}) {
  return new HubSpotClients(h.ctx, resolveOptions(options));
}
const getContact = (c: HubSpotClients) => c.call(tenant, 'general', (sdk) => sdk.crm.contacts.basicApi.getById('42'));
const counter = async (name: 'rateLimitedByPolicy', labels: Record<string, string>) =>
  (await hubspotMetrics[name].get()).values.find((v) => Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))?.value ?? 0;

describe('429: the only retry layer', () => {
  it('waits as long as Retry-After says, then succeeds; the SDK does not retry on its own', async () => {
    const before = await counter('rateLimitedByPolicy', { policy: 'TEN_SECONDLY_ROLLING' });
    const scope = nock(API)
      .get(CONTACT_PATH)
      .reply(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '1' })
      .get(CONTACT_PATH)
      .reply(200, CONTACT);
    const started = Date.now();
    await expect(getContact(clients())).resolves.toMatchObject({ id: '42' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(3000);
    expect(scope.isDone()).toBe(true);
    expect(await counter('rateLimitedByPolicy', { policy: 'TEN_SECONDLY_ROLLING' })).toBe(before + 1);
  });

  it('pauses the whole portal, for every caller, for the time it said', async () => {
    nock(API).get(CONTACT_PATH).reply(429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '1' }).get(CONTACT_PATH).reply(200, CONTACT);
    const c = clients();
    const first = getContact(c);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.ctx.limiter.pausedFor('hubspot:1001:general')).toBeGreaterThan(400);
    await first;
  });

  it('gives up after maxRateLimitRetries with a retryable RATE_LIMITED', async () => {
    const scope = nock(API).get(CONTACT_PATH).times(3).reply(429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '0' });
    const err = (await getContact(clients({ maxRateLimitRetries: 2 })).catch((e: unknown) => e)) as CrmError;
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { status: 429 } });
    expect(scope.isDone()).toBe(true);
  });

  it('a search 429 (SECONDLY) pauses the search budget only', async () => {
    nock(API).post('/crm/v3/objects/contacts/search').reply(429, { status: 'error', message: 'You have reached your secondly limit.', policyName: 'SECONDLY' });
    const search = clients({ maxRateLimitRetries: 0 }).call(tenant, 'search', (sdk) => sdk.crm.contacts.searchApi.doSearch({ limit: 1 }));
    await expect(search).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(await h.ctx.limiter.pausedFor('hubspot:1001:search')).toBeGreaterThan(500);
    expect(await h.ctx.limiter.pausedFor('hubspot:1001:general')).toBe(0);
  });

  it('the daily limit pauses the portal for an hour and fails at once, without retrying', async () => {
    nock(API).get(CONTACT_PATH).reply(429, { status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY' });
    const c = clients();
    await expect(getContact(c)).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: true, details: { retryAfterMs: 3_600_000 } });
    expect(await h.ctx.limiter.pausedFor('hubspot:1001:general')).toBeGreaterThan(3_590_000);
    // while paused, calls fail fast with how long to wait, and HubSpot is not asked
    const err = (await getContact(c).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(err.details.retryAfterMs).toBeGreaterThan(3_590_000);
  });

  it('reads the pause from Retry-After, else from the policy', () => {
    const err = (policyName: string | undefined, headers: Record<string, string> = {}) => new HubSpotHttpError(429, headers, JSON.stringify({ status: 'error', policyName }));
    expect(pauseAfter429(err('TEN_SECONDLY_ROLLING'), 'general')).toEqual({ budget: 'general', ms: 10_000, policy: 'TEN_SECONDLY_ROLLING', daily: false });
    expect(pauseAfter429(err('SECONDLY'), 'search')).toEqual({ budget: 'search', ms: 1_000, policy: 'SECONDLY', daily: false });
    expect(pauseAfter429(err('DAILY'), 'general')).toEqual({ budget: 'general', ms: 3_600_000, policy: 'DAILY', daily: true });
    expect(pauseAfter429(err(undefined), 'search')).toMatchObject({ budget: 'search', ms: 1_000 });
    expect(pauseAfter429(err(undefined), 'general')).toMatchObject({ budget: 'general', ms: 10_000 });
    expect(pauseAfter429(err('TEN_SECONDLY_ROLLING', { 'retry-after': '3' }), 'search')).toMatchObject({ budget: 'general', ms: 3_000 });
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(5_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('budgets', () => {
  it('takes a general grant for every call but searches, which spend only their own budget', async () => {
    const take = jest.spyOn(h.ctx.limiter, 'take');
    nock(API).get(CONTACT_PATH).reply(200, CONTACT).post('/crm/v3/objects/contacts/search').reply(200, { total: 0, results: [] });
    const c = clients();
    await getContact(c);
    await c.call(tenant, 'search', (sdk) => sdk.crm.contacts.searchApi.doSearch({ limit: 1 }));
    expect(take.mock.calls.map(([key, rule]) => [key, rule])).toEqual([
      ['hubspot:1001:general', { limit: 100, windowMs: 10_000 }],
      ['hubspot:1001:search', { limit: 5, windowMs: 1_100 }],
    ]);
  });

  it('gives a private-app portal the smaller private budget', async () => {
    const priv = await h.install(2002, { accessToken: 'pat-na1-x' }, { appKind: 'private' });
    const take = jest.spyOn(h.ctx.limiter, 'take');
    nock(API).get(CONTACT_PATH).reply(200, CONTACT);
    await clients().call(priv, 'general', (sdk) => sdk.crm.contacts.basicApi.getById('42'));
    expect(take).toHaveBeenCalledWith('hubspot:2002:general', { limit: 90, windowMs: 10_000 }, undefined);
  });
});

describe('tokens', () => {
  it('on a 401 refreshes once (persisting the new token) and retries once with it', async () => {
    let form = '';
    const scope = nock(API)
      .get(CONTACT_PATH)
      .matchHeader('authorization', 'Bearer at-1')
      .reply(401, { status: 'error', message: 'The OAuth token used to make this call expired 1 second(s) ago.', category: 'EXPIRED_AUTHENTICATION' })
      .post(TOKEN_PATH, (b: string) => {
        form = b;
        return true;
      })
      .reply(200, { access_token: 'at-2', refresh_token: 'rt-1', expires_in: 1800, token_type: 'bearer' })
      .get(CONTACT_PATH)
      .matchHeader('authorization', 'Bearer at-2')
      .reply(200, CONTACT);
    await expect(getContact(clients())).resolves.toMatchObject({ id: '42' });
    expect(scope.isDone()).toBe(true);
    expect(new URLSearchParams(form).get('refresh_token')).toBe('rt-1');
    await expect(h.installations.getTokens(tenant)).resolves.toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-1' });
  });

  it('refreshes only once: a second 401 fails the call (retryable) and leaves the portal active', async () => {
    const scope = nock(API)
      .get(CONTACT_PATH)
      .twice()
      .reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' })
      .post(TOKEN_PATH)
      .once()
      .reply(200, { access_token: 'at-2', refresh_token: 'rt-1', expires_in: 1800 });
    await expect(getContact(clients())).rejects.toMatchObject({ code: 'AUTH_EXPIRED', retryable: true });
    expect(scope.isDone()).toBe(true);
    await expect(h.installations.get(tenant)).resolves.toMatchObject({ status: 'active' });
  });

  it('a refused private-app token (no refresh token) marks the portal needs_reauth', async () => {
    const priv = await h.install(2002, { accessToken: 'pat-na1-x' }, { appKind: 'private' });
    nock(API).get(CONTACT_PATH).reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    await expect(clients().call(priv, 'general', (sdk) => sdk.crm.contacts.basicApi.getById('42'))).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    await expect(h.installations.get(priv)).resolves.toMatchObject({ status: 'needs_reauth' });
  });

  it('refreshes a token that expires within 5 minutes before using it', async () => {
    await h.installations.setTokens(tenant, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() + 60_000 });
    const scope = nock(API)
      .post(TOKEN_PATH)
      .reply(200, { access_token: 'at-fresh', refresh_token: 'rt-1', expires_in: 1800 })
      .get(CONTACT_PATH)
      .matchHeader('authorization', 'Bearer at-fresh')
      .reply(200, CONTACT);
    await getContact(clients());
    expect(scope.isDone()).toBe(true);
  });
});

describe('other errors become CrmErrors for the job layer, without retries here', () => {
  it('5xx: retryable UNAVAILABLE after one request', async () => {
    const scope = nock(API).get(CONTACT_PATH).once().reply(500, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR', correlationId: 'c-1' });
    const err = (await getContact(clients()).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true, details: { status: 500, tenant } });
    expect(scope.isDone()).toBe(true);
  });

  it('a gateway error with an HTML body keeps its status', async () => {
    nock(API).get(CONTACT_PATH).reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' });
    const err = (await getContact(clients()).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true, details: { status: 502 } });
    expect(err.message).toContain('502 Bad Gateway');
  });

  it('400, 403 and 404 are not retryable and carry HubSpot’s category and message', async () => {
    nock(API)
      .get(CONTACT_PATH)
      .reply(400, { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR', correlationId: 'corr-9' })
      .get(CONTACT_PATH)
      .reply(403, { status: 'error', message: "This app hasn't been granted all required scopes to make this call.", category: 'MISSING_SCOPES' })
      .get(CONTACT_PATH)
      .reply(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
    const c = clients();
    const bad = (await getContact(c).catch((e: unknown) => e)) as CrmError;
    expect(bad).toMatchObject({ code: 'INVALID_REQUEST', retryable: false, details: { status: 400 } });
    expect(bad.message).toContain('VALIDATION_ERROR');
    expect(bad.message).toContain('Property values were not valid');
    expect(bad.message).toContain('corr-9');
    const scopes = (await getContact(c).catch((e: unknown) => e)) as CrmError;
    expect(scopes).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(scopes.message).toContain('MISSING_SCOPES');
    await expect(getContact(c)).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('a network failure is retryable UNAVAILABLE', async () => {
    // a real server that drops every connection (nock's replyWithError is unreliable with node-fetch)
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    nock.enableNetConnect('127.0.0.1');
    try {
      const ctx = { ...h.ctx, env: { ...h.ctx.env, HUBSPOT_API_BASE_URL: `http://127.0.0.1:${port}` } };
      const err = (await getContact(new HubSpotClients(ctx, resolveOptions({}))).catch((e: unknown) => e)) as CrmError;
      expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect(err.message).toMatch(/socket hang up|ECONNRESET/);
    } finally {
      nock.disableNetConnect();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a call with no answer fails after requestTimeoutMs', async () => {
    nock(API).get(CONTACT_PATH).delay(600).reply(200, CONTACT);
    await expect(getContact(clients({ requestTimeoutMs: 150 }))).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    await new Promise((r) => setTimeout(r, 600)); // let the late answer arrive before the test ends
  });

  it('an aborted signal stops the call before it is sent', async () => {
    const ac = new AbortController();
    ac.abort(new Error('shutting down'));
    await expect(clients().call(tenant, 'general', (sdk) => sdk.crm.contacts.basicApi.getById('42'), ac.signal)).rejects.toThrow('shutting down');
  });

  it('a portal that is not installed fails without a request', async () => {
    await expect(clients().call('hubspot:9999', 'general', (sdk) => sdk.crm.contacts.basicApi.getById('42'))).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
  });
});
