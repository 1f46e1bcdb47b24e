import { scoreLead } from './score-lead';
import { DAY, HOUR, NOW, ev, lead, model } from './test-helpers';

const engagementOf = (rules: unknown[], events: ReturnType<typeof ev>[], attributes = {}) =>
  scoreLead(model({ engagement: { rules: rules as never } }), lead(attributes, events), NOW);

const pricing = { url: 'https://acme.example/pricing?plan=pro' };

describe('event rules', () => {
  it('match by type and by properties, per event', () => {
    const rule = { id: 'p', label: 'Pricing page', event: 'page_view', where: { url: { contains: '/pricing' } }, points: 5 };
    expect(engagementOf([rule], [ev('page_view', HOUR, pricing), ev('page_view', HOUR, { url: '/blog' })]).engagement).toBe(5);
    expect(engagementOf([rule], [ev('form_submission', HOUR, pricing)]).engagement).toBe(0);
    expect(engagementOf([rule], [ev('page_view', HOUR)]).engagement).toBe(0);
  });

  it('a plain value in where means equals (ignoring case); several types can be listed', () => {
    const rule = { id: 'f', label: 'Contact form', event: ['form_submission', 'demo_request'], where: { form: 'Contact Us' }, points: 10 };
    expect(engagementOf([rule], [ev('form_submission', HOUR, { form: 'contact us' }), ev('demo_request', HOUR, { form: 'Contact Us' })]).engagement).toBe(20);
    expect(engagementOf([rule], [ev('form_submission', HOUR, { form: 'Newsletter' })]).engagement).toBe(0);
  });

  it('events in the future do not count yet', () => {
    const rule = { id: 'd', label: 'Demo', event: 'demo_request', points: 30 };
    expect(engagementOf([rule], [ev('demo_request', -HOUR)]).engagement).toBe(0);
  });

  it('within: only events inside the window count, the boundary included', () => {
    const rule = { id: 'v', label: 'Recent visits', event: 'page_view', within: '7d', points: 5 };
    expect(engagementOf([rule], [ev('page_view', 7 * DAY)]).engagement).toBe(5);
    expect(engagementOf([rule], [ev('page_view', 7 * DAY + 1)]).engagement).toBe(0);
  });

  it('atLeast + within: "pricing page 2 or more times in 7 days" fires once', () => {
    const rule = { id: 'p2', label: 'Pricing twice in 7 days', event: 'page_view', where: { url: { contains: 'pricing' } }, atLeast: 2, within: '7d', points: 10 };
    expect(engagementOf([rule], [ev('page_view', DAY, pricing)]).engagement).toBe(0);
    expect(engagementOf([rule], [ev('page_view', DAY, pricing), ev('page_view', 7 * DAY, pricing)]).engagement).toBe(10);
    expect(engagementOf([rule], [ev('page_view', DAY, pricing), ev('page_view', 7 * DAY + 1, pricing)]).engagement).toBe(0);
    const many = Array.from({ length: 6 }, (_, i) => ev('page_view', i * HOUR, pricing));
    expect(engagementOf([rule], many).engagement).toBe(10);
  });

  it('recency: "visited in the last 7 days" is atLeast 1 within 7d', () => {
    const rule = { id: 'r', label: 'Visited in the last 7 days', event: 'page_view', atLeast: 1, within: '7d', points: 8 };
    expect(engagementOf([rule], [ev('page_view', 3 * DAY), ev('page_view', 2 * DAY)]).reasons).toEqual([
      { rule: 'r', label: 'Visited in the last 7 days', points: 8, part: 'engagement' },
    ]);
    expect(engagementOf([rule], [ev('page_view', 8 * DAY)]).engagement).toBe(0);
  });
});

describe('sequence rules', () => {
  const rule = {
    id: 'pf',
    label: 'Pricing visit then a form within 24h',
    sequence: [{ event: 'page_view', where: { url: { contains: '/pricing' } } }, { event: 'form_submission' }],
    within: '24h',
    points: 25,
  };

  it('fires when the steps happen in order within the window (boundary included)', () => {
    expect(engagementOf([rule], [ev('page_view', 30 * HOUR, pricing), ev('form_submission', 6 * HOUR)]).engagement).toBe(25);
    expect(engagementOf([rule], [ev('page_view', 30 * HOUR + 1, pricing), ev('form_submission', 6 * HOUR)]).engagement).toBe(0);
  });

  it('does not fire in the wrong order, or with a step missing', () => {
    expect(engagementOf([rule], [ev('form_submission', 10 * HOUR), ev('page_view', 9 * HOUR, pricing)]).engagement).toBe(0);
    expect(engagementOf([rule], [ev('page_view', 9 * HOUR, pricing)]).engagement).toBe(0);
    expect(engagementOf([rule], [ev('page_view', 9 * HOUR, { url: '/blog' }), ev('form_submission', 8 * HOUR)]).engagement).toBe(0);
  });

  it('finds a valid pair among many events, fires once', () => {
    const events = [
      ev('page_view', 20 * DAY, pricing),
      ev('form_submission', 10 * DAY),
      ev('page_view', 3 * DAY, pricing),
      ev('page_view', 2 * DAY + HOUR, pricing),
      ev('form_submission', 2 * DAY),
    ];
    expect(engagementOf([rule], events).engagement).toBe(25);
  });

  it('handles three steps', () => {
    const three = { ...rule, sequence: [{ event: 'email_click' }, ...rule.sequence], within: '2d' };
    expect(engagementOf([three], [ev('email_click', 40 * HOUR), ev('page_view', 30 * HOUR, pricing), ev('form_submission', HOUR)]).engagement).toBe(25);
    expect(engagementOf([three], [ev('email_click', 50 * HOUR), ev('page_view', 30 * HOUR, pricing), ev('form_submission', HOUR)]).engagement).toBe(0);
  });
});

