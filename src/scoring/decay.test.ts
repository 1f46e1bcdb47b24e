import { scoreLead } from './score-lead';
import { DAY, NOW, ev, lead, model } from './test-helpers';

describe('decay', () => {
  const halfLife = model({
    engagement: { decay: { type: 'halfLife', halfLife: '30d' }, rules: [{ id: 'd', label: 'Demo', event: 'demo_request', points: 40 }] },
  });

  it('a signal keeps all its points on its first day', () => {
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 0)]), NOW).engagement).toBe(40);
  });

  it('is worth exactly half after one half-life, a quarter after two', () => {
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 30 * DAY)]), NOW).engagement).toBe(20);
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 60 * DAY)]), NOW).engagement).toBe(10);
  });

  it('moves in whole steps on a fixed UTC grid', () => {
    const at = Date.UTC(2026, 9, 1, 10); // 10:00 on Oct 1
    const l = lead({}, [{ type: 'demo_request', at }]);
    const justBeforeMidnight = Date.UTC(2026, 9, 1, 23, 59);
    const afterMidnight = Date.UTC(2026, 9, 2, 0, 1);
    expect(scoreLead(halfLife, l, justBeforeMidnight).engagement).toBe(40);
    expect(scoreLead(halfLife, l, afterMidnight).engagement).toBe(39); // 40 * 0.5^(1/30) = 39.08
  });

  it('counts for nothing after six half-lives', () => {
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 179 * DAY)]), NOW).engagement).toBe(1);
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 180 * DAY)]), NOW).engagement).toBe(0);
    expect(scoreLead(halfLife, lead({}, [ev('demo_request', 180 * DAY)]), NOW).nextChangeAt).toBeNull();
  });

  it('linear decay loses points evenly per step and reaches zero', () => {
    const linear = model({
      engagement: { rules: [{ id: 'w', label: 'Webinar', event: 'webinar', points: 20, decay: { type: 'linear', zeroAfter: '28d', step: '7d' } }] },
    });
    const aligned = Date.UTC(2026, 10, 5); // a Thursday 00:00 UTC, on the 7-day grid from the epoch
    const at = (days: number) => scoreLead(linear, lead({}, [{ type: 'webinar', at: aligned }]), aligned + days * DAY).engagement;
    expect(at(0)).toBe(20);
    expect(at(6.9)).toBe(20);
    expect(at(7)).toBe(15);
    expect(at(14)).toBe(10);
    expect(at(27.9)).toBe(5);
    expect(at(28)).toBe(0);
    expect(at(100)).toBe(0);
  });

  it('per-rule decay beats group decay, which beats the part default', () => {
    const m = model({
      engagement: {
        decay: { type: 'halfLife', halfLife: '10d' },
        groups: [{ id: 'slow', decay: { type: 'halfLife', halfLife: '20d' } }],
        rules: [
          { id: 'a', label: 'Default', event: 'a', points: 40 },
          { id: 'b', label: 'Group', event: 'b', points: 40, group: 'slow' },
          { id: 'c', label: 'Rule', event: 'c', points: 40, group: 'slow', decay: { type: 'none' } },
        ],
      },
    });
    const r = scoreLead(m, lead({}, [ev('a', 20 * DAY), ev('b', 20 * DAY), ev('c', 20 * DAY)]), NOW);
    expect(Object.fromEntries(r.reasons.map((x) => [x.rule, x.points]))).toEqual({ a: 10, b: 20, c: 40 });
  });

  it('decays each event by its own age, and a counter dated by an attribute', () => {
    const m = model({
      engagement: {
        decay: { type: 'halfLife', halfLife: '30d' },
        rules: [
          { id: 'v', label: 'Visit', event: 'page_view', points: 8 },
          { id: 'f', label: 'Form', attribute: 'formSubmissions', gte: 1, at: 'lastFormAt', points: 20 },
        ],
      },
    });
    const r = scoreLead(m, lead({ formSubmissions: 2, lastFormAt: NOW - 30 * DAY }, [ev('page_view', 0), ev('page_view', 30 * DAY)]), NOW);
    expect(Object.fromEntries(r.reasons.map((x) => [x.rule, x.points]))).toEqual({ v: 12, f: 10 });
  });

  it('decays negative signals too (an old unsubscribe event weighs less)', () => {
    const m = model({ engagement: { decay: { type: 'halfLife', halfLife: '30d' }, rules: [{ id: 'u', label: 'Unsubscribed', event: 'unsubscribe', points: -20 }, { id: 'd', label: 'Demo', event: 'demo_request', points: 40, decay: { type: 'none' } }] } });
    expect(scoreLead(m, lead({}, [ev('unsubscribe', 30 * DAY), ev('demo_request', 0)]), NOW).engagement).toBe(30);
  });
});
