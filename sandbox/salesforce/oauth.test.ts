import { createHmac } from 'node:crypto';
import jsforce from 'jsforce';
import { APP, REDIRECT_URI, VERSION, call, failure } from './test-support';
import { makeOrgId, s256, startSalesforceSandbox, type SalesforceSandbox } from './index';

const ORG = makeOrgId(11);

function form(fields: Record<string, string>) {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

describe('Salesforce sandbox: OAuth web server flow with PKCE, refresh rotation, identity', () => {
  let sb: SalesforceSandbox;
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP, redirectUris: [REDIRECT_URI] });
    sb.createOrg(ORG).seedLeads(3, { seed: 1 });
  });
  afterAll(() => sb.close());

  const oauth2 = () => new jsforce.OAuth2({ loginUrl: sb.url, clientId: APP.clientId, clientSecret: APP.clientSecret, redirectUri: REDIRECT_URI, useVerifier: true });

  it('runs the install with jsforce PKCE: authorize URL → approval → conn.authorize(code) sends the verifier', async () => {
    const o = oauth2();
    const authorizeUrl = o.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-1' });
    expect(authorizeUrl.startsWith(`${sb.url}/services/oauth2/authorize?`)).toBe(true);
    // The authorize page answers (the demo shows an Allow button per org).
    const pageRes = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain(ORG);

    const landing = new URL(sb.approveInstall(ORG, { authorizeUrl }));
    expect(landing.origin + landing.pathname).toBe(REDIRECT_URI);
    expect(landing.searchParams.get('state')).toBe('st-1');
    const code = landing.searchParams.get('code') as string;
    // Salesforce codes end in "==": the redirect carries them URL-encoded.
    expect(code).toMatch(/==$/);
    expect(landing.search).toContain('%3D%3D');

    const conn = new jsforce.Connection({ oauth2: o, version: VERSION });
    const refreshes: string[] = [];
    conn.on('refresh', (_token: string, res: { refresh_token?: string }) => refreshes.push(res.refresh_token ?? ''));
    const userInfo = await conn.authorize(code);
    const org = sb.org(ORG)!;
    expect(userInfo).toEqual({ id: org.adminUserId, organizationId: ORG, url: `${sb.url}/id/${ORG}/${org.adminUserId}` });
    expect(conn.instanceUrl).toBe(sb.url);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
    expect(conn.accessToken?.startsWith(`${ORG.slice(0, 15)}!`)).toBe(true);
    const res = await conn.query<{ Id: string }>('SELECT Id FROM Lead');
    expect(res.totalSize).toBe(3);

    // The identity URL jsforce reads.
    const identity = await conn.identity();
    expect(identity).toMatchObject({ organization_id: ORG, user_id: org.adminUserId, username: expect.stringMatching(/^admin@/), active: true });
    expect(identity.urls.rest).toBe(`${sb.url}/services/data/v{version}/`);

    // An expired session: jsforce refreshes on the 401 and emits the rotated refresh token.
    const firstRefresh = conn.refreshToken as string;
    sb.expireAccessToken(conn.accessToken as string);
    const again = await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1');
    expect(again.records).toHaveLength(1);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatch(/^5Aep861/);
    expect(refreshes[0]).not.toBe(firstRefresh);
    // jsforce keeps the old refresh token: the app must take the new one from the event.
    expect(conn.refreshToken).toBe(firstRefresh);
    expect(sb.tokenInfo(firstRefresh)).toMatchObject({ kind: 'refresh', active: false, retired: true });
  });

  it("lets a person approve on the sandbox's authorize page (the demo's path)", async () => {
    const params = new URLSearchParams({ response_type: 'code', client_id: APP.clientId, redirect_uri: REDIRECT_URI, state: 'demo', code_challenge: s256('d'.repeat(43)), code_challenge_method: 'S256' });
    const html = await (await fetch(`${sb.url}/services/oauth2/authorize?${params}`)).text();
    expect(html).toContain('action="/_sandbox/oauth2/approve"');
    const res = await fetch(`${sb.url}/_sandbox/oauth2/approve`, { ...form({ ...Object.fromEntries(params), org_id: ORG }), redirect: 'manual' });
    expect(res.status).toBe(302);
    const landing = new URL(res.headers.get('location') as string);
    expect(landing.searchParams.get('state')).toBe('demo');
    const token = await fetch(`${sb.url}/services/oauth2/token`, form({ grant_type: 'authorization_code', code: landing.searchParams.get('code') as string, client_id: APP.clientId, client_secret: APP.clientSecret, redirect_uri: REDIRECT_URI, code_verifier: 'd'.repeat(43) }));
    expect(token.status).toBe(200);
    const versions = (await (await fetch(`${sb.url}/services/data`)).json()) as { version: string }[];
    expect(versions[versions.length - 1]).toEqual({ label: 'Version 62.0', url: '/services/data/v62.0', version: '62.0' });
  });

  it('returns the token response without expires_in, with a verifiable signature', async () => {
    const verifier = 'a'.repeat(20) + 'B'.repeat(20) + '-_0123456789';
    const code = sb.authorizeCode(ORG, { redirectUri: REDIRECT_URI, codeChallenge: s256(verifier) });
    const res = await fetch(`${sb.url}/services/oauth2/token`, form({ grant_type: 'authorization_code', code, client_id: APP.clientId, client_secret: APP.clientSecret, redirect_uri: REDIRECT_URI, code_verifier: verifier }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'refresh_token', 'scope', 'signature', 'token_type'].sort());
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: sb.url, scope: 'api refresh_token', id: expect.stringContaining(`/id/${ORG}/005`) });
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.signature).toBe(createHmac('sha256', APP.clientSecret).update(`${body.id}${body.issued_at}`).digest('base64'));
  });

  it('refuses a wrong code verifier, a "~" in it, a reused code and a different redirect_uri', async () => {
    const exchange = (code: string, verifier: string, redirectUri = REDIRECT_URI) =>
      fetch(`${sb.url}/services/oauth2/token`, form({ grant_type: 'authorization_code', code, client_id: APP.clientId, client_secret: APP.clientSecret, redirect_uri: redirectUri, code_verifier: verifier }));
    const verifier = 'v'.repeat(50);
    const wrong = await exchange(sb.authorizeCode(ORG, { redirectUri: REDIRECT_URI, codeChallenge: s256(verifier) }), 'w'.repeat(50));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

    const tilde = 'x'.repeat(49) + '~';
    const tildeRes = await exchange(sb.authorizeCode(ORG, { redirectUri: REDIRECT_URI, codeChallenge: s256(tilde) }), tilde);
    expect(await tildeRes.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

    const code = sb.authorizeCode(ORG, { redirectUri: REDIRECT_URI, codeChallenge: s256(verifier) });
    const mismatch = await exchange(code, verifier, 'http://localhost:3000/elsewhere');
    expect(await mismatch.json()).toEqual({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
    expect((await exchange(code, verifier)).status).toBe(200);
    const reused = await exchange(code, verifier);
    expect(await reused.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid authorization code' });

    const badSecret = await fetch(`${sb.url}/services/oauth2/token`, form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: APP.clientId, client_secret: 'nope' }));
    expect(await badSecret.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    const badClient = await fetch(`${sb.url}/services/oauth2/token`, form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nope', client_secret: APP.clientSecret }));
    expect(await badClient.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('bounces authorize requests as Salesforce does: error page for a bad client or redirect URI, redirect for a missing challenge', async () => {
    const base = { response_type: 'code', client_id: APP.clientId, redirect_uri: REDIRECT_URI, state: 's' };
    const noPkce = new URL(sb.approveInstall(ORG, { authorizeUrl: `${sb.url}/services/oauth2/authorize?${new URLSearchParams(base)}` }));
    expect(Object.fromEntries(noPkce.searchParams)).toEqual({ error: 'invalid_request', error_description: 'missing required code challenge', state: 's' });
    expect(() => sb.approveInstall(ORG, { authorizeUrl: `${sb.url}/services/oauth2/authorize?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb' })}` })).toThrow(/redirect_uri_mismatch/);
    const page = await fetch(`${sb.url}/services/oauth2/authorize?${new URLSearchParams({ ...base, client_id: 'unknown' })}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('error=invalid_client_id');
  });

  it('rotates refresh tokens, and reusing a retired one revokes the whole family', async () => {
    const first = sb.issueTokens(ORG);
    const o = new jsforce.OAuth2({ loginUrl: sb.url, clientId: APP.clientId, clientSecret: APP.clientSecret, redirectUri: REDIRECT_URI });
    const second = await o.refreshToken(first.refresh_token as string);
    expect(second.refresh_token).toMatch(/^5Aep861/);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second).not.toHaveProperty('expires_in');
    const third = await o.refreshToken(second.refresh_token as string);

    // The retired `first` comes back (a second process with a stale copy): the family dies.
    const reuse = await failure(o.refreshToken(first.refresh_token as string));
    expect(reuse).toMatchObject({ errorCode: 'invalid_grant', message: 'expired access/refresh token' });
    const latest = await failure(o.refreshToken(third.refresh_token as string));
    expect(latest.errorCode).toBe('invalid_grant');
    for (const token of [first.access_token, second.access_token, third.access_token]) {
      const res = await call(sb, token, 'GET', `/services/data/v${VERSION}/limits`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    // Another family of the same user is untouched.
    const other = sb.issueTokens(ORG);
    expect((await call(sb, other.access_token, 'GET', `/services/data/v${VERSION}/limits`)).status).toBe(200);
  });

  it('keeps the refresh token without rotation, revokes on /services/oauth2/revoke, and gives no refresh token without the scope', async () => {
    const plain = await startSalesforceSandbox({ ...APP, rotateRefreshTokens: false });
    try {
      plain.createOrg(ORG);
      const t = plain.issueTokens(ORG);
      const o = new jsforce.OAuth2({ loginUrl: plain.url, clientId: APP.clientId, clientSecret: APP.clientSecret, redirectUri: REDIRECT_URI });
      const refreshed = await o.refreshToken(t.refresh_token as string);
      expect(refreshed.refresh_token).toBeUndefined();
      await o.revokeToken(t.refresh_token as string);
      expect(await failure(o.refreshToken(t.refresh_token as string))).toMatchObject({ errorCode: 'invalid_grant' });
      expect((await call(plain, refreshed.access_token, 'GET', `/services/data/v${VERSION}/limits`)).status).toBe(401);
      expect(plain.issueTokens(ORG, { scope: 'api' }).refresh_token).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('answers 401 INVALID_SESSION_ID to jsforce for an expired token without a refresh token, and 404 for an unknown API version', async () => {
    const t = sb.issueTokens(ORG);
    const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: VERSION });
    sb.expireAccessToken(t.access_token);
    const err = await failure(conn.query('SELECT Id FROM Lead').execute());
    expect(err.errorCode).toBe('INVALID_SESSION_ID');
    const old = await call(sb, sb.issueTokens(ORG).access_token, 'GET', '/services/data/v99.0/limits');
    expect(old.status).toBe(404);
    expect(old.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('refuses a malformed org id at createOrg and accepts the 15-character form', () => {
    expect(() => sb.createOrg('00D5g0000000011AAA')).toThrow(/wrong case suffix/);
    expect(sb.createOrg(ORG.slice(0, 15)).id).toBe(ORG);
  });
});
