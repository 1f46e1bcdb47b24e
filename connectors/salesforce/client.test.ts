import nock from 'nock';
import { CrmError } from '../../src/errors/crm-error';
import { INSTANCE_URL, ORG_ID, SF_ENV, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { BUCKET_MS, parseLimitInfo } from './api-budget';
import { SalesforceClients } from './client';
import { resolveOptions, type SalesforceConnectorOptions } from './options';

const API = '/services/data/v62.0';
const TOKEN_PATH = '/services/oauth2/token';
const LEAD = { attributes: { type: 'Lead', url: `${API}/sobjects/Lead/00Q5g00000ABCdeEAH` }, Id: '00Q5g00000ABCdeEAH' };
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

let h: SalesforceHarness;
let tenant: string;
let now: number;
beforeEach(async () => {
  now = Date.parse('2026-11-22T10:00:00Z');
  h = salesforceHarness({}, { clock: () => now });
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  tenant = await h.install({ accessToken: 'at-1', refreshToken: 'rt-1' });
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

function clients(options: SalesforceConnectorOptions = {}) {
  return new SalesforceClients(h.ctx, resolveOptions(options));
}
const getLead = (c: SalesforceClients) => c.request<typeof LEAD>(tenant, 'query', { method: 'GET', url: '/sobjects/Lead/00Q5g00000ABCdeEAH' });

/** A token endpoint that answers a refresh of `from` with a new access token and a rotated refresh token `to`. */
function refreshes(from: string, accessToken: string, to?: string) {
  return nock(SF_ENV.SALESFORCE_LOGIN_URL)
    .post(TOKEN_PATH, (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.refresh_token === from && body.client_id === SF_ENV.SALESFORCE_CLIENT_ID && body.code_verifier === undefined)
    .reply(200, {
      access_token: accessToken,
      ...(to ? { refresh_token: to } : {}),
      instance_url: INSTANCE_URL,
      id: `${SF_ENV.SALESFORCE_LOGIN_URL}/id/${ORG_ID}/0055g00000XYZabAAH`,
      token_type: 'Bearer',
      issued_at: String(now),
      signature: 'sig',
    });
}

describe('requests', () => {
  it('calls the instance with the stored token and the pinned API version (62.0, not jsforce’s 50.0)', async () => {
    const scope = nock(INSTANCE_URL, { reqheaders: { authorization: 'Bearer at-1' } })
      .get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`)
      .reply(200, LEAD);
    await expect(getLead(clients())).resolves.toMatchObject({ Id: LEAD.Id });
    expect(scope.isDone()).toBe(true);
  });

  it('sends every request once: jsforce’s own retries of GETs on 5xx are off, the error is a retryable CrmError', async () => {
    const scope = nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).times(6).reply(503, [{ message: 'Service unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    const err = (await getLead(clients()).catch((e: unknown) => e)) as CrmError;
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true, details: { status: 503 } });
    expect(scope.pendingMocks()).toHaveLength(1); // 1 of the 6 allowed answers used
  });

  it('maps a refused request to a non-retryable CrmError with Salesforce’s errorCode and message', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(400, [{ message: "No such column 'Foo__c' on entity 'Lead'", errorCode: 'INVALID_FIELD' }]);
    const err = (await getLead(clients()).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', retryable: false, details: { status: 400 } });
    expect(err.message).toContain("INVALID_FIELD: No such column 'Foo__c' on entity 'Lead'");
  });

  it('a 404 is NOT_FOUND', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    await expect(getLead(clients())).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('a network failure is a retryable UNAVAILABLE, tried once', async () => {
    // a closed local port (nock's replyWithError never settles with node-fetch 2)
    const closed = await h.install({ accessToken: 'at-x', refreshToken: 'rt-x' }, { orgId: '00D5g000009ZZZZEA4', instanceUrl: 'http://127.0.0.1:1' });
    const started = Date.now();
    await expect(clients().request(closed, 'query', { method: 'GET', url: '/limits' })).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(Date.now() - started).toBeLessThan(400); // jsforce would have waited 0.5 s before its first retry
  });
});

describe('tokens', () => {
  it('on INVALID_SESSION_ID refreshes once and retries once', async () => {
    const api = nock(INSTANCE_URL)
      .get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`)
      .matchHeader('authorization', 'Bearer at-1')
      .reply(401, INVALID_SESSION)
      .get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`)
      .matchHeader('authorization', 'Bearer at-2')
      .reply(200, LEAD);
    const token = refreshes('rt-1', 'at-2', 'rt-2');
    await expect(getLead(clients())).resolves.toMatchObject({ Id: LEAD.Id });
    expect(api.isDone() && token.isDone()).toBe(true);
  });

  it('a second 401 after the refresh is not refreshed again: AUTH_EXPIRED', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).times(2).reply(401, INVALID_SESSION);
    const token = refreshes('rt-1', 'at-2', 'rt-2');
    await expect(getLead(clients())).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect(token.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('persists every rotated refresh token before using it, over several refreshes', async () => {
    const c = clients();
    for (let i = 1; i <= 3; i++) {
      nock(INSTANCE_URL)
        .get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`)
        .matchHeader('authorization', `Bearer at-${i}`)
        .reply(401, INVALID_SESSION)
        .get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`)
        .matchHeader('authorization', `Bearer at-${i + 1}`)
        .reply(200, LEAD);
      // the refresh must present the newest refresh token: reusing an old one would revoke the family
      const token = refreshes(`rt-${i}`, `at-${i + 1}`, `rt-${i + 1}`);
      await getLead(c);
      expect(token.isDone()).toBe(true);
      expect(await h.installations.getTokens(tenant)).toEqual({ accessToken: `at-${i + 1}`, refreshToken: `rt-${i + 1}` });
    }
  });

  it('keeps the refresh token when the org does not rotate it', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(401, INVALID_SESSION).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD);
    refreshes('rt-1', 'at-2');
    await getLead(clients());
    expect(await h.installations.getTokens(tenant)).toEqual({ accessToken: 'at-2', refreshToken: 'rt-1' });
  });

  it('refreshes single-flight when parallel calls meet the same expired token', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).times(3).matchHeader('authorization', 'Bearer at-1').reply(401, INVALID_SESSION);
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).times(3).matchHeader('authorization', 'Bearer at-2').reply(200, LEAD);
    const token = refreshes('rt-1', 'at-2', 'rt-2');
    const c = clients();
    await Promise.all([getLead(c), getLead(c), getLead(c)]);
    expect(token.isDone()).toBe(true);
    expect(await h.installations.getTokens(tenant)).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2' });
  });

  it('refreshes at the org’s own login host (kept at install), not at SALESFORCE_LOGIN_URL: a sandbox org shares the deployment', async () => {
    const sandboxOrg = await h.install({ accessToken: 'sb-1', refreshToken: 'sb-rt-1' }, { orgId: '00D5g000009SANDAAA', meta: { loginUrl: 'https://test.salesforce.com' } });
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(401, INVALID_SESSION).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).matchHeader('authorization', 'Bearer sb-2').reply(200, LEAD);
    const sandboxToken = nock('https://test.salesforce.com')
      .post(TOKEN_PATH, (body: Record<string, string>) => body.refresh_token === 'sb-rt-1')
      .reply(200, { access_token: 'sb-2', refresh_token: 'sb-rt-2', instance_url: INSTANCE_URL, id: `https://test.salesforce.com/id/00D5g000009SANDAAA/0055g00000XYZabAAH` });
    // SALESFORCE_LOGIN_URL is not mocked: a refresh sent there fails the test
    await clients().request(sandboxOrg, 'query', { method: 'GET', url: '/sobjects/Lead/00Q5g00000ABCdeEAH' });
    expect(sandboxToken.isDone()).toBe(true);
    expect(await h.installations.getTokens(sandboxOrg)).toEqual({ accessToken: 'sb-2', refreshToken: 'sb-rt-2' });
  });

  it('stores a rotated refresh token and a new instance URL in one write, retried while Redis refuses it', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(401, INVALID_SESSION);
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(200, { access_token: 'at-2', refresh_token: 'rt-2', instance_url: 'https://acme2.my.salesforce.test', id: `${SF_ENV.SALESFORCE_LOGIN_URL}/id/${ORG_ID}/0055g00000XYZabAAH` });
    nock('https://acme2.my.salesforce.test').get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD);
    const hset = h.ctx.redis.hset.bind(h.ctx.redis);
    let refused = 0;
    const writes: unknown[][] = [];
    const spy = jest.spyOn(h.ctx.redis, 'hset').mockImplementation(((...args: unknown[]) => {
      writes.push(args);
      if (refused++ < 2) return Promise.reject(new Error('Connection is closed.'));
      return (hset as (...a: unknown[]) => Promise<number>)(...args);
    }) as never);
    try {
      await getLead(clients());
    } finally {
      spy.mockRestore();
    }
    // every write carried both the sealed tokens and the new instance URL
    expect(writes.length).toBe(3);
    for (const w of writes) expect(Object.keys(w[1] as object).sort()).toEqual(['meta', 'tokens']);
    expect(await h.installations.getTokens(tenant)).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2' });
    expect((await h.installations.get(tenant))?.meta.instanceUrl).toBe('https://acme2.my.salesforce.test');
  });

  it('follows the org to a new instance URL named by the refresh', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(401, INVALID_SESSION);
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(200, { access_token: 'at-2', instance_url: 'https://acme2.my.salesforce.test', id: `${SF_ENV.SALESFORCE_LOGIN_URL}/id/${ORG_ID}/0055g00000XYZabAAH` });
    const moved = nock('https://acme2.my.salesforce.test').get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD);
    await getLead(clients());
    expect(moved.isDone()).toBe(true);
    expect((await h.installations.get(tenant))?.meta.instanceUrl).toBe('https://acme2.my.salesforce.test');
  });

  it('invalid_grant marks the installation needs_reauth and fails with AUTH_REVOKED; later calls do not reach Salesforce', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(401, INVALID_SESSION);
    nock(SF_ENV.SALESFORCE_LOGIN_URL).post(TOKEN_PATH).reply(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const c = clients();
    await expect(getLead(c)).rejects.toMatchObject({ code: 'AUTH_REVOKED', retryable: false });
    expect(await h.installations.get(tenant)).toMatchObject({ status: 'needs_reauth' });
    await expect(getLead(c)).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('daily API budget', () => {
  const usage = (used: number, max = 1000) => ({ 'Sforce-Limit-Info': `api-usage=${used}/${max}` });

  it('reads Sforce-Limit-Info from every response and keeps it per org', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD, usage(120, 15000));
    const c = clients();
    await getLead(c);
    expect(await c.budget.status(ORG_ID)).toMatchObject({ own: 1, usage: { used: 120, max: 15000, at: now }, pausedMs: 0 });
    expect(parseLimitInfo('api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)')).toEqual({ used: 18, max: 5000 });
  });

  it('REQUEST_LIMIT_EXCEEDED pauses the org: BUDGET_EXHAUSTED with retryAfterMs, and Salesforce is not asked again until then', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], usage(1001));
    const c = clients();
    await expect(getLead(c)).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: true, details: { retryAfterMs: 30 * 60_000 } });
    const again = (await getLead(c).catch((e: unknown) => e)) as CrmError;
    expect(again).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: true });
    expect(again.details.retryAfterMs).toBeGreaterThan(29 * 60_000);
    expect(nock.pendingMocks()).toEqual([]);
    expect(await c.budget.pausedFor(ORG_ID)).toBeGreaterThan(29 * 60_000);
  });

  it('a concurrent-request limit pauses the org for seconds only, as RATE_LIMITED', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(403, [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await expect(getLead(clients())).rejects.toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { retryAfterMs: 10_000 } });
  });

  it('pauses the org when the connector’s own requests reach its share of the allocation, and resumes when they leave the 24 h window', async () => {
    // allocation 10 a day, share 50 %: 5 requests; each answer says so
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).times(5).reply(200, LEAD, usage(3, 10));
    const c = clients({ apiBudget: { maxShare: 0.5, orgCeiling: 1 } });
    for (let i = 0; i < 5; i++) {
      await getLead(c);
      now += 60_000;
    }
    const err = (await getLead(c).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: true });
    expect(err.message).toMatch(/made 5 API requests .* its share of 5 \(50 % of the org's 10 a day\)/);
    // the first request leaves the window 24 h after its 5-minute bucket ends
    const firstBucketEnd = (Math.floor(Date.parse('2026-11-22T10:00:00Z') / BUCKET_MS) + 1) * BUCKET_MS;
    expect(err.details.retryAfterMs).toBe(firstBucketEnd + 24 * 3_600_000 - now);
    expect(nock.pendingMocks()).toEqual([]);

    now += err.details.retryAfterMs!;
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD, usage(4, 10));
    await expect(getLead(c)).resolves.toMatchObject({ Id: LEAD.Id });
  });

  it('stops when the whole org nears its allocation, and lets one call check again after recheckMs', async () => {
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD, usage(950, 1000));
    const c = clients({ apiBudget: { orgCeiling: 0.9, recheckMs: 15 * 60_000 } });
    await getLead(c);
    const err = (await getLead(c).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ code: 'BUDGET_EXHAUSTED', details: { retryAfterMs: 15 * 60_000 } });
    expect(err.message).toContain('has used 950 of its 1000 daily API requests');

    now += 15 * 60_000;
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD, usage(700, 1000));
    await expect(getLead(c)).resolves.toMatchObject({ Id: LEAD.Id });
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD, usage(701, 1000));
    await expect(getLead(c)).resolves.toMatchObject({ Id: LEAD.Id });
  });

  it('counts requests in lead_scorer_crm_requests_total with crm="salesforce"', async () => {
    const { metrics } = await import('../../src/metrics');
    const value = async (status: string) => (await metrics.crmRequests.get()).values.find((v) => v.labels.crm === 'salesforce' && v.labels.kind === 'query' && v.labels.status === status)?.value ?? 0;
    const before = await value('2xx');
    const before404 = await value('404');
    nock(INSTANCE_URL).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(200, LEAD).get(`${API}/sobjects/Lead/00Q5g00000ABCdeEAH`).reply(404, [{ errorCode: 'NOT_FOUND', message: 'gone' }]);
    const c = clients();
    await getLead(c);
    await getLead(c).catch(() => undefined);
    expect(await value('2xx')).toBe(before + 1);
    expect(await value('404')).toBe(before404 + 1);
  });
});
