import fixture from '../../test/fixtures/hubspot/contact-batch-read.json';
import { shippedHubSpotMapping } from '../../test/fixtures/hubspot/harness';
import type { ActiveConfig } from '../../src/pipeline/context';
import { hubspotMapping } from './mapping';
import { contactToRecord, hubspotContact, propertiesToRequest } from './to-lead';

const mapping = hubspotMapping({ mappings: { hubspot: shippedHubSpotMapping() } } as unknown as ActiveConfig);
const [full, sparse] = fixture.results.map((r) => hubspotContact.parse(r));

describe('a HubSpot contact as a CrmRecord (shipped mapping)', () => {
  it('maps the properties to canonical attributes with their types', () => {
    const record = contactToRecord('hubspot:1001', full!, mapping);
    expect(record).toMatchObject({ objectType: 'contact', id: '51', modifiedAt: Date.parse('2026-11-01T12:00:00.250Z') });
    expect(record.lead).toMatchObject({ tenant: 'hubspot:1001', objectType: 'contact', id: '51', email: 'maria.lopez@northwind.example', events: [] });
    expect(record.lead.attributes).toMatchObject({
      email: 'maria.lopez@northwind.example',
      emailDomain: 'northwind.example',
      title: 'VP Marketing',
      seniority: 'vp',
      companySize: 201,
      annualRevenue: 25_000_000,
      pageViews: 37,
      emailOpens: 8,
      emailOptOut: false,
      emailBounced: false,
      lastVisitAt: Date.parse('2026-10-30T16:41:02.511Z'),
      lastFormName: 'Demo request',
      formSubmissions: 3,
      ownerId: '71230001',
      lifecycleStage: 'marketingqualifiedlead',
    });
    expect(record.lead.attributes).not.toHaveProperty('lastSalesActivityAt');
    expect(record.lead.attributes).not.toHaveProperty('lastContactedAt');
  });

  it('reads what our output properties hold now', () => {
    expect(contactToRecord('hubspot:1001', full!, mapping).current).toEqual({
      score: 64,
      fit: 34,
      engagement: 30,
      tier: 'warm',
      reasons: '+20 VP title\n+10 Opened 5+ emails',
      model: 'default-v1',
    });
  });

  it('leaves out empty and unreadable values, and reads lastmodifieddate given in epoch ms', () => {
    const record = contactToRecord('hubspot:1001', sparse!, mapping);
    expect(record.current).toEqual({});
    expect(record.modifiedAt).toBe(1761998400000);
    expect(record.lead.attributes).not.toHaveProperty('companySize');
    expect(record.lead.email).toBe('no-score@example.com');
  });

  it('requests every mapped property, our output properties, lastmodifieddate, hubspot_owner_id and email', () => {
    const props = propertiesToRequest(mapping);
    for (const p of ['jobtitle', 'numemployees', 'hs_analytics_num_page_views', 'lead_score', 'lead_score_fit', 'lead_score_engagement', 'lead_score_tier', 'lead_score_reasons', 'lead_score_model', 'lead_score_updated_at', 'lastmodifieddate', 'hubspot_owner_id', 'email']) {
      expect(props).toContain(p);
    }
    expect(new Set(props).size).toBe(props.length);
  });

  it('follows renamed output properties', () => {
    const renamed = shippedHubSpotMapping();
    const m = hubspotMapping({ mappings: { hubspot: { ...renamed, output: { ...renamed.output, score: 'acme_score' } } } } as unknown as ActiveConfig);
    const c = hubspotContact.parse({ id: '9', properties: { acme_score: '12', lead_score: '99' } });
    expect(contactToRecord('hubspot:1', c, m).current).toEqual({ score: 12 });
    expect(propertiesToRequest(m)).toContain('acme_score');
  });
});
