import { fixture, shippedSalesforceMapping } from '../../test/fixtures/salesforce/harness';
import { salesforceMappingOf } from './mapping';
import {
  eventFieldsToSelect,
  fieldsToSelect,
  objectMappingOf,
  parseSalesforceRecord,
  salesforceRecord,
  salesforceRecordToCrmRecord,
  salesforceRecordToLead,
  toEvent,
} from './to-lead';

const config = shippedSalesforceMapping();
const mapping = salesforceMappingOf(config);
const TENANT = 'salesforce:00D5g000004ABCDEA4';

describe('a Lead through the shipped mapping', () => {
  const raw = parseSalesforceRecord(fixture('lead-with-activity.json'));

  it('maps the fields to canonical attributes with their types', () => {
    const lead = salesforceRecordToLead(TENANT, raw, mapping);
    expect(lead).toMatchObject({ tenant: TENANT, objectType: 'Lead', id: '00Q5g00000ABCdeEAH', email: 'ana.lima@acme.example' });
    expect(lead.attributes).toMatchObject({
      email: 'ana.lima@acme.example',
      emailDomain: 'acme.example',
      title: 'VP Sales',
      company: 'Acme Corp',
      industry: 'Technology',
      companySize: 250,
      annualRevenue: 12_000_000,
      leadStatus: 'Working - Contacted',
      isConverted: false,
      emailOptOut: false,
      emailBounced: false,
      lastSalesActivityAt: Date.parse('2026-11-18'),
      createdAt: Date.parse('2026-10-01T12:00:00Z'),
    });
    expect(lead.attributes).not.toHaveProperty('state');
  });

  it('turns the embedded related records into events, keeping only those that pass `when`', () => {
    const lead = salesforceRecordToLead(TENANT, raw, mapping);
    expect(lead.events).toEqual([
      { type: 'campaign_response', at: Date.parse('2026-11-15'), properties: { campaign: 'Pricing webinar', status: 'Responded' } },
      { type: 'sales_activity', at: Date.parse('2026-11-18T14:00:00Z'), properties: { subject: 'Call', taskType: 'Call' } },
    ]);
  });

  it('reads our output fields as `current` and SystemModstamp as modifiedAt', () => {
    const record = salesforceRecordToCrmRecord(TENANT, raw, mapping);
    expect(record.current).toEqual({ score: 42, fit: 60, engagement: 20, tier: 'warm', reasons: '+30 VP title\n+12 Mid-size company', model: 'default-2026-11' });
    expect(record.modifiedAt).toBe(Date.parse('2026-11-20T09:30:05Z'));
  });

  it('uses the related records it is given (bulk-fetched) instead of embedded ones', () => {
    const task = parseSalesforceRecord({ attributes: { type: 'Task' }, Id: '00T5g00000AAAAAAA9', WhoId: raw.Id, CreatedDate: '2026-11-21T08:00:00.000+0000', IsClosed: true, Subject: 'Demo' });
    const lead = salesforceRecordToLead(TENANT, raw, mapping, [[], [task], []]);
    expect(lead.events).toEqual([{ type: 'sales_activity', at: Date.parse('2026-11-21T08:00:00Z'), properties: { subject: 'Demo' } }]);
  });
});

describe('a Contact', () => {
  it('reads its firmographics from its Account through relationship fields', () => {
    const record = salesforceRecordToCrmRecord(TENANT, parseSalesforceRecord(fixture('contact.json')), config);
    expect(record.objectType).toBe('Contact');
    expect(record.lead.attributes).toMatchObject({ company: 'Globex', industry: 'Manufacturing', companySize: 5200, annualRevenue: 880_000_000, rating: 'Hot', country: 'Sweden', emailOptOut: true, emailBounced: true });
    expect(record.current).toEqual({});
    expect(record.lead.events).toEqual([]);
  });

  it('has no firmographics when it has no Account', () => {
    const lead = salesforceRecordToLead(TENANT, parseSalesforceRecord({ ...fixture('contact.json'), Account: null }), mapping);
    expect(lead.attributes).not.toHaveProperty('industry');
    expect(lead.attributes).toHaveProperty('country', 'Sweden');
  });
});

describe('fields to read', () => {
  it('selects Id, SystemModstamp, the mapped fields, our output fields and, on Leads, the conversion fields', () => {
    const lead = fieldsToSelect(mapping, 'Lead');
    expect(lead[0]).toBe('Id');
    expect(lead).toEqual(expect.arrayContaining(['SystemModstamp', 'IsConverted', 'ConvertedContactId', 'Title', 'NumberOfEmployees', 'Lead_Score__c', 'Lead_Score_Model__c']));
    expect(lead).not.toContain('Lead_Score_Updated_At__c');
    const contact = fieldsToSelect(mapping, 'Contact');
    expect(contact).toEqual(expect.arrayContaining(['Account.Industry', 'Account.Name', 'MailingCountry']));
    expect(contact).not.toContain('IsConverted');
    expect(new Set(contact.map((f) => f.toLowerCase())).size).toBe(contact.length);
  });

  it('selects from an event source its link, its date, its `when` fields and its properties', () => {
    const [cm, task] = mapping.objects.Contact!.events;
    expect(eventFieldsToSelect(cm!, 'Contact')).toEqual(['Id', 'Campaign.Name', 'ContactId', 'FirstRespondedDate', 'HasResponded', 'Status']);
    expect(eventFieldsToSelect(task!, 'Contact')).toEqual(['Id', 'CreatedDate', 'IsClosed', 'Subject', 'TaskSubtype', 'WhoId']);
  });
});

describe('events', () => {
  const source = { from: 'CampaignMember', type: 'campaign_response', at: 'FirstRespondedDate', when: { Status: ['Responded', 'Attended'] }, properties: {} };
  it('a `when` list means any of its values', () => {
    const r = (Status: string) => salesforceRecord.parse({ attributes: { type: 'CampaignMember' }, Id: '00v5g00000AAAAAAA1', Status, FirstRespondedDate: '2026-11-01' });
    expect(toEvent(source, r('Attended'))).toEqual({ type: 'campaign_response', at: Date.parse('2026-11-01') });
    expect(toEvent(source, r('Sent'))).toBeUndefined();
  });
  it('a related record without a date is not an event', () => {
    const r = salesforceRecord.parse({ attributes: { type: 'CampaignMember' }, Id: '00v5g00000AAAAAAA1', Status: 'Responded', FirstRespondedDate: null });
    expect(toEvent(source, r)).toBeUndefined();
  });
});

describe('what explain needs', () => {
  it('objectMappingOf answers for the types the mapping scores and undefined for others', () => {
    expect(objectMappingOf(config, 'Lead')?.objectType).toBe('Lead');
    expect(objectMappingOf(config, 'Account')).toBeUndefined();
  });
  it('a record without attributes.type is refused with a readable message', () => {
    expect(() => parseSalesforceRecord({ Id: '00Q5g00000ABCdeEAH' })).toThrow('not a Salesforce record: attributes');
  });
  it('a record of a type the mapping does not score is refused', () => {
    expect(() => salesforceRecordToLead(TENANT, parseSalesforceRecord({ attributes: { type: 'Account' }, Id: '0015g00000GHIjkAAH' }), config)).toThrow(/Account; the Salesforce mapping scores Lead and Contact/);
  });
});
