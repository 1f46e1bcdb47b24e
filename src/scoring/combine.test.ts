import { scoreLead } from './score-lead';
import { DAY, NOW, ev, lead, model } from './test-helpers';

describe('combining fit and engagement', () => {
  const m = model({
    lifecycle: { mql: 50, sql: 75 },
    fit: {
      rules: [
        { id: 'vp', label: 'VP title', attribute: 'title', regex: '\\bvp\\b', points: 80 },
        { id: 'big', label: 'Large company', attribute: 'companySize', gte: 1000, points: 50 },
        { id: 'student', label: 'Student', attribute: 'title', contains: 'student', points: -40 },
      ],
    },
    engagement: { rules: [{ id: 'demo', label: 'Requested a demo', event: 'demo_request', points: 40 }] },
  });

  it('an empty lead scores 0, cold, with no reasons and nothing that changes by itself', () => {
    const r = scoreLead(m, lead(), NOW);
    expect(r).toEqual({ score: 0, fit: 0, engagement: 0, tier: 'cold', lifecycle: null, reasons: [], model: 'test', nextChangeAt: null });
  });

  it('clamps each part at 100 and the score follows the weights', () => {
    const r = scoreLead(m, lead({ title: 'VP Sales', companySize: 5000 }), NOW);
    expect(r.fit).toBe(100);
    expect(r.engagement).toBe(0);
    expect(r.score).toBe(50);
    expect(r.tier).toBe('warm');
    expect(r.lifecycle).toBe('MQL');
  });

  it('clamps each part at 0: negative points cannot push a part below zero', () => {
    const r = scoreLead(m, lead({ title: 'student' }, [ev('demo_request', DAY)]), NOW);
    expect(r.fit).toBe(0);
    expect(r.engagement).toBe(40);
    expect(r.score).toBe(20);
    expect(r.reasons.map((x) => [x.label, x.points])).toEqual([
      ['Requested a demo', 40],
      ['Student', -40],
    ]);
  });

  it('score = round(fit * w.fit + engagement * w.engagement) and tiers at their exact thresholds', () => {
    const weighted = model({
      weights: { fit: 0.25, engagement: 0.75 },
      fit: { rules: [{ id: 'f', label: 'F', attribute: 'x', present: true, points: 60 }] },
      engagement: { rules: [{ id: 'e', label: 'E', attribute: 'y', gte: 0, per: 1, points: 1 }] },
    });
    // 0.25*60 + 0.75*60 = 60 -> hot at exactly 60
    expect(scoreLead(weighted, lead({ x: 1, y: 60 }), NOW)).toMatchObject({ score: 60, tier: 'hot' });
    // 0.25*60 + 0.75*59 = 59.25 -> 59 -> warm
    expect(scoreLead(weighted, lead({ x: 1, y: 59 }), NOW)).toMatchObject({ score: 59, tier: 'warm' });
    // 0.25*0 + 0.75*53 = 39.75 -> 40 -> warm at exactly 40
    expect(scoreLead(weighted, lead({ y: 53 }), NOW)).toMatchObject({ score: 40, tier: 'warm' });
    expect(scoreLead(weighted, lead({ y: 52 }), NOW)).toMatchObject({ score: 39, tier: 'cold' });
  });

  it('lifecycle suggestion at the MQL and SQL thresholds', () => {
    const lc = model({ lifecycle: { mql: 50, sql: 75 }, weights: { fit: 1, engagement: 0 }, fit: { rules: [{ id: 'x', label: 'X', attribute: 'v', gte: 0, per: 1, points: 1 }] } });
    expect(scoreLead(lc, lead({ v: 49 }), NOW).lifecycle).toBeNull();
    expect(scoreLead(lc, lead({ v: 50 }), NOW).lifecycle).toBe('MQL');
    expect(scoreLead(lc, lead({ v: 75 }), NOW).lifecycle).toBe('SQL');
  });

  it('reasons are sorted by size, biggest first, and carry the labels the admin wrote', () => {
    const r = scoreLead(m, lead({ title: 'VP, student affairs', companySize: 2000 }, [ev('demo_request', 0)]), NOW);
    expect(r.reasons.map((x) => x.points)).toEqual([80, 50, 40, -40]);
  });

  it('is deterministic: the same input gives the same output', () => {
    const l = lead({ title: 'VP' }, [ev('demo_request', 3 * DAY)]);
    expect(scoreLead(m, l, NOW)).toEqual(scoreLead(m, l, NOW));
  });
});

describe('caps', () => {
  it('a rule cap limits one rule in both directions', () => {
    const m = model({
      engagement: {
        rules: [
          { id: 'views', label: 'Page views', event: 'page_view', points: 4, max: 10 },
          { id: 'careers', label: 'Careers page', event: 'page_view', where: { url: { contains: '/careers' } }, points: -5, max: 12 },
        ],
      },
    });
    const views = Array.from({ length: 5 }, (_, i) => ev('page_view', i * 1000, { url: '/careers' }));
    const r = scoreLead(m, lead({}, views), NOW);
    expect(r.reasons).toEqual([
      { rule: 'careers', label: 'Careers page', points: -12, part: 'engagement' },
      { rule: 'views', label: 'Page views', points: 10, part: 'engagement' },
    ]);
    expect(r.engagement).toBe(0);
  });

  it('a rule just under its cap is not cut', () => {
    const m = model({ engagement: { rules: [{ id: 'v', label: 'V', event: 'page_view', points: 5, max: 15 }] } });
    expect(scoreLead(m, lead({}, [ev('page_view', 1), ev('page_view', 2)]), NOW).engagement).toBe(10);
    expect(scoreLead(m, lead({}, [ev('page_view', 1), ev('page_view', 2), ev('page_view', 3)]), NOW).engagement).toBe(15);
    expect(scoreLead(m, lead({}, [ev('page_view', 1), ev('page_view', 2), ev('page_view', 3), ev('page_view', 4)]), NOW).engagement).toBe(15);
  });

  it('a group cap limits the group total and says so in the reasons', () => {
    const m = model({
      engagement: {
        groups: [{ id: 'web', label: 'Web activity', max: 30 }],
        rules: [
          { id: 'pricing', label: 'Pricing page', event: 'page_view', where: { url: { contains: 'pricing' } }, points: 10, group: 'web' },
          { id: 'visit', label: 'Any visit', event: 'page_view', points: 3, group: 'web' },
          { id: 'demo', label: 'Requested a demo', event: 'demo_request', points: 30 },
        ],
      },
    });
    const events = [1, 2, 3].map((i) => ev('page_view', i * 1000, { url: '/pricing' }));
    const r = scoreLead(m, lead({}, [...events, ev('demo_request', 10)]), NOW);
    expect(r.engagement).toBe(60);
    expect(r.reasons).toEqual([
      { rule: 'pricing', label: 'Pricing page', points: 30, part: 'engagement' },
      { rule: 'demo', label: 'Requested a demo', points: 30, part: 'engagement' },
      { rule: 'visit', label: 'Any visit', points: 9, part: 'engagement' },
      { rule: 'group:web', label: 'Web activity capped at 30', points: -9, part: 'engagement' },
    ]);
  });
});
