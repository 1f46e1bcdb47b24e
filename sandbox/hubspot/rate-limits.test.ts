import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: rate limits and injected failures', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    // A 3-second window instead of HubSpot's ten, so the test does not wait long.
    sb = await startHubSpotSandbox({ ...APP, limits: { perTenSeconds: 110, windowMs: 3000, searchPerSecond: 5, searchWindowMs: 1000 } });
  });
  afterAll(() => sb.close());

  const get = (token: string, path = '/crm/v3/objects/contacts?limit=1') => fetch(`${sb.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

  it('allows 110 requests per window per portal, then answers 429 with HubSpot\'s body and headers', async () => {
    sb.createPortal(701).seedContacts(2, { seed: 701 });
    sb.createPortal(702);
    const token = sb.issueToken(701).access_token;
    const remaining: number[] = [];
    for (let i = 0; i < 110; i++) {
      const res = await get(token);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
      expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('3000');
      remaining.push(Number(res.headers.get('x-hubspot-ratelimit-remaining')));
      await res.arrayBuffer();
    }
    expect(remaining[0]).toBe(109);
    expect(remaining[109]).toBe(0);

    const limited = await get(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: `publicapi:oauth-api-calls-ten-secondly:${APP.appId}:701`,
    });
    expect(limited.headers.get('x-hubspot-correlation-id')).toBe(body.correlationId);

    // Through the SDK the 429 surfaces as an ApiException with code 429 and the message.
    const viaSdk = await failure(sdk(sb, token).crm.contacts.basicApi.getPage(1));
    expect(viaSdk.code).toBe(429);
    expect(viaSdk.body.message).toBe('You have reached your ten_secondly_rolling limit.');

    // Another portal has its own window.
    expect((await get(sb.issueToken(702).access_token)).status).toBe(200);
    const stats = sb.stats.byPortal['701']!;
    expect(stats.rateLimited).toBe(2);
    expect(stats.byRoute['GET /crm/v3/objects/contacts']).toBe(112);

    await new Promise((r) => setTimeout(r, 3050));
    expect((await get(token)).status).toBe(200);
  }, 15_000);

  it('limits search to 5 per second with its own 429 and no rate-limit headers', async () => {
    sb.createPortal(703).seedContacts(3, { seed: 703 });
    const token = sb.issueToken(703).access_token;
    const search = () =>
      fetch(`${sb.url}/crm/v3/objects/contacts/search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ limit: 1 }),
      });
    for (let i = 0; i < 5; i++) {
      const res = await search();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBeNull();
      await res.arrayBuffer();
    }
    const limited = await search();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    expect(await limited.json()).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
    // Search has its own bucket: ordinary calls still go through.
    expect((await get(token)).status).toBe(200);
    expect(sb.stats.byPortal['703']).toMatchObject({ searchRequests: 6, searchRateLimited: 1 });
    await new Promise((r) => setTimeout(r, 1050));
    expect((await search()).status).toBe(200);
  });

  it('injects failures: a 500, then a 429 storm on one route, then normal answers', async () => {
    sb.createPortal(704).seedContacts(2, { seed: 704 });
    const client = sdk(sb, sb.issueToken(704).access_token);
    sb.failNext({ route: 'GET /crm/v3/objects/contacts', status: 500 });
    sb.failNext({ route: 'POST /crm/v3/objects/contacts/batch/read', status: 429, times: 3 });
    expect((await failure(client.crm.contacts.basicApi.getPage(1))).code).toBe(500);
    expect((await client.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const err = await failure(client.crm.contacts.batchApi.read({ inputs: [{ id: '1001' }], properties: [], propertiesWithHistory: [] }));
      expect(err.code).toBe(429);
      expect(err.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    }
    expect((await client.crm.contacts.batchApi.read({ inputs: [{ id: '1001' }], properties: [], propertiesWithHistory: [] })).results).toHaveLength(1);

    sb.failNext({ path: /\/crm\/v3\/owners/, status: 401 });
    expect((await failure(client.crm.owners.ownersApi.getPage())).body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('counts peak concurrency per portal', async () => {
    sb.createPortal(705).seedContacts(2, { seed: 705 });
    const token = sb.issueToken(705).access_token;
    sb.failNext({ portalId: 705, status: 200, body: { results: [] }, delayMs: 100, times: 4 });
    await Promise.all([get(token), get(token), get(token), get(token)]);
    expect(sb.stats.byPortal['705']!.peakConcurrency).toBe(4);
  });
});
