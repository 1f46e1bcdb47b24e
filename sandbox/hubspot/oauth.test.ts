import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: OAuth and authentication', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP });
    sb.createPortal(101).seedContacts(3, { seed: 1 });
  });
  afterAll(() => sb.close());

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('exchanges an install code on /oauth/2026-03/token (form body) and the token reads the portal', async () => {
    const code = sb.authorizeCode(101, { redirectUri: 'http://localhost:3000/oauth/hubspot/callback' });
    const res = await fetch(`${sb.url}/oauth/2026-03/token`, form({
      grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/oauth/hubspot/callback', client_id: APP.clientId, client_secret: APP.clientSecret,
    }));
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toEqual({ token_type: 'bearer', access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 1800 });
    const page = await sdk(sb, tokens.access_token as string).crm.contacts.basicApi.getPage(10);
    expect(page.results).toHaveLength(3);

    // A code is single-use.
    const again = await fetch(`${sb.url}/oauth/2026-03/token`, form({
      grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/oauth/hubspot/callback', client_id: APP.clientId, client_secret: APP.clientSecret,
    }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('refreshes on /oauth/v3/token and refuses a bad refresh token or client secret with RFC 6749 errors', async () => {
    const { refresh_token } = sb.issueToken(101);
    const ok = await fetch(`${sb.url}/oauth/v3/token`, form({ grant_type: 'refresh_token', refresh_token, client_id: APP.clientId, client_secret: APP.clientSecret }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'bearer', refresh_token, expires_in: 1800 });

    const bad = await fetch(`${sb.url}/oauth/2026-03/token`, form({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: APP.clientId, client_secret: APP.clientSecret }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' });

    const wrongSecret = await fetch(`${sb.url}/oauth/2026-03/token`, form({ grant_type: 'refresh_token', refresh_token, client_id: APP.clientId, client_secret: 'wrong' }));
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

    // The versioned endpoints take the parameters only in the body.
    const inQuery = await fetch(`${sb.url}/oauth/2026-03/token?grant_type=refresh_token&refresh_token=${refresh_token}`, { method: 'POST' });
    expect(inQuery.status).toBe(400);
  });

  it('keeps the deprecated /oauth/v1/token working for the SDK', async () => {
    const code = sb.authorizeCode(101, { redirectUri: 'http://localhost/cb' });
    const client = sdk(sb, 'unused');
    const tokens = await client.oauth.tokensApi.create('authorization_code', code, 'http://localhost/cb', APP.clientId, APP.clientSecret);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    const refreshed = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, APP.clientId, APP.clientSecret, tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
  });

  it('answers GET /oauth/v1/access-tokens/{token} with the portal (hub_id) and scopes, as the SDK reads it', async () => {
    const { access_token } = sb.issueToken(101, { scopes: ['oauth', 'crm.objects.contacts.read'] });
    const info = await sdk(sb, 'unused').oauth.accessTokensApi.get(access_token);
    expect(info).toMatchObject({ token: access_token, hubId: 101, appId: APP.appId, scopes: ['oauth', 'crm.objects.contacts.read'], tokenType: 'access' });
    expect(info.user).toMatch(/@portal-101\.sandbox\.example$/);
    expect(info.hubDomain).toBe('portal-101.sandbox.example');
    expect(info.expiresIn).toBeGreaterThan(1790);
    expect(info.userId).toEqual(expect.any(Number));

    const refresh = await sdk(sb, 'unused').oauth.refreshTokensApi.get(sb.issueToken(101).refresh_token);
    expect(refresh).toMatchObject({ hubId: 101, clientId: APP.clientId, tokenType: 'refresh' });
  });

  it('introspects tokens on /oauth/2026-03/token/introspect', async () => {
    const { access_token } = sb.issueToken(101);
    const res = await fetch(`${sb.url}/oauth/2026-03/token/introspect`, form({ token: access_token, client_id: APP.clientId, client_secret: APP.clientSecret }));
    expect(await res.json()).toMatchObject({ active: true, token_use: 'access_token', hub_id: 101, app_id: APP.appId, client_id: APP.clientId });
    const unknown = await fetch(`${sb.url}/oauth/2026-03/token/introspect`, form({ token: 'x', client_id: APP.clientId, client_secret: APP.clientSecret }));
    expect(await unknown.json()).toEqual({ active: false });
  });

  it('401s an expired token with EXPIRED_AUTHENTICATION and a revoked or missing one with INVALID_AUTHENTICATION', async () => {
    const { access_token, refresh_token } = sb.issueToken(101);
    sb.expireToken(access_token);
    const expired = await failure(sdk(sb, access_token).crm.contacts.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({ category: 'EXPIRED_AUTHENTICATION', correlationId: expect.any(String) });
    expect(expired.body.message).toMatch(/^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/);
    expect(expired.body.context).toEqual({ 'expire time': [expect.stringMatching(/Z$/)] });

    const fresh = sb.issueToken(101);
    sb.revokeToken(fresh.refresh_token);
    const revoked = await failure(sdk(sb, fresh.access_token).crm.contacts.basicApi.getPage(1));
    expect(revoked.code).toBe(401);
    expect(revoked.body.category).toBe('INVALID_AUTHENTICATION');

    const none = await fetch(`${sb.url}/crm/v3/objects/contacts`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', message: expect.stringContaining('Authentication credentials not found') });

    // The refresh token that was not revoked still works.
    const res = await fetch(`${sb.url}/oauth/2026-03/token`, form({ grant_type: 'refresh_token', refresh_token, client_id: APP.clientId, client_secret: APP.clientSecret }));
    expect(res.status).toBe(200);
  });

  it('accepts private-app tokens, which carry the daily rate-limit headers', async () => {
    const token = sb.createPrivateAppToken(101);
    expect(token).toMatch(/^pat-na1-/);
    const res = await fetch(`${sb.url}/crm/v3/objects/contacts?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('249999');

    const oauth = await fetch(`${sb.url}/crm/v3/objects/contacts?limit=1`, { headers: { Authorization: `Bearer ${sb.issueToken(101).access_token}` } });
    expect(oauth.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it('403s a call outside the granted scopes', async () => {
    const { access_token } = sb.issueToken(101, { scopes: ['oauth', 'crm.objects.contacts.read'] });
    const err = await failure(sdk(sb, access_token).crm.owners.ownersApi.getPage());
    expect(err.code).toBe(403);
    expect(err.body).toMatchObject({ category: 'MISSING_SCOPES' });
  });
});
