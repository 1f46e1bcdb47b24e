import { APP, VERSION, call, connect, failure } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(41);

describe('Salesforce sandbox: daily API allocation, Sforce-Limit-Info, injected failures', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP, dailyApiLimit: 1000 });
    org = sb.createOrg(ORG);
    org.seedLeads(20, { seed: 'limits' });
  });
  afterAll(() => sb.close());

  it('counts every REST call and reports it in Sforce-Limit-Info, which jsforce exposes as limitInfo', async () => {
    org.setApiUsage(0);
    const conn = connect(sb, ORG);
    await conn.query('SELECT Id FROM Lead');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 1000 } });
    await conn.sobject('Lead').describe();
    expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 1000 });
    const res = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/sobjects/Lead/00Q000000000000AAA`);
    expect(res.status).toBe(404);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/1000');
    const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests).toEqual({ Max: 1000, Remaining: 996 });
    expect(org.apiUsage).toEqual({ used: 4, max: 1000 });
    expect(sb.stats.byOrg[ORG]?.apiCalls).toBeGreaterThanOrEqual(4);
    // jsforce finds the identity URL through GET /services/data/vXX.X (counted); the identity URL itself is not.
    await conn.identity();
    expect(org.apiUsage.used).toBe(5);
    await conn.identity();
    expect(org.apiUsage.used).toBe(5);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allocation is used up (jsforce does not retry it)', async () => {
    const conn = connect(sb, ORG);
    org.setApiUsage(1000);
    sb.clearRequestLog();
    const err = await failure(conn.query('SELECT Id FROM Lead'));
    expect(err).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    expect(sb.requestLog).toHaveLength(1);
    const raw = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/limits`);
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=1000/1000');
    expect(sb.stats.byOrg[ORG]?.limitExceeded).toBeGreaterThanOrEqual(2);
    org.setApiUsage(10);
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(20);
  });

  it('injects failures by route and method, with Salesforce bodies by default', async () => {
    const conn = connect(sb, ORG);
    sb.failNext({ route: 'PATCH /services/data/vXX.X/composite/sobjects', status: 503, times: 1 });
    const lead = org.records('Lead')[0]?.Id as string;
    const err = await failure(conn.sobject('Lead').update([{ Id: lead, Title: 'x' }]));
    expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
    const ok = await conn.sobject('Lead').update([{ Id: lead, Title: 'x' }]);
    expect(ok[0]?.success).toBe(true);

    sb.failNext({ method: 'GET', path: /\/query$/, status: 401 });
    const expired = await failure(conn.query('SELECT Id FROM Lead'));
    expect(expired.errorCode).toBe('INVALID_SESSION_ID');
    expect(sb.stats.byOrg[ORG]?.sessionInvalid).toBeGreaterThanOrEqual(1);
  });

  it('answers 405 for a method a resource does not take', async () => {
    const t = sb.issueTokens(ORG);
    const res = await call(sb, t.access_token, 'GET', `/services/data/v${VERSION}/composite/sobjects`);
    expect(res.status).toBe(405);
    expect(res.body[0]).toMatchObject({ errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'GET' not allowed. Allowed are POST,PATCH,DELETE" });
  });
});
