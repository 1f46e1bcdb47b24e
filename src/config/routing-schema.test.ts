import { routingConfig } from './routing-schema';
import { validateWith } from './zod-problems';

const base = { sla: [], recycle: { after: '1d', maxTimes: 1 }, capacity: { maxActiveLeadsPerOwner: 3 }, fallback: { owner: 1 } };

describe('routing.yaml', () => {
  it('turns owner ids written as numbers into strings, and dates into epoch ms', () => {
    const r = routingConfig.parse({
      ...base,
      pools: { sales: [{ owner: 12345678 }, { owner: '005A', weight: 2 }] },
      rules: [{ pool: 'sales' }],
      outOfOffice: { '12345678': [{ from: '2026-12-24', to: '2026-12-24' }, { from: '2027-01-05T09:00:00+01:00', to: '2027-01-05T17:00:00+01:00' }] },
    });
    expect(r.pools.sales).toEqual([
      { owner: '12345678', weight: 1 },
      { owner: '005A', weight: 2 },
    ]);
    expect(r.rules).toEqual([{ when: [], pool: 'sales' }]);
    expect(r.fallback).toEqual({ owner: '1' });
    expect(r.outOfOffice['12345678']).toEqual([
      { from: Date.UTC(2026, 11, 24), to: Date.UTC(2026, 11, 25) }, // a date-only "to" includes the whole day
      { from: Date.UTC(2027, 0, 5, 8), to: Date.UTC(2027, 0, 5, 16) },
    ]);
  });

  it('takes a queue as the fallback', () => {
    expect(routingConfig.parse({ ...base, fallback: { queue: '00G000000000001' } }).fallback).toEqual({ queue: '00G000000000001' });
  });

  it('refuses an SLA rule that a wider minScore rule before it always takes', () => {
    const r = validateWith(routingConfig, { ...base, sla: [{ minScore: 50, due: '1d' }, { minScore: 80, due: '1h' }] });
    expect(r.success ? [] : r.problems).toEqual([
      { path: ['sla', 1, 'minScore'], message: 'sla[0] (minScore 50) already takes every lead this rule (minScore 80) would: put the higher minScore first' },
    ]);
  });

  it('refuses a condition with both tier and minScore', () => {
    const r = validateWith(routingConfig, { ...base, eligible: { tier: 'hot', minScore: 80 } });
    expect(r.success ? [] : r.problems).toEqual([{ path: ['eligible'], message: 'has both tier and minScore: use one of them' }]);
  });

  it('refuses the same owner twice in a pool, and a placeholder owner as the fallback', () => {
    const r = validateWith(routingConfig, { ...base, placeholderOwners: ['1'], pools: { a: [{ owner: '7' }, { owner: 7 }] } });
    expect(r.success ? [] : r.problems).toEqual([
      { path: ['pools', 'a', 1, 'owner'], message: 'owner 7 is already in this pool (item 0): raise the weight instead' },
      { path: ['fallback', 'owner'], message: 'owner 1 is a placeholder owner (placeholderOwners): a lead given to it stays unowned' },
    ]);
  });

  it('refuses a pool without owners and a pool name that is not an id', () => {
    const r = validateWith(routingConfig, { ...base, pools: { empty: [], 'Big Deals': [{ owner: '1' }] } });
    expect(r.success ? [] : r.problems).toEqual([
      { path: ['pools', 'empty'], message: 'a pool needs at least one owner' },
      { path: ['pools', 'Big Deals'], message: 'the key "Big Deals" is not allowed: a name is lower-case letters, digits, "-" and "_", like "enterprise-east"' },
    ]);
  });
});
