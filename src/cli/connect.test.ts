import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import nock from 'nock';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../sandbox/hubspot';
import { testRedis } from '../../test/helpers/redis';
import { SHIPPED_CONFIG_DIR } from '../config/testing-fixtures';
import { TokenCipher } from '../crypto/token-cipher';
import { InstallationStore } from '../store/installation-store';
import { captureIo } from './cli-test-io';
import { runConnect } from './connect';
import { main } from './main';

const PORTAL = 646_464;

describe('lead-scorer connect hubspot --token', () => {
  let sb: HubSpotSandbox;
  let redis: ReturnType<typeof testRedis>;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ clientId: 'unused', clientSecret: 'unused', appId: 1 });
  });
  afterAll(() => sb.close());
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    nock.cleanAll();
    await redis.cleanup();
  });

  /**
   * The sandbox has no `GET /account-info/v3/details` (the private-app portal lookup), so that one
   * call is answered here as HubSpot does; everything else goes to the sandbox.
   */
  function accountInfo(token: string, portalId: number) {
    nock(sb.url, { allowUnmocked: true })
      .get('/account-info/v3/details')
      .reply(function () {
        const auth = this.req.headers.authorization;
        return auth === `Bearer ${token}`
          ? [200, { portalId, timeZone: 'Europe/Berlin', accountType: 'STANDARD', uiDomain: 'app-eu1.hubspot.com', dataHostingLocation: 'eu1' }]
          : [401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }];
      });
  }

    const KEY = randomBytes(32);
  const io = (env: Record<string, string | undefined> = {}) =>
    captureIo({ NODE_ENV: 'test', CONFIG_DIR: SHIPPED_CONFIG_DIR, HUBSPOT_API_BASE_URL: sb.url, REDIS_URL: process.env.REDIS_URL, TOKEN_ENCRYPTION_KEY: KEY.toString('hex'), ...env });

  it('installs the portal of a private-app token: properties created, first sync queued, portal id printed, token never', async () => {
    const portal = sb.createPortal(PORTAL);
    const token = sb.createPrivateAppToken(PORTAL);
    accountInfo(token, PORTAL);
    const out = io();
    expect(await runConnect(['hubspot', '--token', token], out, { prefix: redis.prefix })).toBe(0);
    expect(out.err()).toBe('');
    expect(out.out()).toMatch(new RegExp(`^Connected HubSpot portal ${PORTAL} \\(tenant hubspot:${PORTAL}\\) with a private-app token\\.\\n`));
    expect(out.out()).not.toContain(token);

    // what a running worker will find in Redis
    const installations = new InstallationStore(redis.redis, TokenCipher.withKey(KEY), redis.prefix);
    expect(await installations.get(`hubspot:${PORTAL}`)).toMatchObject({ crm: 'hubspot', status: 'active', meta: { portalId: String(PORTAL), appKind: 'private' } });
    expect((await installations.getTokens(`hubspot:${PORTAL}`))?.accessToken).toBe(token);
    const poll = new Queue('poll', { connection: redis.redis, prefix: `${redis.prefix}bull` });
    try {
      const jobs = await poll.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((j) => j.data)).toContainEqual({ tenant: `hubspot:${PORTAL}`, objectType: 'contact' });
    } finally {
      await poll.close();
    }
    // and in HubSpot
    expect(portal.properties.contacts.group('lead_scoring')).toBeDefined();
    expect(portal.properties.contacts.get('lead_score')?.groupName).toBe('lead_scoring');
  });

  it('without TOKEN_ENCRYPTION_KEY it refuses to store the token, saying what to set, and installs nothing', async () => {
    sb.createPortal(PORTAL + 2);
    const token = sb.createPrivateAppToken(PORTAL + 2);
    accountInfo(token, PORTAL + 2);
    const out = io({ NODE_ENV: 'development', TOKEN_ENCRYPTION_KEY: undefined });
    expect(await runConnect(['hubspot', '--token', token], out, { prefix: redis.prefix })).toBe(1);
    expect(out.err()).toContain('TOKEN_ENCRYPTION_KEY is not set');
    expect(out.err()).not.toContain(token);
    expect(await redis.redis.keys(`${redis.prefix}inst:*`)).toEqual([]);
  });

  it('a token HubSpot refuses: exit 1 with the reason, nothing installed', async () => {
    accountInfo(sb.createPrivateAppToken(PORTAL + 1), PORTAL + 1);
    const out = io();
    expect(await runConnect(['hubspot', '--token', 'pat-na1-not-a-real-token'], out, { prefix: redis.prefix })).toBe(1);
    expect(out.err()).toMatch(/^lead-scorer connect: the portal was not connected: .*HubSpot refused the token/);
    expect(out.err()).not.toContain('pat-na1-not-a-real-token');
    expect(await redis.redis.keys(`${redis.prefix}inst:*`)).toEqual([]);
  });

  it('refuses wrong usage with exit 2', async () => {
    for (const [args, message] of [
      [['hubspot'], '--token TOKEN is required (the private app’s access token)'],
      [[], 'name the CRM: lead-scorer connect hubspot --token TOKEN'],
      [['salesforce', '--token', 'x'], 'only HubSpot installs with a token ("connect hubspot"); Salesforce orgs install through /install/salesforce'],
      [['hubspot', 'extra', '--token', 'x'], 'unexpected argument extra'],
    ] as const) {
      const out = captureIo();
      expect(await main(['connect', ...args], out)).toBe(2);
      expect(out.err()).toBe(`lead-scorer connect: ${message}\nRun "lead-scorer connect --help" for usage.\n`);
    }
  });
});
