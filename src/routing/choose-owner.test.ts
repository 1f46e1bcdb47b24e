import type { CrmOwner } from '../../connectors/types';
import { routingConfig, type RoutingConfigInput } from '../config/routing-schema';
import { accountDomain, chooseOwner, fallbackDecision, isOutOfOffice, ownerStatus, type ChooseInput, type RoutingLead } from './choose-owner';

const LISTS = { freeMail: ['gmail.com', 'yahoo.com', '*.free.example'], targetCountries: ['Germany', 'France'] };
const NOW = Date.parse('2026-11-20T10:00:00Z');

function config(overrides: Partial<RoutingConfigInput> = {}) {
  return routingConfig.parse({
    enabled: true,
    placeholderOwners: ['900'],
    sla: [{ tier: 'hot', due: '1h' }],
    recycle: { after: '2d', maxTimes: 2 },
    capacity: { maxActiveLeadsPerOwner: 3 },
    rules: [
      { id: 'enterprise', when: [{ attribute: 'companySize', gte: 1000 }], pool: 'enterprise' },
      { id: 'europe', when: [{ attribute: 'country', inList: 'targetCountries' }, { attribute: 'industry', equals: 'Software' }], pool: 'europe' },
      { id: 'na', when: [{ attribute: 'country', in: ['United States', 'Canada'] }], pool: 'na' },
    ],
    pools: {
      enterprise: [{ owner: '1', weight: 2 }, { owner: '2' }],
      europe: [{ owner: '3' }, { owner: '4' }],
      na: [{ owner: '5' }],
    },
    fallback: { owner: '9' },
    ...overrides,
  });
}

const user = (id: string, active = true): CrmOwner => ({ id, active, kind: 'user' });
const OWNERS = new Map<string, CrmOwner>(['1', '2', '3', '4', '5', '9', '77'].map((id) => [id, user(id)]));

function input(lead: Partial<RoutingLead>, overrides: Partial<ChooseInput> = {}): ChooseInput {
  return {
    lead: { attributes: {}, ownerId: null, ...lead },
    config: config(),
    lists: LISTS,
    facts: { owners: OWNERS, load: new Map() },
    now: NOW,
    accountOwner: null,
    ...overrides,
  };
}

describe('chooseOwner: criteria rules', () => {
  it('takes the first rule whose conditions all hold, and offers that pool by weight', () => {
    const d = chooseOwner(input({ attributes: { companySize: 5000, country: 'Germany', industry: 'Software' } }));
    expect(d).toEqual({ kind: 'pool', pool: 'enterprise', rule: 'enterprise', candidates: [{ owner: '1', weight: 2 }, { owner: '2', weight: 1 }], skipped: [], why: 'rule enterprise → pool enterprise' });
  });

  it('needs every condition of a rule (country list AND industry), case-insensitively', () => {
    expect(chooseOwner(input({ attributes: { country: 'france', industry: 'software' } }))).toMatchObject({ kind: 'pool', pool: 'europe' });
    expect(chooseOwner(input({ attributes: { country: 'France', industry: 'Retail' } }))).toMatchObject({ kind: 'fallback', owner: '9', why: 'no routing rule matched → fallback' });
    expect(chooseOwner(input({ attributes: { country: 'Canada' } }))).toMatchObject({ kind: 'pool', pool: 'na', rule: 'na' });
  });

  it('a rule without conditions takes every lead', () => {
    const cfg = config({ rules: [{ pool: 'na' }] });
    expect(chooseOwner(input({ attributes: {} }, { config: cfg }))).toMatchObject({ kind: 'pool', pool: 'na', rule: 'rules[0]' });
  });
});