describe('silence rules', () => {
  const rule = { id: 's', label: 'No activity for 14 days after a demo request', silence: { after: { event: 'demo_request' }, for: '14d' }, points: -15 };

  it('fires once nothing happened for the whole period after the signal (boundary included)', () => {
    expect(engagementOf([rule], [ev('demo_request', 14 * DAY)]).engagement).toBe(0);
    expect(engagementOf([rule], [ev('demo_request', 14 * DAY)]).reasons).toEqual([
      { rule: 's', label: 'No activity for 14 days after a demo request', points: -15, part: 'engagement' },
    ]);
    expect(engagementOf([rule], [ev('demo_request', 14 * DAY - 1)]).reasons).toEqual([]);
  });

  it('any later activity breaks the silence; no signal, no silence', () => {
    expect(engagementOf([rule], [ev('demo_request', 20 * DAY), ev('email_open', 10 * DAY)]).reasons).toEqual([]);
    expect(engagementOf([rule], [ev('email_open', 30 * DAY)]).reasons).toEqual([]);
  });

  it('can be limited to some activity and read dates from CRM attributes', () => {
    const crm = {
      id: 's2',
      label: 'Silent after demo',
      silence: { after: { attribute: 'demoRequestedAt' }, for: '14d', activity: { attributes: ['lastVisitAt', 'lastEmailOpenAt'] } },
      points: -15,
    };
    expect(engagementOf([crm], [], { demoRequestedAt: NOW - 20 * DAY, lastVisitAt: NOW - 15 * DAY }).reasons).toHaveLength(1);
    expect(engagementOf([crm], [], { demoRequestedAt: NOW - 20 * DAY, lastEmailOpenAt: NOW - 2 * DAY }).reasons).toHaveLength(0);
    expect(engagementOf([crm], [ev('page_view', DAY)], { demoRequestedAt: new Date(NOW - 20 * DAY).toISOString() }).reasons).toHaveLength(1);
  });
});

describe('CRM counters and dates (for CRMs that keep no event history)', () => {
  it('per: points per block of a counter, capped', () => {
    const rule = { id: 'pv', label: 'Page views', attribute: 'pageViews', gte: 1, per: 5, points: 2, max: 20 };
    expect(engagementOf([rule], [], { pageViews: 4 }).engagement).toBe(0);
    expect(engagementOf([rule], [], { pageViews: 12 }).engagement).toBe(4);
    expect(engagementOf([rule], [], { pageViews: '500' }).engagement).toBe(20);
  });

  it('recency on a date the CRM keeps', () => {
    const rule = { id: 'lv', label: 'Visited in the last 7 days', attribute: 'lastVisitAt', within: '7d', points: 10 };
    expect(engagementOf([rule], [], { lastVisitAt: NOW - 7 * DAY }).engagement).toBe(10);
    expect(engagementOf([rule], [], { lastVisitAt: NOW - 7 * DAY - 1 }).engagement).toBe(0);
  });

  it('hard bounce and unsubscribe as negative signals', () => {
    const rules = [
      { id: 'b', label: 'Email hard-bounced', attribute: 'emailBounced', equals: true, points: -20 },
      { id: 'u', label: 'Unsubscribed', attribute: 'emailOptOut', equals: true, points: -10 },
      { id: 'o', label: 'Opened emails', attribute: 'emailOpens', gte: 1, points: 30 },
    ];
    expect(engagementOf(rules, [], { emailBounced: true, emailOptOut: 'true', emailOpens: 3 }).reasons.map((r) => r.points)).toEqual([30, -20, -10]);
    expect(engagementOf(rules, [], { emailBounced: true, emailOptOut: 'true', emailOpens: 3 }).engagement).toBe(0);
  });
});
