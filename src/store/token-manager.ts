import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CrmError } from '../errors/crm-error';
import { sleep } from '../rate-limit/sliding-window-limiter';
import type { InstallationStore, TokenSet } from './installation-store';

/** Refreshes a token set with the CRM; throws CrmError AUTH_REVOKED when the CRM refuses for good. */
export type RefreshFn = (tokens: TokenSet) => Promise<TokenSet>;

/**
 * Hands out access tokens and refreshes them single-flight: one refresh per tenant at a time in
 * this process (a promise map) and across processes (a Redis lock). A refreshed token set is
 * persisted before anyone uses it, so a rotated refresh token is never lost.
 */
export class TokenManager {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly store: InstallationStore,
    private readonly redis: Redis,
    private readonly refreshFn: RefreshFn,
    private readonly options: { prefix?: string; refreshBeforeMs?: number; clock?: () => number } = {},
  ) {}

  /** A valid access token; refreshed first when it expires within `refreshBeforeMs` (default 5 min). */
  async accessToken(tenant: string): Promise<string> {
    const tokens = await this.tokensOf(tenant);
    const now = (this.options.clock ?? Date.now)();
    if (tokens.expiresAt !== undefined && tokens.refreshToken && tokens.expiresAt - now < (this.options.refreshBeforeMs ?? 5 * 60_000)) {
      return this.refresh(tenant, tokens.accessToken);
    }
    return tokens.accessToken;
  }

  /**
   * Refreshes after `staleToken` was refused (401) or is about to expire. If another caller already
   * replaced it, returns the new one without refreshing again.
   */
  refresh(tenant: string, staleToken: string): Promise<string> {
    let p = this.inFlight.get(tenant);
    if (!p) {
      p = this.refreshLocked(tenant, staleToken).finally(() => this.inFlight.delete(tenant));
      this.inFlight.set(tenant, p);
    }
    return p;
  }

  private async tokensOf(tenant: string): Promise<TokenSet> {
    const tokens = await this.store.getTokens(tenant);
    if (!tokens) throw new CrmError(`${tenant} is not installed`, 'AUTH_REVOKED', false, { tenant });
    return tokens;
  }

  private async refreshLocked(tenant: string, staleToken: string): Promise<string> {
    const lockKey = `${this.options.prefix ?? 'ls:'}lock:refresh:${tenant}`;
    const owner = randomUUID();
    for (let attempt = 0; attempt < 150; attempt++) {
      const current = await this.tokensOf(tenant);
      if (current.accessToken !== staleToken) return current.accessToken;
      if (await this.redis.set(lockKey, owner, 'PX', 30_000, 'NX')) {
        try {
          const again = await this.tokensOf(tenant);
          if (again.accessToken !== staleToken) return again.accessToken;
          if (!again.refreshToken) {
            throw new CrmError(`the access token of ${tenant} was refused and there is no refresh token`, 'AUTH_REVOKED', false, { tenant });
          }
          const fresh = await this.refreshFn(again);
          await this.store.setTokens(tenant, { ...fresh, refreshToken: fresh.refreshToken ?? again.refreshToken });
          return fresh.accessToken;
        } finally {
          // release only our own lock
          await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, owner);
        }
      }
      await sleep(100);
    }
    throw new CrmError(`timed out waiting for another process to refresh the token of ${tenant}`, 'UNAVAILABLE', true, { tenant });
  }
}
