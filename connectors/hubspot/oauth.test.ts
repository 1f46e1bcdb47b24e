import nock from 'nock';
import { CrmError } from '../../src/errors/crm-error';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { HubSpotClients } from './client';
import { consumeInstallState, createInstallState } from '../shared/oauth-state';
import { authorizeUrl, exchangeCode, fetchAccessTokenInfo, INTROSPECT_PATH, refreshTokens, TOKEN_PATH } from './oauth';
import { resolveOptions } from './options';

const API = TEST_ENV.HUBSPOT_API_BASE_URL;
const NOW = 1_790_000_000_000;

let h: Harness;
beforeEach(() => {
  h = hubspotHarness({}, { clock: () => NOW });
  nock.disableNetConnect();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

/** Captures the form body of a token request, answering with `reply`. */
function tokenEndpoint(status: number, reply: object): { form: () => Record<string, string>; query: () => string } {
  let body = '';
  let path = '';
  nock(API)
    .post((p) => p.startsWith(TOKEN_PATH))
    .reply(function (uri, b) {
      path = uri;
      body = String(b);
      expect(this.req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      return [status, reply];
    });
  return { form: () => Object.fromEntries(new URLSearchParams(body)), query: () => path.slice(TOKEN_PATH.length) };
}

describe('install URL and state', () => {
  it('points at HubSpot with client_id, redirect_uri, the scopes (space-separated), optional_scope and state', () => {
    const url = new URL(authorizeUrl(h.env, 'state-123'));
    expect(`${url.origin}${url.pathname}`).toBe('https://app.hubspot.test/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'test-client-id',
      redirect_uri: 'https://connector.example/oauth/hubspot/callback',
      scope: 'oauth crm.objects.contacts.read crm.objects.contacts.write crm.schemas.contacts.read crm.schemas.contacts.write crm.objects.owners.read',
      optional_scope: 'crm.objects.companies.read',
      state: 'state-123',
    });
    expect(url.search).toContain('scope=oauth%20crm.objects.contacts.read');
  });

  it('issues a single-use state that lives 10 minutes', async () => {
    const { state, challenge } = await createInstallState(h.ctx.redis, h.ctx.prefix, 'hubspot');
    expect(challenge).toBeUndefined();
    const ttl = await h.ctx.redis.ttl(`${h.ctx.prefix}oauth:hubspot:state:${state}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    const consume = (s: unknown) => consumeInstallState(h.ctx.redis, h.ctx.prefix, 'hubspot', s);
    expect(await consume(state)).toEqual({});
    expect(await consume(state)).toBeUndefined();
    expect(await consume('never-issued-state-value-xyz')).toBeUndefined();
    expect(await consume(undefined)).toBeUndefined();
    expect(await consume(['a', 'b'])).toBeUndefined();
  });
});

describe('token endpoint (2026-03)', () => {
  it('exchanges a code with every parameter in the form body and none in the URL', async () => {
    const ep = tokenEndpoint(200, { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 1800, token_type: 'bearer' });
    const tokens = await exchangeCode(h.env, 'code-abc', () => NOW);
    expect(ep.form()).toEqual({
      grant_type: 'authorization_code',
      client_id: 'test-client-id',
      client_secret: 'test-client-secret',
      redirect_uri: 'https://connector.example/oauth/hubspot/callback',
      code: 'code-abc',
    });
    expect(ep.query()).toBe('');
    expect(tokens).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: NOW + 1_800_000 });
  });

  it('refreshes with the refresh token in the form body', async () => {
    const ep = tokenEndpoint(200, { access_token: 'at-2', refresh_token: 'rt-1', expires_in: 1800, token_type: 'bearer' });
    const tokens = await refreshTokens(h.env, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: NOW }, 'hubspot:1', () => NOW);
    expect(ep.form()).toEqual({
      grant_type: 'refresh_token',
      client_id: 'test-client-id',
      client_secret: 'test-client-secret',
      redirect_uri: 'https://connector.example/oauth/hubspot/callback',
      refresh_token: 'rt-1',
    });
    expect(tokens).toEqual({ accessToken: 'at-2', refreshToken: 'rt-1', expiresAt: NOW + 1_800_000 });
  });

  it('reads a refused refresh token (invalid_grant) as AUTH_REVOKED, and a code refusal as a bad request', async () => {
    tokenEndpoint(400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked' });
    const err = await refreshTokens(h.env, { accessToken: 'a', refreshToken: 'gone' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ code: 'AUTH_REVOKED', retryable: false });
    expect((err as Error).message).toContain('refresh token is invalid, expired or revoked');
    expect((err as Error).message).not.toContain('gone');

    tokenEndpoint(400, { error: 'invalid_grant', error_description: 'auth code is expired' });
    await expect(exchangeCode(h.env, 'old')).rejects.toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  it('treats a wrong client secret as a configuration error, not a revoked portal', async () => {
    tokenEndpoint(400, { error: 'invalid_client', error_description: 'missing or invalid client_secret' });
    const err = (await refreshTokens(h.env, { accessToken: 'a', refreshToken: 'r' }).catch((e: unknown) => e)) as CrmError;
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('HUBSPOT_CLIENT_SECRET');
  });

  it('makes a 5xx or a network failure retryable', async () => {
    tokenEndpoint(503, { status: 'error', message: 'down' });
    await expect(refreshTokens(h.env, { accessToken: 'a', refreshToken: 'r' })).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    nock(API).post(TOKEN_PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    await expect(refreshTokens(h.env, { accessToken: 'a', refreshToken: 'r' })).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('refuses a token answer without the documented fields', async () => {
    tokenEndpoint(200, { access_token: 'x' });
    await expect(exchangeCode(h.env, 'c')).rejects.toMatchObject({ code: 'UNKNOWN' });
  });

  it('reads the portal id of a token through the 2026-03 introspection endpoint, the token in the form body, never in a URL', async () => {
    let form: Record<string, string> = {};
    nock(API)
      .post(INTROSPECT_PATH)
      .reply(function (_uri, body) {
        expect(this.req.headers['content-type']).toBe('application/x-www-form-urlencoded');
        form = Object.fromEntries(new URLSearchParams(String(body)));
        return [200, { active: true, token_use: 'access_token', token: 'at-1', hub_id: 62515, hub_domain: 'demo.hubspot.com', scopes: ['oauth'], app_id: 424242, client_id: 'test-client-id', expires_in: 1700, user_id: 1, token_type: 'bearer', is_private_distribution: false }];
      });
    // the sunsetting v1 metadata route (GET /oauth/v1/access-tokens/{token}) is not mocked: a call to it fails the test
    await expect(fetchAccessTokenInfo(h.env, 'at-1')).resolves.toEqual({ hub_id: 62515, hub_domain: 'demo.hubspot.com', scopes: ['oauth'], app_id: 424242 });
    expect(form).toEqual({ client_id: 'test-client-id', client_secret: 'test-client-secret', token: 'at-1', token_type_hint: 'access_token' });
  });

  it('refuses a token HubSpot says is not active', async () => {
    nock(API).post(INTROSPECT_PATH).reply(200, { active: false });
    await expect(fetchAccessTokenInfo(h.env, 'at-x')).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('not active') });
  });
});

describe('a refused refresh through the call wrapper', () => {
  it('marks the installation needs_reauth, stops its work and leaves other portals alone', async () => {
    const tenant = await h.install(1001, { accessToken: 'expired', refreshToken: 'revoked', expiresAt: NOW - 1000 });
    const other = await h.install(1002, { accessToken: 'good', refreshToken: 'r2', expiresAt: NOW + 3_600_000 });
    const clients = new HubSpotClients(h.ctx, resolveOptions());
    tokenEndpoint(400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked' });
    await expect(clients.call(tenant, 'general', (c) => c.crm.contacts.basicApi.getById('1'))).rejects.toMatchObject({ code: 'AUTH_REVOKED', retryable: false });
    await expect(h.installations.get(tenant)).resolves.toMatchObject({ status: 'needs_reauth' });
    expect((await h.installations.get(tenant))?.reason).toContain('invalid_grant');

    // its work stops: the next call fails at once, without asking HubSpot
    await expect(clients.call(tenant, 'general', (c) => c.crm.contacts.basicApi.getById('1'))).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    expect(nock.pendingMocks()).toEqual([]);

    // the other portal carries on
    nock(API).get('/crm/v3/objects/contacts/7').matchHeader('authorization', 'Bearer good').reply(200, { id: '7', properties: {}, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
    await expect(clients.call(other, 'general', (c) => c.crm.contacts.basicApi.getById('7'))).resolves.toMatchObject({ id: '7' });
    await expect(h.installations.get(other)).resolves.toMatchObject({ status: 'active' });
  });
});
