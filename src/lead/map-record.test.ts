import type { AttributeMapping } from '../config/mapping-schema';
import { convertValue, mapRecord, pathGetter } from './map-record';

const m = (field: string, type: AttributeMapping['type'] = 'string'): AttributeMapping => ({ field, type });

describe('mapRecord', () => {
  it('maps a HubSpot contact\'s properties to canonical attributes, deriving emailDomain', () => {
    const contact = {
      id: '101',
      properties: {
        email: ' Ada@Example.COM ',
        jobtitle: 'VP Engineering',
        numemployees: '25-50',
        hs_analytics_num_page_views: '12',
        hs_analytics_last_visit_timestamp: '2026-11-02T09:30:00.000Z',
        hs_email_optout: 'false',
        hs_email_hard_bounce_reason_enum: '',
        notes_last_contacted: '1793611800000',
      },
    };
    const attributes = mapRecord(
      {
        email: m('email', 'email'),
        title: m('jobtitle'),
        companySize: m('numemployees', 'range'),
        pageViews: m('hs_analytics_num_page_views', 'number'),
        lastVisitAt: m('hs_analytics_last_visit_timestamp', 'date'),
        emailOptOut: m('hs_email_optout', 'boolean'),
        emailBounced: m('hs_email_hard_bounce_reason_enum', 'presence'),
        lastContactedAt: m('notes_last_contacted', 'date'),
        industry: m('industry'),
      },
      pathGetter(contact.properties),
    );
    expect(attributes).toEqual({
      email: 'ada@example.com',
      emailDomain: 'example.com',
      title: 'VP Engineering',
      companySize: 25,
      pageViews: 12,
      lastVisitAt: Date.UTC(2026, 10, 2, 9, 30),
      emailOptOut: false,
      emailBounced: false,
      lastContactedAt: 1793611800000,
    });
  });

  it('follows Salesforce relationship paths and reads Salesforce date formats', () => {
    const sfContact = { Email: 'b@corp.io', Account: { Industry: 'Technology', NumberOfEmployees: 1200 }, LastActivityDate: '2026-11-02', CreatedDate: '2026-11-02T09:30:00.000+0000', HasOptedOutOfEmail: true, EmailBouncedReason: 'Mailbox full' };
    expect(
      mapRecord(
        {
          email: m('Email', 'email'),
          industry: m('Account.Industry'),
          companySize: m('Account.NumberOfEmployees', 'range'),
          rating: m('Account.Rating'),
          lastSalesActivityAt: m('LastActivityDate', 'date'),
          createdAt: m('CreatedDate', 'date'),
          emailOptOut: m('HasOptedOutOfEmail', 'boolean'),
          emailBounced: m('EmailBouncedReason', 'presence'),
          city: m('Owner.Address.City'),
        },
        pathGetter(sfContact),
      ),
    ).toEqual({
      email: 'b@corp.io',
      emailDomain: 'corp.io',
      industry: 'Technology',
      companySize: 1200,
      lastSalesActivityAt: Date.UTC(2026, 10, 2),
      createdAt: Date.UTC(2026, 10, 2, 9, 30),
      emailOptOut: true,
      emailBounced: true,
    });
  });

  it('leaves out values it cannot read, and never throws on CRM data', () => {
    const attributes = mapRecord(
      {
        companySize: m('numemployees', 'range'),
        pageViews: m('views', 'number'),
        lastVisitAt: m('visit', 'date'),
        emailOptOut: m('optout', 'boolean'),
        email: m('email', 'email'),
        title: m('title'),
        broken: m('throws'),
      },
      (field) => {
        if (field === 'throws') throw new Error('getter blew up');
        return { numemployees: 'abc', views: '12 views', visit: 'last tuesday', optout: 'maybe', email: 'not-an-email', title: { nested: true } }[field];
      },
    );
    expect(attributes).toEqual({});
  });

  it('keeps an emailDomain the mapping fills itself', () => {
    expect(mapRecord({ email: m('e', 'email'), emailDomain: m('d') }, pathGetter({ e: 'a@b.com', d: 'corp.com' }))).toEqual({ email: 'a@b.com', emailDomain: 'corp.com' });
  });
});

describe('convertValue', () => {
  it.each([
    ['25-50', 25],
    ['25 - 50', 25],
    ['25–50', 25],
    ['1,000-5,000', 1000],
    ['10 to 50', 10],
    ['1000+', 1000],
    ['10,000+', 10000],
    ['250', 250],
    [250, 250],
    ['abc', undefined],
    ['25-', undefined],
    ['-', undefined],
    ['', undefined],
    [null, undefined],
  ])('range %j -> %j', (raw, expected) => {
    expect(convertValue(raw, 'range')).toBe(expected);
  });

  it.each([
    ['12', 12],
    [' 3.5 ', 3.5],
    ['1,000', 1000],
    ['-4', -4],
    [7, 7],
    ['', undefined],
    ['1,00', undefined],
    ['12abc', undefined],
    [Number.NaN, undefined],
    [true, undefined],
  ])('number %j -> %j', (raw, expected) => {
    expect(convertValue(raw, 'number')).toBe(expected);
  });

  it.each([
    ['2026-11-02T09:30:00Z', Date.UTC(2026, 10, 2, 9, 30)],
    ['2026-11-02', Date.UTC(2026, 10, 2)],
    ['1793611800000', 1793611800000],
    [1793611800000, 1793611800000],
    ['yesterday', undefined],
    ['2026-13-45', undefined],
    [-5, undefined],
    ['', undefined],
  ])('date %j -> %j', (raw, expected) => {
    expect(convertValue(raw, 'date')).toBe(expected);
  });

  it.each([
    [true, true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    [1, true],
    ['false', false],
    ['no', false],
    [0, false],
    ['maybe', undefined],
    [null, undefined],
  ])('boolean %j -> %j', (raw, expected) => {
    expect(convertValue(raw, 'boolean')).toBe(expected);
  });

  it.each([
    ['x', true],
    [0, true],
    [false, true],
    ['', false],
    ['   ', false],
    [null, false],
    [undefined, false],
  ])('presence %j -> %j', (raw, expected) => {
    expect(convertValue(raw, 'presence')).toBe(expected);
  });

  it('reads text as trimmed text, numbers and booleans as their text', () => {
    expect(convertValue('  Director  ', 'string')).toBe('Director');
    expect(convertValue(42, 'string')).toBe('42');
    expect(convertValue(['a'], 'string')).toBeUndefined();
  });
});
