import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CrmError } from '../errors/crm-error';
import { sleep } from '../rate-limit/sliding-window-limiter';
import type { InstallationStore, TokenSet } from './installation-store';

/**
 * Refreshes a token set with the CRM; throws CrmError AUTH_REVOKED when the CRM refuses for good.
 * `meta`: non-secret facts that came with the new tokens (Salesforce's instance URL), stored with them.
 */
export type RefreshFn = (tokens: TokenSet) => Promise<{ tokens: TokenSet; meta?: Record<string, string> }>;

/** How often a refreshed token set is written before it is kept in memory instead (waits double from `persistBackoffMs`, default 100 ms: about 6 s in all). */
const PERSIST_ATTEMPTS = 6;

/**
 * Hands out access tokens and refreshes them single-flight: one refresh per tenant at a time in
 * this process (a promise map) and across processes (a Redis lock). A refreshed token set is
 * persisted, in one write with what came with it, before anyone uses it, so a rotated refresh token
 * is never lost: the write is retried (the lock held meanwhile), and if Redis stays away the new set
 * is kept in this process and written first thing on the next call, never refreshed again from
 * the old, now revoked, refresh token.
 */
export class TokenManager {
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Refreshed sets that could not be written yet, by tenant. */
  private readonly unsaved = new Map<string, { tokens: TokenSet; meta?: Record<string, string> }>();

  constructor(
    private readonly store: InstallationStore,
    private readonly redis: Redis,
    private readonly refreshFn: RefreshFn,
    private readonly options: { prefix?: string; refreshBeforeMs?: number; clock?: () => number; persistBackoffMs?: number } = {},
  ) {}

  /** A valid access token; refreshed first when it expires within `refreshBeforeMs` (default 5 min). */
  async accessToken(tenant: string): Promise<string> {
    await this.saveUnsaved(tenant);
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
      p = this.saveUnsaved(tenant)
        .then(() => this.refreshLocked(tenant, staleToken))
        .finally(() => this.inFlight.delete(tenant));
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
          const tokens = { ...fresh.tokens, refreshToken: fresh.tokens.refreshToken ?? again.refreshToken };
          await this.persist(tenant, { tokens, ...(fresh.meta ? { meta: fresh.meta } : {}) }, lockKey);
          return tokens.accessToken;
        } finally {
          // release only our own lock
          await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, owner);
        }
      }
      await sleep(100);
    }
    throw new CrmError(`timed out waiting for another process to refresh the token of ${tenant}`, 'UNAVAILABLE', true, { tenant });
  }

  /** Writes a refreshed set, retrying while holding the refresh lock; keeps it in memory when Redis stays away. */
  private async persist(tenant: string, fresh: { tokens: TokenSet; meta?: Record<string, string> }, lockKey: string): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < PERSIST_ATTEMPTS; attempt++) {
      try {
        await this.store.setTokens(tenant, fresh.tokens, fresh.meta);
        return;
      } catch (err) {
        last = err;
        await sleep((this.options.persistBackoffMs ?? 100) * 2 ** attempt);
        await this.redis.pexpire(lockKey, 30_000).catch(() => undefined);
      }
    }
    this.unsaved.set(tenant, fresh);
    throw new CrmError(`the refreshed tokens of ${tenant} could not be stored (${(last as Error)?.message ?? 'unknown'}); they are kept in this process and stored before the next call`, 'UNAVAILABLE', true, { tenant }, { cause: last });
  }

  /** Writes a set that an earlier refresh could not store; until then no refresh may start from the stored (revoked) one. */
  private async saveUnsaved(tenant: string): Promise<void> {
    const pending = this.unsaved.get(tenant);
    if (!pending) return;
    try {
      await this.store.setTokens(tenant, pending.tokens, pending.meta);
    } catch (err) {
      throw new CrmError(`the refreshed tokens of ${tenant} are still not stored (${(err as Error).message}); trying again at the next call`, 'UNAVAILABLE', true, { tenant }, { cause: err });
    }
    this.unsaved.delete(tenant);
  }
}