describe('chooseOwner: owners who cannot take leads', () => {
  it('skips owners inactive in the CRM, unknown to it, out of office or at capacity', () => {
    const owners = new Map(OWNERS);
    owners.set('1', user('1', false));
    const cfg = config({ pools: { enterprise: [{ owner: '1' }, { owner: '2' }, { owner: '3' }, { owner: '4' }, { owner: '404' }], europe: [{ owner: '3' }], na: [{ owner: '5' }] }, outOfOffice: { '3': [{ from: '2026-11-19', to: '2026-11-21' }] } });
    const d = chooseOwner(input({ attributes: { companySize: 2000 } }, { config: cfg, facts: { owners, load: new Map([['2', 3]]) } }));
    expect(d).toMatchObject({
      kind: 'pool',
      candidates: [{ owner: '4', weight: 1 }],
      skipped: [
        { owner: '1', why: 'inactive' },
        { owner: '2', why: 'at capacity' },
        { owner: '3', why: 'out of office' },
        { owner: '404', why: 'unknown to the CRM' },
      ],
    });
  });

  it('is back in office the day after "to" (the last day away is included)', () => {
    const cfg = config({ outOfOffice: { '5': [{ from: '2026-11-19', to: '2026-11-20' }] } });
    expect(isOutOfOffice(cfg, '5', Date.parse('2026-11-20T23:59:59Z'))).toBe(true);
    expect(isOutOfOffice(cfg, '5', Date.parse('2026-11-21T00:00:00Z'))).toBe(false);
    expect(isOutOfOffice(cfg, '5', Date.parse('2026-11-18T23:59:59Z'))).toBe(false);
  });

  it('goes to the fallback, saying why, when nobody in the pool can take it', () => {
    const d = chooseOwner(input({ attributes: { country: 'Canada' } }, { facts: { owners: OWNERS, load: new Map([['5', 3]]) } }));
    expect(d).toEqual({ kind: 'fallback', owner: '9', ownerKind: 'user', why: 'nobody in pool na can take it (5: at capacity) → fallback' });
  });

  it('leaves the lead as it is when the fallback cannot take it either, or there is none', () => {
    const owners = new Map(OWNERS);
    owners.set('9', user('9', false));
    expect(chooseOwner(input({ attributes: {} }, { facts: { owners, load: new Map() } }))).toEqual({ kind: 'none', why: 'no routing rule matched; the fallback 9 is inactive' });
    const noFallback = { ...config(), fallback: undefined };
    expect(fallbackDecision({ config: noFallback, facts: { owners: OWNERS, load: new Map() } }, 'x')).toEqual({ kind: 'none', why: 'x; no fallback configured' });
  });

  it('a fallback queue is a queue (Salesforce: it can own the lead, not a task)', () => {
    const owners = new Map(OWNERS);
    owners.set('00G1', { id: '00G1', active: true, kind: 'queue' });
    const cfg = config({ fallback: { queue: '00G1' } });
    expect(chooseOwner(input({ attributes: {} }, { config: cfg, facts: { owners, load: new Map() } }))).toMatchObject({ kind: 'fallback', owner: '00G1', ownerKind: 'queue' });
  });
});

describe('chooseOwner: the current owner', () => {
  it('never takes a lead from a person who owns it', () => {
    expect(chooseOwner(input({ ownerId: '77', attributes: { companySize: 5000 } }))).toEqual({ kind: 'keep', owner: '77', why: 'a person owns it (overwriteHumanOwner: false)' });
  });

  it('an owner id the CRM does not list counts as a person too (never take a lead from someone we cannot see)', () => {
    expect(chooseOwner(input({ ownerId: '31337', attributes: { companySize: 5000 } }))).toMatchObject({ kind: 'keep', owner: '31337' });
  });

  it('routes it anyway with overwriteHumanOwner: true', () => {
    expect(chooseOwner(input({ ownerId: '77', attributes: { companySize: 5000 } }, { config: config({ overwriteHumanOwner: true }) }))).toMatchObject({ kind: 'pool', pool: 'enterprise' });
  });

  it('routes leads owned by a placeholder owner, a queue or an inactive owner like unowned ones', () => {
    const owners = new Map(OWNERS);
    owners.set('00G7', { id: '00G7', active: true, kind: 'queue' });
    owners.set('66', user('66', false));
    for (const ownerId of ['900', '00G7', '66', null]) {
      expect(chooseOwner(input({ ownerId, attributes: { companySize: 5000 } }, { facts: { owners, load: new Map() } }))).toMatchObject({ kind: 'pool', pool: 'enterprise' });
    }
    expect(ownerStatus('900', config(), owners)).toBe('placeholder');
    expect(ownerStatus('00G7', config(), owners)).toBe('queue');
    expect(ownerStatus('66', config(), owners)).toBe('inactive');
    expect(ownerStatus(null, config(), owners)).toBe('nobody');
    expect(ownerStatus('77', config(), owners)).toBe('person');
  });
});

