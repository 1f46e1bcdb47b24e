import { scoreLead } from './score-lead';
import type { CompiledModel } from './compile-model';
import type { Lead } from '../lead/lead';
import { DAY, HOUR, NOW, ev, lead, model } from './test-helpers';

/** The score really changes at nextChangeAt, and not a millisecond before. */
function expectExactChange(m: CompiledModel, l: Lead, now = NOW) {
  const r = scoreLead(m, l, now);
  expect(r.nextChangeAt).not.toBeNull();
  const t = r.nextChangeAt!;
  expect(t).toBeGreaterThan(now);
  expect(scoreLead(m, l, t - 1).score).toBe(r.score);
  expect(scoreLead(m, l, t).score).not.toBe(r.score);
  return t;
}

describe('nextChangeAt', () => {
  it('is null when nothing changes by itself (fit only, no decay)', () => {
    const m = model({ fit: { rules: [{ id: 't', label: 'Title', attribute: 'title', present: true, points: 50 }] } });
    expect(scoreLead(m, lead({ title: 'CEO' }), NOW).nextChangeAt).toBeNull();
  });

  it('is the moment a window closes', () => {
    const m = model({ weights: { fit: 0, engagement: 1 }, engagement: { rules: [{ id: 'p2', label: 'Pricing twice', event: 'page_view', atLeast: 2, within: '7d', points: 30 }] } });
    const l = lead({}, [ev('page_view', 6 * DAY), ev('page_view', 2 * DAY), ev('page_view', 1 * DAY)]);
    // three in the window; it stops firing when the second-oldest (2 days old) leaves
    expect(expectExactChange(m, l)).toBe(NOW - 2 * DAY + 7 * DAY + 1);
  });

  it('is the moment an inactivity rule starts to count', () => {
    const m = model({ engagement: { rules: [{ id: 's', label: 'Silent', silence: { after: { event: 'demo_request' }, for: '14d' }, points: -15 }, { id: 'd', label: 'Demo', event: 'demo_request', points: 40 }] } });
    const l = lead({}, [ev('demo_request', 3 * DAY), ev('email_open', DAY)]);
    expect(expectExactChange(m, l)).toBe(NOW - DAY + 14 * DAY);
  });

  it('is the next decay step at which the integer score moves', () => {
    const m = model({ weights: { fit: 0, engagement: 1 }, engagement: { decay: { type: 'halfLife', halfLife: '30d' }, rules: [{ id: 'd', label: 'Demo', event: 'demo_request', points: 40 }] } });
    const t = expectExactChange(m, lead({}, [ev('demo_request', 2 * HOUR)]));
    expect(t % DAY).toBe(0); // on the UTC day grid
  });

  it('skips decay steps that do not move the score (a capped rule keeps its cap for a while)', () => {
    const m = model({ weights: { fit: 0, engagement: 1 }, engagement: { decay: { type: 'halfLife', halfLife: '30d' }, rules: [{ id: 'v', label: 'Visits', event: 'page_view', points: 10, max: 20 }] } });
    const l = lead({}, [ev('page_view', HOUR), ev('page_view', 2 * HOUR), ev('page_view', 3 * HOUR)]);
    const t = expectExactChange(m, l);
    // 30 points capped at 20 until 30 * 0.5^(k/30) < 20.5, i.e. k = 17 days
    expect(t).toBeGreaterThan(NOW + 5 * DAY);
  });

  it('is when a dated CRM attribute leaves its window', () => {
    const m = model({ weights: { fit: 0, engagement: 1 }, engagement: { rules: [{ id: 'lv', label: 'Visited lately', attribute: 'lastVisitAt', within: '7d', points: 10 }] } });
    expect(expectExactChange(m, lead({ lastVisitAt: NOW - 2 * DAY }))).toBe(NOW + 5 * DAY + 1);
  });

  it('is when a per-event window drops an event', () => {
    const m = model({ weights: { fit: 0, engagement: 1 }, engagement: { rules: [{ id: 'v', label: 'Recent visits', event: 'page_view', within: '7d', points: 5 }] } });
    expect(expectExactChange(m, lead({}, [ev('page_view', 3 * DAY), ev('page_view', DAY)]))).toBe(NOW + 4 * DAY + 1);
  });
});
