import { testRedis } from '../../test/helpers/redis';
import { TokenCipher } from '../crypto/token-cipher';
import { InstallationStore, type TokenSet } from './installation-store';
import { TokenManager } from './token-manager';

const TENANT = 'salesforce:00D5g000004ABCDEA4';

describe('TokenManager', () => {
  let r: ReturnType<typeof testRedis>;
  let store: InstallationStore;
  beforeEach(async () => {
    r = testRedis();
    store = new InstallationStore(r.redis, TokenCipher.fromKey(undefined, { nodeEnv: 'test' }), r.prefix);
    await store.save({ tenant: TENANT, crm: 'salesforce', status: 'active', installedAt: 0, meta: {} }, { accessToken: 'at-1', refreshToken: 'rt-1' });
  });
  afterEach(() => r.cleanup());

  it('keeps a rotated set that Redis would not take, writes it first at the next call, and never refreshes again from the revoked refresh token', async () => {
    const presented: string[] = [];
    let n = 1;
    const refresh = jest.fn(async (t: TokenSet) => {
      presented.push(t.refreshToken!);
      n++;
      return { tokens: { accessToken: `at-${n}`, refreshToken: `rt-${n}` } };
    });
    const manager = new TokenManager(store, r.redis, refresh, { prefix: r.prefix, persistBackoffMs: 1 });
    const setTokens = jest.spyOn(store, 'setTokens').mockRejectedValue(new Error('Connection is closed.'));

    await expect(manager.refresh(TENANT, 'at-1')).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true, message: expect.stringContaining('kept in this process') });
    // Redis still away: no new refresh from the stored (now revoked) rt-1
    await expect(manager.accessToken(TENANT)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(refresh).toHaveBeenCalledTimes(1);

    // Redis is back: the kept set is written before anything else
    setTokens.mockRestore();
    await expect(manager.accessToken(TENANT)).resolves.toBe('at-2');
    expect(await store.getTokens(TENANT)).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2' });
    expect(presented).toEqual(['rt-1']);

    // and the next refresh presents the rotated token
    await manager.refresh(TENANT, 'at-2');
    expect(presented).toEqual(['rt-1', 'rt-2']);
  }, 15_000);
});
