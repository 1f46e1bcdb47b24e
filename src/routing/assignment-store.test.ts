import Redis from 'ioredis';
import { testRedis } from '../../test/helpers/redis';
import { AssignmentStore, type ClaimResult } from './assignment-store';

/**
 * The Lua claim under concurrency: several "processes" (each its own Redis connection and store)
 * race on the same leads and pools of the real Redis.
 */
describe('AssignmentStore (real Redis, racing workers)', () => {
  let env: ReturnType<typeof testRedis>;
  let workers: { redis: Redis; store: AssignmentStore }[];
  const tenant = 'memcrm:1';

  beforeEach(() => {
    env = testRedis();
    workers = Array.from({ length: 4 }, () => {
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
      return { redis, store: new AssignmentStore(redis, env.prefix) };
    });
  });

  afterEach(async () => {
    for (const w of workers) w.redis.disconnect();
    await env.cleanup();
  });

  const lead = (i: number) => ({ objectType: 'lead', id: `L${i}`, expectedGen: 0 });
  const ownersOf = async (store: AssignmentStore, owners: string[]) => Object.fromEntries(await Promise.all(owners.map(async (o) => [o, (await store.activeLeads(tenant, o)).length] as const)));

  it('over 1,000 assignments raced by 4 workers, each owner gets its weighted share within 1, and every lead exactly one owner', async () => {
    const pool = [
      { owner: 'a', weight: 3 },
      { owner: 'b', weight: 2 },
      { owner: 'c', weight: 1 },
    ];
    const results = await Promise.all(
      workers.map((w, k) =>
        Promise.all(Array.from({ length: 250 }, (_, j) => w.store.pickAndClaim(tenant, lead(k * 250 + j), 'p', pool, 1_000_000, { status: 'claimed', how: 'pool', pool: 'p' }))),
      ),
    );
    const flat = results.flat();
    expect(flat.every((r) => r.ok)).toBe(true);
    const counts = await ownersOf(workers[0]!.store, ['a', 'b', 'c']);
    expect(counts.a! + counts.b! + counts.c!).toBe(1000);
    for (const m of pool) expect(Math.abs(counts[m.owner]! - (1000 * m.weight) / 6)).toBeLessThanOrEqual(1);
    // the state of each lead names the owner whose set holds it
    const sets = await Promise.all(['a', 'b', 'c'].map(async (o) => new Set(await workers[0]!.store.activeLeads(tenant, o))));
    for (const i of [0, 1, 499, 999]) {
      const state = await workers[1]!.store.get(tenant, 'lead', `L${i}`);
      expect(state).toMatchObject({ gen: 1, status: 'claimed', how: 'pool', pool: 'p' });
      const holders = ['a', 'b', 'c'].filter((_, k) => sets[k]!.has(`lead/L${i}`));
      expect(holders).toEqual([state!.owner]);
    }
  });

  it('the rotation stays fair in every prefix of the sequence, not only at the end', async () => {
    const pool = [
      { owner: 'a', weight: 1 },
      { owner: 'b', weight: 1 },
      { owner: 'c', weight: 1 },
    ];
    const order: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await workers[i % 4]!.store.pickAndClaim(tenant, lead(i), 'p', pool, 1000, {});
      if (r.ok) order.push(r.owner);
    }
    expect(order.join('')).toBe('abc'.repeat(10));
  });

  it('two workers racing on the same leads never give one lead to two owners', async () => {
    const pool = [
      { owner: 'a', weight: 1 },
      { owner: 'b', weight: 1 },
    ];
    const leads = Array.from({ length: 100 }, (_, i) => lead(i));
    const results = await Promise.all(workers.flatMap((w) => leads.map((l) => w.store.pickAndClaim(tenant, l, 'p', pool, 1000, { status: 'claimed' }))));
    const ok = results.filter((r): r is Extract<ClaimResult, { ok: true }> => r.ok);
    expect(ok).toHaveLength(100);
    expect(results.filter((r) => !r.ok && r.reason === 'stale')).toHaveLength(300);
    const counts = await ownersOf(workers[0]!.store, ['a', 'b']);
    expect(counts).toEqual({ a: 50, b: 50 });
    // a fixed claim on a claimed lead is refused too
    expect(await workers[2]!.store.claimFixed(tenant, lead(7), 'z', true, {})).toEqual({ ok: false, reason: 'stale', gen: 1 });
    expect(await workers[2]!.store.activeLeads(tenant, 'z')).toEqual([]);
  });

  it('never exceeds the cap, however many workers race for the last places', async () => {
    const pool = [
      { owner: 'a', weight: 5 },
      { owner: 'b', weight: 1 },
      { owner: 'c', weight: 1 },
    ];
    await workers[0]!.store.claimFixed(tenant, lead(9999), 'c', true, {}); // c already holds one
    const results = await Promise.all(workers.flatMap((w, k) => Array.from({ length: 15 }, (_, j) => w.store.pickAndClaim(tenant, lead(k * 15 + j), 'p', pool, 5, {}))));
    expect(results.filter((r) => r.ok)).toHaveLength(14);
    expect(results.filter((r) => !r.ok && r.reason === 'full')).toHaveLength(46);
    expect(await ownersOf(workers[0]!.store, ['a', 'b', 'c'])).toEqual({ a: 5, b: 5, c: 5 });
    // a worked lead frees a place
    const state = await workers[0]!.store.get(tenant, 'lead', 'L0');
    expect(await workers[1]!.store.update(tenant, 'lead', 'L0', state!.gen, { status: 'done' }, { owner: state!.owner })).toBe(true);
    const again = await workers[2]!.store.pickAndClaim(tenant, lead(500), 'p', pool, 5, {});
    expect(again).toEqual({ ok: true, owner: state!.owner, gen: 1 });
  });

  it('recycling moves the lead from the previous owner to the next, once, on the generation it read', async () => {
    const pool = [
      { owner: 'a', weight: 1 },
      { owner: 'b', weight: 1 },
    ];
    const first = await workers[0]!.store.pickAndClaim(tenant, lead(1), 'p', pool, 10, { recycles: 0 });
    expect(first).toMatchObject({ ok: true, owner: 'a', gen: 1 });
    const next = [{ owner: 'b', weight: 1 }];
    const racers = await Promise.all(workers.map((w) => w.store.pickAndClaim(tenant, { ...lead(1), expectedGen: 1, previousOwner: 'a' }, 'p', next, 10, { recycles: 1 })));
    expect(racers.filter((r) => r.ok)).toHaveLength(1);
    expect(await ownersOf(workers[0]!.store, ['a', 'b'])).toEqual({ a: 0, b: 1 });
    expect(await workers[0]!.store.get(tenant, 'lead', 'L1')).toMatchObject({ gen: 2, owner: 'b', recycles: 1 });
    // a stale update is refused and changes nothing
    expect(await workers[3]!.store.update(tenant, 'lead', 'L1', 1, { status: 'done' }, { owner: 'b' })).toBe(false);
    expect(await ownersOf(workers[0]!.store, ['b'])).toEqual({ b: 1 });
  });

  it('the per-lead lock admits one worker at a time', async () => {
    const tokens = await Promise.all(workers.map((w) => w.store.lock(tenant, 'lead', 'L1', 10_000)));
    const held = tokens.filter((t): t is string => t !== null);
    expect(held).toHaveLength(1);
    await workers[0]!.store.unlock(tenant, 'lead', 'L1', 'not-the-token');
    expect(await workers[1]!.store.lock(tenant, 'lead', 'L1', 10_000)).toBeNull();
    await workers[0]!.store.unlock(tenant, 'lead', 'L1', held[0]!);
    expect(await workers[1]!.store.lock(tenant, 'lead', 'L1', 10_000)).toEqual(expect.any(String));
  });
});