describe('chooseOwner: account matching', () => {
  it('gives the lead to the owner of the account its domain matches, before any rule', () => {
    const d = chooseOwner(input({ attributes: { emailDomain: 'acme.example', companySize: 5000 } }, { accountOwner: '77' }));
    expect(d).toEqual({ kind: 'account', owner: '77', domain: 'acme.example', why: 'account match on acme.example' });
  });

  it('derives the domain from the email when the attributes lack it', () => {
    expect(accountDomain({ attributes: {}, email: 'Ann@Acme.Example', ownerId: null }, config(), LISTS)).toBe('acme.example');
    expect(accountDomain({ attributes: { email: 'bob@initech.example' }, ownerId: null }, config(), LISTS)).toBe('initech.example');
    expect(accountDomain({ attributes: {}, ownerId: null }, config(), LISTS)).toBeNull();
  });

  it('never matches a free-mail domain: the configured list (with *.wildcards) or the built-in floor', () => {
    for (const email of ['a@gmail.com', 'a@GMAIL.COM', 'a@x.free.example', 'a@free.example', 'a@hotmail.com', 'a@proton.me']) {
      expect(accountDomain({ attributes: {}, email, ownerId: null }, config(), LISTS)).toBeNull();
    }
    // even if the caller had an owner for it, a free-mail lead goes by the rules
    expect(chooseOwner(input({ attributes: { emailDomain: 'gmail.com', country: 'Canada' } }, { accountOwner: '77' }))).toMatchObject({ kind: 'pool', pool: 'na' });
  });

  it('is off with accountMatching.enabled: false', () => {
    const cfg = config({ accountMatching: { enabled: false, ignoreDomainsInList: 'freeMail' } });
    expect(accountDomain({ attributes: { emailDomain: 'acme.example' }, ownerId: null }, cfg, LISTS)).toBeNull();
    expect(chooseOwner(input({ attributes: { emailDomain: 'acme.example', country: 'Canada' } }, { config: cfg, accountOwner: '77' }))).toMatchObject({ kind: 'pool' });
  });

  it('skips an account owner who is inactive or out of office, and goes on to the rules', () => {
    const owners = new Map(OWNERS);
    owners.set('77', user('77', false));
    expect(chooseOwner(input({ attributes: { emailDomain: 'acme.example', country: 'Canada' } }, { accountOwner: '77', facts: { owners, load: new Map() } }))).toMatchObject({ kind: 'pool', pool: 'na' });
    const away = config({ outOfOffice: { '5': [{ from: '2026-11-01', to: '2026-11-30' }] } });
    expect(chooseOwner(input({ attributes: { emailDomain: 'acme.example', country: 'Canada' } }, { config: away, accountOwner: '5' }))).toMatchObject({ kind: 'fallback' });
  });
});

describe('chooseOwner: owner ids written another way (a Salesforce 15-character id for an 18-character one)', () => {
  it('resolves aliases the CRM lists to the owner\'s own id: pools, placeholders, absences, fallback', () => {
    const U1 = '005000000000001AAA';
    const F = '005000000000009AAA';
    const owners = new Map<string, CrmOwner>([
      [U1, { id: U1, active: true, kind: 'user', aliases: ['005000000000001'] }],
      ['005000000000001', { id: U1, active: true, kind: 'user', aliases: ['005000000000001'] }],
      [F, { id: F, active: true, kind: 'user' }],
      ['005000000000009', { id: F, active: true, kind: 'user' }],
    ]);
    const cfg = config({ placeholderOwners: [], pools: { enterprise: [{ owner: '005000000000001' }], europe: [{ owner: '005000000000001' }], na: [{ owner: '005000000000001' }] }, fallback: { owner: '005000000000009' } });
    const facts = { owners, load: new Map([[U1, 1]]) };
    expect(chooseOwner(input({ attributes: { country: 'Canada' } }, { config: cfg, facts }))).toMatchObject({ kind: 'pool', candidates: [{ owner: U1, weight: 1 }] });
    expect(chooseOwner(input({ attributes: { country: 'Canada' } }, { config: { ...cfg, capacity: { maxActiveLeadsPerOwner: 1 } }, facts }))).toMatchObject({ kind: 'fallback', owner: F });
    const away = { ...cfg, outOfOffice: { '005000000000001': [{ from: NOW - 1, to: NOW + 1 }] } };
    expect(chooseOwner(input({ attributes: { country: 'Canada' } }, { config: away, facts }))).toMatchObject({ kind: 'fallback', why: expect.stringContaining(`${U1}: out of office`) });
    expect(ownerStatus(U1, { placeholderOwners: ['005000000000001'] }, owners)).toBe('placeholder');
    expect(chooseOwner(input({ ownerId: U1, attributes: { country: 'Canada' } }, { config: cfg, facts, recycleFrom: '005000000000001' }))).toMatchObject({ kind: 'fallback' });
  });
});

describe('chooseOwner: recycling', () => {
  it('never gives the lead back to the owner who let the SLA pass, and skips account matching', () => {
    const d = chooseOwner(input({ ownerId: '1', attributes: { emailDomain: 'acme.example', companySize: 5000 } }, { accountOwner: '77', recycleFrom: '1' }));
    expect(d).toMatchObject({ kind: 'pool', candidates: [{ owner: '2', weight: 1 }], skipped: [{ owner: '1', why: 'previous owner' }] });
  });

  it('goes to the fallback when the previous owner was the only one', () => {
    expect(chooseOwner(input({ ownerId: '5', attributes: { country: 'Canada' } }, { recycleFrom: '5' }))).toMatchObject({ kind: 'fallback', owner: '9', why: 'nobody in pool na can take it (5: previous owner) → fallback' });
  });
});
