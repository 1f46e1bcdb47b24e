import { SlidingWindowLimiter } from './sliding-window-limiter';
import { testRedis } from '../../test/helpers/redis';

describe('SlidingWindowLimiter (real Redis)', () => {
  const t = testRedis();
  afterAll(() => t.cleanup());

  it('grants at most `limit` in any rolling window and says how long to wait', async () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter(t.redis, t.prefix, () => now);
    const rule = { limit: 3, windowMs: 1000 };
    expect(await limiter.tryTake('p1', rule)).toBe(0);
    now += 100;
    expect(await limiter.tryTake('p1', rule)).toBe(0);
    now += 100;
    expect(await limiter.tryTake('p1', rule)).toBe(0);
    now += 100;
    // the oldest grant (at +0) leaves the window at +1000: wait 700 ms
    expect(await limiter.tryTake('p1', rule)).toBe(700);
    now += 700;
    expect(await limiter.tryTake('p1', rule)).toBe(0);
    // one key does not affect another
    expect(await limiter.tryTake('p2', rule)).toBe(0);
  });

  it('is shared between connections (processes) and never exceeds the limit under concurrency', async () => {
    const a = new SlidingWindowLimiter(t.redis, `${t.prefix}c:`);
    const other = testRedis();
    const b = new SlidingWindowLimiter(other.redis, `${t.prefix}c:`);
    const rule = { limit: 10, windowMs: 60_000 };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).tryTake('k', rule)));
    expect(results.filter((w) => w === 0)).toHaveLength(10);
    other.redis.disconnect();
  });

  it('take() waits for a grant', async () => {
    const limiter = new SlidingWindowLimiter(t.redis, `${t.prefix}w:`);
    const rule = { limit: 2, windowMs: 200 };
    const started = Date.now();
    for (let i = 0; i < 5; i++) await limiter.take('k', rule);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('pause() blocks a key for every process for the given time', async () => {
    const limiter = new SlidingWindowLimiter(t.redis, `${t.prefix}p:`);
    await limiter.pause('k', 500);
    const left = await limiter.pausedFor('k');
    expect(left).toBeGreaterThan(300);
    expect(await limiter.pausedFor('other')).toBe(0);
  });
});
