import type { LimitRule } from '../../src/rate-limit/sliding-window-limiter';
import type { HubSpotHttpError } from './hubspot-http-error';
import type { ResolvedOptions } from './options';

/**
 * Which of a portal's budgets a request spends. Search has its own budget (5 a second, no rate-limit
 * headers) and does not count against the ten-second one, which is what the sandbox and the
 * benchmark's floor assume; every other request spends the general budget.
 */
export type CallKind = 'general' | 'search';

/** How the portal was connected; private apps have a smaller, shared budget. */
export type AppKind = 'oauth' | 'private';

export const GENERAL_WINDOW_MS = 10_000;
export const SEARCH_WINDOW_MS = 1_000;
/** HubSpot's daily budget resets at midnight in the portal's time zone, which the API does not tell apps. */
export const DAILY_PAUSE_MS = 3_600_000;

export function limiterKey(portalId: string, budget: CallKind): string {
  return `hubspot:${portalId}:${budget}`;
}

export function generalRule(options: ResolvedOptions, appKind: AppKind): LimitRule {
  return { limit: appKind === 'private' ? options.privateAppGeneralLimit : options.generalLimit, windowMs: GENERAL_WINDOW_MS };
}

/** 5 searches per 1.1 s: the extra 100 ms absorbs the jitter between our grant and HubSpot's count. */
export function searchRule(options: ResolvedOptions): LimitRule {
  return { limit: options.searchLimitPerSecond, windowMs: SEARCH_WINDOW_MS + 100 };
}

export interface RateLimitPause {
  /** The budget to block. */
  budget: CallKind;
  ms: number;
  policy: string;
  /** The daily budget is spent: retrying within the hour is pointless. */
  daily: boolean;
}

/**
 * How long to hold a portal after a 429: `Retry-After` when HubSpot sends it, else the policy's
 * window (TEN_SECONDLY_ROLLING 10 s, SECONDLY 1 s, DAILY 1 h); without a policy, the window of the
 * budget the request spent.
 */
export function pauseAfter429(err: HubSpotHttpError, kind: CallKind): RateLimitPause {
  const policy = err.body.policyName ?? 'unknown';
  const retryAfter = retryAfterMs(err.header('retry-after'));
  if (policy === 'DAILY') return { budget: 'general', ms: retryAfter ?? DAILY_PAUSE_MS, policy, daily: true };
  const budget: CallKind = policy === 'SECONDLY' || (policy !== 'TEN_SECONDLY_ROLLING' && kind === 'search') ? 'search' : 'general';
  const window = budget === 'search' ? SEARCH_WINDOW_MS : GENERAL_WINDOW_MS;
  return { budget, ms: retryAfter ?? window, policy, daily: false };
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
