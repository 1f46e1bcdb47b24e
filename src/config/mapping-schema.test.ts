import { CRM_MAPPING_RULES, mappingConfig } from './mapping-schema';
import { validateWith } from './zod-problems';

const contact = { contact: { attributes: { email: { field: 'email', type: 'email' } } } };

describe('mapping files', () => {
  it('fill every output name the file leaves out with the CRM\'s default', () => {
    const hubspot = mappingConfig.parse({ crm: 'hubspot', objects: contact, output: { score: 'my_score' } });
    expect(hubspot.output).toEqual({ ...CRM_MAPPING_RULES.hubspot.defaultOutput, score: 'my_score' });

    const salesforce = mappingConfig.parse({ crm: 'salesforce', objects: { Lead: { attributes: { email: { field: 'Email' } } } } });
    expect(salesforce.output).toEqual({
      score: 'Lead_Score__c',
      fit: 'Lead_Score_Fit__c',
      engagement: 'Lead_Score_Engagement__c',
      tier: 'Lead_Score_Tier__c',
      reasons: 'Lead_Score_Reasons__c',
      model: 'Lead_Score_Model__c',
      updatedAt: 'Lead_Score_Updated_At__c',
    });
    expect(salesforce.output.group).toBeUndefined();
  });

  it('default the type to string and the events to none', () => {
    const m = mappingConfig.parse({ crm: 'hubspot', objects: { contact: { attributes: { title: { field: 'jobtitle' } } } } });
    expect(m.objects.contact).toEqual({ attributes: { title: { field: 'jobtitle', type: 'string' } }, events: [] });
  });

  it('read Salesforce event sources, with dotted property paths', () => {
    const m = mappingConfig.parse({
      crm: 'salesforce',
      objects: {
        Contact: {
          attributes: { industry: { field: 'Account.Industry' } },
          events: [{ from: 'CampaignMember', type: 'campaign_response', at: 'FirstRespondedDate', when: { HasResponded: true }, properties: { campaign: 'Campaign.Name' } }],
        },
      },
    });
    expect(m.objects.Contact?.events[0]).toEqual({ from: 'CampaignMember', type: 'campaign_response', at: 'FirstRespondedDate', when: { HasResponded: true }, properties: { campaign: 'Campaign.Name' } });
  });

  it('refuse an output name given to two values, and a property group in Salesforce', () => {
    const hubspot = validateWith(mappingConfig, { crm: 'hubspot', objects: contact, output: { fit: 'lead_score' } });
    expect(hubspot).toEqual({ success: false, problems: [{ path: ['output', 'fit'], message: '"lead_score" is the default name of output.score: pick another name' }] });

    const salesforce = validateWith(mappingConfig, { crm: 'salesforce', objects: { Lead: { attributes: { email: { field: 'Email' } } } }, output: { group: 'x', fit: 'A__c', tier: 'A__c' } });
    expect(salesforce.success).toBe(false);
    if (!salesforce.success) {
      expect(salesforce.problems).toEqual([
        { path: ['output', 'group'], message: 'Salesforce has no property groups: remove output.group; found the text "x"' },
        { path: ['output', 'tier'], message: '"A__c" is already the name of output.fit: each value needs its own field' },
      ]);
    }
  });

  it('refuse an object without attributes and a file without objects', () => {
    const r = validateWith(mappingConfig, { crm: 'hubspot', objects: { contact: { attributes: {} } } });
    expect(r.success ? [] : r.problems).toEqual([{ path: ['objects', 'contact', 'attributes'], message: 'map at least one attribute (email, at the very least)' }]);
    const none = validateWith(mappingConfig, { crm: 'hubspot', objects: {} });
    expect(none.success ? [] : none.problems).toEqual([{ path: ['objects'], message: 'map at least one object: contact' }]);
  });

  it('refuse a canonical name that is not camelCase', () => {
    const r = validateWith(mappingConfig, { crm: 'hubspot', objects: { contact: { attributes: { 'Job Title': { field: 'jobtitle' } } } } });
    expect(r.success ? [] : r.problems).toEqual([
      { path: ['objects', 'contact', 'attributes', 'Job Title'], message: 'the key "Job Title" is not allowed: a canonical attribute name is camelCase letters and digits, like companySize' },
    ]);
  });
});
