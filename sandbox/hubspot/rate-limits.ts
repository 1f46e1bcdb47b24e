/**
 * HubSpot's limits, per portal and app: a rolling ten-second window (110 requests for a public
 * OAuth app, 100 for a Free/Starter private app), an optional daily cap, and the search API's own
 * 5 requests per second. Windows are configurable so a test need not wait ten seconds.
 */
import { RollingWindow } from '../shared/rolling-window';
import type { AccessToken } from './auth/token-registry';
import { rateLimited } from './errors';
import type { SandboxResponse } from '../shared/http-server';

export interface RateLimitOptions {
  /** Requests per rolling window for OAuth apps. Default 110. */
  perTenSeconds?: number;
  /** Requests per rolling window for private-app tokens. Default 100 (Free/Starter). */
  privateAppPerTenSeconds?: number;
  /** Length of the rolling window in ms. Default 10,000. */
  windowMs?: number;
  /** Search requests per search window. Default 5. */
  searchPerSecond?: number;
  /** Length of the search window in ms. Default 1,000. */
  searchWindowMs?: number;
  /** Daily cap per portal and app; none for OAuth apps unless set. Private apps default to 250,000. */
  dailyLimit?: number;
}

interface Buckets {
  burst: RollingWindow;
  search: RollingWindow;
  day: string;
  dailyUsed: number;
}

export class RateLimiter {
  private buckets = new Map<string, Buckets>();

  constructor(private options: RateLimitOptions) {}

  configure(options: RateLimitOptions): void {
    this.options = { ...this.options, ...options };
    this.buckets.clear();
  }

  /** Takes one request from the token's buckets; returns the 429 to send when there is no room. */
  take(token: AccessToken, kind: 'crm' | 'search', now: number): { ok: true; headers: Record<string, string> } | { ok: false; response: SandboxResponse } {
    const b = this.bucketsFor(token);
    const dailyLimit = this.dailyLimit(token);
    const day = new Date(now).toISOString().slice(0, 10);
    if (b.day !== day) {
      b.day = day;
      b.dailyUsed = 0;
    }
    if (kind === 'search') {
      if (!b.search.tryTake(now)) return { ok: false, response: rateLimited('SECONDLY', undefined) };
      return { ok: true, headers: {} };
    }
    if (dailyLimit !== undefined && b.dailyUsed >= dailyLimit) {
      return { ok: false, response: rateLimited('DAILY', undefined, this.headers(token, b, now, dailyLimit)) };
    }
    if (!b.burst.tryTake(now)) {
      const group = token.kind === 'private' ? `publicapi:private_app-api-calls-ten-secondly:${token.appId}:${token.portalId}` : `publicapi:oauth-api-calls-ten-secondly:${token.appId}:${token.portalId}`;
      return { ok: false, response: rateLimited('TEN_SECONDLY_ROLLING', group, this.headers(token, b, now, dailyLimit)) };
    }
    b.dailyUsed++;
    return { ok: true, headers: this.headers(token, b, now, dailyLimit) };
  }

  private headers(token: AccessToken, b: Buckets, now: number, dailyLimit: number | undefined): Record<string, string> {
    const h: Record<string, string> = {
      'X-HubSpot-RateLimit-Max': String(b.burst.max),
      'X-HubSpot-RateLimit-Remaining': String(b.burst.remaining(now)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(b.burst.windowMs),
    };
    // HubSpot sends the daily pair only for tokens that have a daily limit (not OAuth apps).
    if (dailyLimit !== undefined && (token.kind === 'private' || this.options.dailyLimit !== undefined)) {
      h['X-HubSpot-RateLimit-Daily'] = String(dailyLimit);
      h['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, dailyLimit - b.dailyUsed));
    }
    return h;
  }

  private dailyLimit(token: AccessToken): number | undefined {
    if (this.options.dailyLimit !== undefined) return this.options.dailyLimit;
    return token.kind === 'private' ? 250_000 : undefined;
  }

  private bucketsFor(token: AccessToken): Buckets {
    const key = `${token.portalId}:${token.kind}:${token.appId}`;
    let b = this.buckets.get(key);
    if (!b) {
      const o = this.options;
      const burstMax = token.kind === 'private' ? (o.privateAppPerTenSeconds ?? 100) : (o.perTenSeconds ?? 110);
      b = {
        burst: new RollingWindow(burstMax, o.windowMs ?? 10_000),
        search: new RollingWindow(o.searchPerSecond ?? 5, o.searchWindowMs ?? 1000),
        day: '',
        dailyUsed: 0,
      };
      this.buckets.set(key, b);
    }
    return b;
  }
}
