import type { Redis } from 'ioredis';

/**
 * A rolling-window rate limiter shared by every process through Redis: at most `limit` grants in
 * any `windowMs`. A sorted set per key holds the grant times; one Lua script checks and grants
 * atomically. It matches HubSpot's TEN_SECONDLY_ROLLING policy: a fixed-window limiter (such as
 * rate-limiter-flexible's Redis one) lets through twice the limit across a window edge and earns 429s.
 */
const SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export interface LimitRule {
  /** Grants allowed in any window. */
  limit: number;
  windowMs: number;
}

let seq = 0;

export class SlidingWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: () => number = Date.now,
  ) {
    redis.defineCommand('leadScorerSlidingWindow', { numberOfKeys: 1, lua: SCRIPT });
  }

  /** Tries to take one grant now; returns 0 when granted, else how many ms to wait before trying again. */
  async tryTake(key: string, rule: LimitRule): Promise<number> {
    const member = `${this.clock()}:${process.pid}:${++seq}:${Math.random().toString(36).slice(2, 8)}`;
    const wait = await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).leadScorerSlidingWindow!(
      `${this.prefix}${key}`,
      this.clock(),
      rule.windowMs,
      rule.limit,
      member,
    );
    return Number(wait);
  }

  /** Waits until a grant is available and takes it. Honors an abort signal (shutdown). */
  async take(key: string, rule: LimitRule, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = await this.tryTake(key, rule);
      if (wait === 0) return;
      await sleep(wait + Math.floor(Math.random() * 5), signal);
    }
  }

  /** Blocks the key for `ms` (after a 429 that said how long to wait), for every process. */
  async pause(key: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}pause:${key}`, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  /** How long the key is still paused, in ms (0 when it is not). */
  async pausedFor(key: string): Promise<number> {
    const ttl = await this.redis.pttl(`${this.prefix}pause:${key}`);
    return ttl > 0 ? ttl : 0;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
