import { scoreLead } from './score-lead';
import { DAY, NOW, lead, model } from './test-helpers';

const fitOf = (rule: Record<string, unknown>, attributes: Record<string, string | number | boolean | null>, lists = {}) =>
  scoreLead(model({ lists, fit: { rules: [{ id: 'r', label: 'Rule', points: 10, ...rule }] as never } }), lead(attributes), NOW).fit;

describe('fit rules on attributes', () => {
  it('equals ignores case for strings, converts numbers and booleans', () => {
    expect(fitOf({ attribute: 'industry', equals: 'Software' }, { industry: 'SOFTWARE' })).toBe(10);
    expect(fitOf({ attribute: 'industry', equals: 'Software' }, { industry: 'Software Dev' })).toBe(0);
    expect(fitOf({ attribute: 'industry', equals: 'Software', caseSensitive: true }, { industry: 'software' })).toBe(0);
    expect(fitOf({ attribute: 'companySize', equals: 50 }, { companySize: '50' })).toBe(10);
    expect(fitOf({ attribute: 'emailOptOut', equals: true }, { emailOptOut: 'true' })).toBe(10);
  });

  it('in a list of values, and in a named list (with *.domain wildcards)', () => {
    expect(fitOf({ attribute: 'country', in: ['US', 'Canada'] }, { country: 'canada' })).toBe(10);
    expect(fitOf({ attribute: 'country', in: ['US', 'Canada'] }, { country: 'Mexico' })).toBe(0);
    const lists = { freeMail: ['gmail.com', '*.gmx.net'] };
    expect(fitOf({ attribute: 'emailDomain', inList: 'freeMail' }, { emailDomain: 'Gmail.com' }, lists)).toBe(10);
    expect(fitOf({ attribute: 'emailDomain', inList: 'freeMail' }, { emailDomain: 'mail.gmx.net' }, lists)).toBe(10);
    expect(fitOf({ attribute: 'emailDomain', inList: 'freeMail' }, { emailDomain: 'gmx.net' }, lists)).toBe(10);
    expect(fitOf({ attribute: 'emailDomain', inList: 'freeMail' }, { emailDomain: 'acme.com' }, lists)).toBe(0);
  });

  it('regex (ignoring case) and contains (any of several)', () => {
    expect(fitOf({ attribute: 'title', regex: '\\b(vp|director)\\b' }, { title: 'Director of Sales' })).toBe(10);
    expect(fitOf({ attribute: 'title', regex: '\\b(vp|director)\\b' }, { title: 'Directorate clerk' })).toBe(0);
    expect(fitOf({ attribute: 'title', contains: ['head of', 'chief'] }, { title: 'Chief Revenue Officer' })).toBe(10);
    expect(fitOf({ attribute: 'title', contains: 'intern' }, { title: 'Marketing' })).toBe(0);
  });

  it('numeric ranges include their edges (between, gte, lte) and exclude them (gt, lt)', () => {
    const rule = { attribute: 'companySize', between: [50, 1000] };
    expect(fitOf(rule, { companySize: 49 })).toBe(0);
    expect(fitOf(rule, { companySize: 50 })).toBe(10);
    expect(fitOf(rule, { companySize: 1000 })).toBe(10);
    expect(fitOf(rule, { companySize: 1001 })).toBe(0);
    expect(fitOf({ attribute: 'companySize', gt: 50 }, { companySize: 50 })).toBe(0);
    expect(fitOf({ attribute: 'companySize', gte: 50, lt: 200 }, { companySize: 199 })).toBe(10);
    expect(fitOf({ attribute: 'companySize', gte: 50, lt: 200 }, { companySize: 200 })).toBe(0);
    expect(fitOf({ attribute: 'companySize', gte: 50 }, { companySize: 'many' })).toBe(0);
  });

  it('present and missing treat null and the empty string as missing', () => {
    expect(fitOf({ attribute: 'company', present: true }, { company: 'Acme' })).toBe(10);
    expect(fitOf({ attribute: 'company', present: true }, { company: '' })).toBe(0);
    expect(fitOf({ attribute: 'company', missing: true }, { company: null })).toBe(10);
    expect(fitOf({ attribute: 'company', missing: true }, {})).toBe(10);
  });

  it('an unknown attribute makes every test false except missing (and not)', () => {
    expect(fitOf({ attribute: 'noSuchThing', equals: 'x' }, { title: 'CEO' })).toBe(0);
    expect(fitOf({ attribute: 'noSuchThing', gte: 0 }, {})).toBe(0);
    expect(fitOf({ attribute: 'noSuchThing', regex: '.*' }, {})).toBe(0);
    expect(fitOf({ attribute: 'noSuchThing', in: ['a'], not: true }, {})).toBe(10);
  });

  it('not inverts a test', () => {
    expect(fitOf({ attribute: 'country', in: ['US'], not: true }, { country: 'US' })).toBe(0);
    expect(fitOf({ attribute: 'country', in: ['US'], not: true }, { country: 'FR' })).toBe(10);
  });

  it('all and any combine conditions', () => {
    const all = { all: [{ attribute: 'industry', equals: 'Software' }, { attribute: 'companySize', gte: 100 }] };
    expect(fitOf(all, { industry: 'software', companySize: 150 })).toBe(10);
    expect(fitOf(all, { industry: 'software', companySize: 50 })).toBe(0);
    const any = { any: [{ attribute: 'country', equals: 'US' }, { attribute: 'country', equals: 'CA' }] };
    expect(fitOf(any, { country: 'ca' })).toBe(10);
    expect(fitOf(any, { country: 'fr' })).toBe(0);
  });

  it('per gives the points once per block of units', () => {
    expect(fitOf({ attribute: 'companySize', gte: 1, per: 100, points: 5 }, { companySize: 250 })).toBe(10);
    expect(fitOf({ attribute: 'companySize', gte: 1, per: 100, points: 5 }, { companySize: 99 })).toBe(0);
  });

  it('date tests: within and olderThan at their boundaries', () => {
    expect(fitOf({ attribute: 'createdAt', within: '30d' }, { createdAt: NOW - 30 * DAY })).toBe(10);
    expect(fitOf({ attribute: 'createdAt', within: '30d' }, { createdAt: NOW - 30 * DAY - 1 })).toBe(0);
    expect(fitOf({ attribute: 'createdAt', within: '30d' }, { createdAt: new Date(NOW - DAY).toISOString() })).toBe(10);
    expect(fitOf({ attribute: 'createdAt', olderThan: '30d' }, { createdAt: NOW - 30 * DAY })).toBe(0);
    expect(fitOf({ attribute: 'createdAt', olderThan: '30d' }, { createdAt: NOW - 30 * DAY - 1 })).toBe(10);
    expect(fitOf({ attribute: 'createdAt', within: '30d' }, { createdAt: 'not a date' })).toBe(0);
  });

  it('fit is recomputed from current values: a promoted manager does not keep both', () => {
    const m = model({
      fit: {
        groups: [{ id: 'seniority', pick: 'best' }],
        rules: [
          { id: 'manager', label: 'Manager', attribute: 'title', regex: 'manager', points: 10, group: 'seniority' },
          { id: 'director', label: 'Director', attribute: 'title', regex: 'director', points: 25, group: 'seniority' },
        ],
      },
    });
    expect(scoreLead(m, lead({ title: 'Marketing Manager' }), NOW).fit).toBe(10);
    expect(scoreLead(m, lead({ title: 'Marketing Director' }), NOW).fit).toBe(25);
    const both = scoreLead(m, lead({ title: 'Director, Product Management' }), NOW);
    expect(both.fit).toBe(25);
    expect(both.reasons).toEqual([{ rule: 'director', label: 'Director', points: 25, part: 'fit' }]);
  });
});
