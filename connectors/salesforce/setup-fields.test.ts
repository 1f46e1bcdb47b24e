import nock from 'nock';
import { INSTANCE_URL, USER_ID, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { API, answerQueries } from '../../test/fixtures/salesforce/soql-nock';
import { SalesforceClients } from './client';
import { salesforceMappingOf, type SalesforceMapping } from './mapping';
import { resolveOptions } from './options';
import { PERMISSION_SET, setupTenant } from './setup-fields';
import { eventFieldsToSelect } from './to-lead';

const PS_ID = '0PS5g000000AbCdGAK';
const SCORE_TYPES: Record<string, string> = {
  Lead_Score__c: 'double',
  Lead_Score_Fit__c: 'double',
  Lead_Score_Engagement__c: 'double',
  Lead_Score_Tier__c: 'picklist',
  Lead_Score_Reasons__c: 'textarea',
  Lead_Score_Model__c: 'string',
  Lead_Score_Updated_At__c: 'datetime',
};

let h: SalesforceHarness;
let tenant: string;
let mapping: SalesforceMapping;
beforeEach(async () => {
  h = salesforceHarness();
  nock.disableNetConnect();
  tenant = await h.install();
  mapping = salesforceMappingOf(h.mapping);
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

/** A describe of a scored object: the mapped fields, the Account relationship, and the score fields (unless left out). */
function describeOf(object: 'Lead' | 'Contact', over: Record<string, Record<string, unknown> | null> = {}) {
  const fields = new Map<string, Record<string, unknown>>();
  for (const a of Object.values(mapping.objects[object]!.attributes)) {
    const [first, second] = a.field.split('.');
    if (second) fields.set('AccountId', { name: 'AccountId', type: 'reference', relationshipName: first, updateable: true });
    else fields.set(first!, { name: first, type: 'string', updateable: true });
  }
  for (const [name, type] of Object.entries(SCORE_TYPES)) {
    fields.set(name, { name, type, updateable: true, ...(type === 'picklist' ? { picklistValues: ['hot', 'warm', 'cold'].map((value) => ({ value, active: true })) } : {}) });
  }
  for (const [name, f] of Object.entries(over)) {
    if (f === null) fields.delete(name);
    else fields.set(name, { ...fields.get(name), ...f });
  }
  return { name: object, fields: [...fields.values()] };
}

function describeEvents() {
  const scope = nock(INSTANCE_URL);
  for (const from of ['CampaignMember', 'Task', 'Event']) {
    const names = new Set<string>();
    for (const object of ['Lead', 'Contact'] as const) for (const s of mapping.objects[object]!.events.filter((e) => e.from === from)) for (const f of eventFieldsToSelect(s, object)) names.add(f.split('.')[0]!);
    const fields = [...names].map((n) => ({ name: n, type: 'string', updateable: true }));
    if (from === 'CampaignMember') fields.push({ name: 'CampaignId', type: 'reference', updateable: true, relationshipName: 'Campaign' } as never);
    scope.get(`${API}/sobjects/${from}/describe`).times(5).reply(200, { name: from, fields });
  }
}

describe('setupTenant', () => {
  it('creates the missing score fields, a permission set with read/edit FLS on each, assigns it, and verifies with fresh describes', async () => {
    const created: { FullName: string; Metadata: Record<string, unknown> }[] = [];
    const fieldPermissionWrites: { method: string; records: Record<string, unknown>[] }[] = [];
    let assignment: unknown;
    answerQueries((q) => {
      if (q.startsWith('SELECT Id FROM PermissionSet WHERE Name')) return [];
      if (q.startsWith('SELECT Id, Field, SobjectType, PermissionsRead, PermissionsEdit FROM FieldPermissions')) {
        return [{ attributes: { type: 'FieldPermissions' }, Id: '01k5g00000AAAA1AAA', Field: 'Lead.Lead_Score__c', SobjectType: 'Lead', PermissionsRead: true, PermissionsEdit: false }];
      }
      if (q.startsWith('SELECT Id FROM PermissionSetAssignment')) return [];
      return undefined;
    });
    nock(INSTANCE_URL)
      .get(`${API}/tooling/query`)
      .query(true)
      .reply(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'CustomField' }, Id: '00N5g00000AAAA1AAA', DeveloperName: 'Lead_Score', TableEnumOrId: 'Lead' }] })
      .post(`${API}/tooling/sobjects/CustomField`)
      .times(13)
      .reply((_uri, body) => {
        const b = body as (typeof created)[number];
        created.push(b);
        // another process created this one meanwhile
        if (b.FullName === 'Contact.Lead_Score_Model__c') return [400, [{ errorCode: 'DUPLICATE_DEVELOPER_NAME', message: 'There is already a field named Lead_Score_Model on Contact.' }]];
        return [201, { id: '00N5g00000AAAA2AAA', success: true, errors: [] }];
      })
      .post(`${API}/sobjects/PermissionSet`, { ...PERMISSION_SET })
      .reply(201, { id: PS_ID, success: true, errors: [] })
      .post(`${API}/composite/sobjects`)
      .reply((_uri, body) => {
        const b = body as { records: Record<string, unknown>[] };
        fieldPermissionWrites.push({ method: 'POST', records: b.records });
        return [200, b.records.map(() => ({ id: '01k5g00000AAAA3AAA', success: true, errors: [] }))];
      })
      .patch(`${API}/composite/sobjects`)
      .reply((_uri, body) => {
        const b = body as { records: Record<string, unknown>[] };
        fieldPermissionWrites.push({ method: 'PATCH', records: b.records });
        return [200, b.records.map((r) => ({ id: r.id, success: true, errors: [] }))];
      })
      .post(`${API}/sobjects/PermissionSetAssignment`, (b: unknown) => {
        assignment = b;
        return true;
      })
      .reply(201, { id: '0Pa5g00000AAAA1AAA', success: true, errors: [] })
      .get(`${API}/sobjects/Lead/describe`)
      .reply(200, describeOf('Lead'))
      .get(`${API}/sobjects/Contact/describe`)
      .reply(200, describeOf('Contact'));
    describeEvents();

    await setupTenant({ clients: new SalesforceClients(h.ctx, resolveOptions()), mapping, verifyRetryDelaysMs: [] }, tenant, USER_ID);

    expect(created.map((c) => c.FullName)).toHaveLength(13);
    expect(created.map((c) => c.FullName)).not.toContain('Lead.Lead_Score__c');
    expect(created.find((c) => c.FullName === 'Contact.Lead_Score__c')!.Metadata).toMatchObject({ type: 'Number', precision: 3, scale: 0, label: 'Lead Score' });
    expect(created.find((c) => c.FullName === 'Lead.Lead_Score_Tier__c')!.Metadata).toMatchObject({
      type: 'Picklist',
      valueSet: { restricted: true, valueSetDefinition: { value: [{ fullName: 'hot' }, { fullName: 'warm' }, { fullName: 'cold' }] } },
    });
    expect(created.find((c) => c.FullName === 'Lead.Lead_Score_Reasons__c')!.Metadata).toMatchObject({ type: 'LongTextArea', length: 32768 });
    expect(created.find((c) => c.FullName === 'Lead.Lead_Score_Updated_At__c')!.Metadata).toMatchObject({ type: 'DateTime' });

    const [post, patch] = fieldPermissionWrites;
    expect(post!.records).toHaveLength(13);
    expect(post!.records[0]).toEqual({ attributes: { type: 'FieldPermissions' }, ParentId: PS_ID, SobjectType: 'Lead', Field: 'Lead.Lead_Score_Fit__c', PermissionsRead: true, PermissionsEdit: true });
    expect(patch!.records).toEqual([{ attributes: { type: 'FieldPermissions' }, id: '01k5g00000AAAA1AAA', PermissionsRead: true, PermissionsEdit: true }]);
    expect(assignment).toEqual({ PermissionSetId: PS_ID, AssigneeId: USER_ID });
  });

  it('is idempotent: with everything in place it only reads and verifies', async () => {
    const fields = Object.keys(SCORE_TYPES);
    answerQueries((q) => {
      if (q.startsWith('SELECT Id FROM PermissionSet WHERE Name')) return [{ attributes: { type: 'PermissionSet' }, Id: PS_ID }];
      if (q.startsWith('SELECT Id, Field')) return ['Lead', 'Contact'].flatMap((o) => fields.map((f) => ({ attributes: { type: 'FieldPermissions' }, Id: '01k5g00000AAAA1AAA', Field: `${o}.${f}`, SobjectType: o, PermissionsRead: true, PermissionsEdit: true })));
      if (q.startsWith('SELECT Id FROM PermissionSetAssignment')) return [{ attributes: { type: 'PermissionSetAssignment' }, Id: '0Pa5g00000AAAA1AAA' }];
      return undefined;
    });
    nock(INSTANCE_URL)
      .get(`${API}/tooling/query`)
      .query(true)
      .reply(200, { totalSize: 14, done: true, records: ['Lead', 'Contact'].flatMap((o) => fields.map((f) => ({ attributes: { type: 'CustomField' }, Id: '00N5g00000AAAA1AAA', DeveloperName: f.replace(/__c$/, ''), TableEnumOrId: o }))) })
      .get(`${API}/sobjects/Lead/describe`)
      .reply(200, describeOf('Lead'))
      .get(`${API}/sobjects/Contact/describe`)
      .reply(200, describeOf('Contact'));
    describeEvents();
    await setupTenant({ clients: new SalesforceClients(h.ctx, resolveOptions()), mapping, verifyRetryDelaysMs: [] }, tenant, USER_ID);
    expect(nock.pendingMocks().filter((m) => !m.includes('/describe'))).toEqual([]);
  });

  it('reports every field that is not visible, not editable, of the wrong type or lacks tier values, and every mapped field that does not exist', async () => {
    answerQueries((q) => {
      if (q.startsWith('SELECT Id FROM PermissionSet WHERE Name')) return [{ attributes: { type: 'PermissionSet' }, Id: PS_ID }];
      if (q.startsWith('SELECT Id, Field')) return [];
      if (q.startsWith('SELECT Id FROM PermissionSetAssignment')) return [{ attributes: { type: 'PermissionSetAssignment' }, Id: '0Pa5g00000AAAA1AAA' }];
      return undefined;
    });
    const all = Object.keys(SCORE_TYPES);
    nock(INSTANCE_URL)
      .get(`${API}/tooling/query`)
      .query(true)
      .reply(200, { totalSize: 14, done: true, records: ['Lead', 'Contact'].flatMap((o) => all.map((f) => ({ attributes: { type: 'CustomField' }, Id: '00N5g00000AAAA1AAA', DeveloperName: f.replace(/__c$/, ''), TableEnumOrId: o }))) })
      .post(`${API}/composite/sobjects`)
      .reply((_u, b) => [200, (b as { records: unknown[] }).records.map(() => ({ id: '01k5g00000AAAA3AAA', success: true, errors: [] }))])
      .get(`${API}/sobjects/Lead/describe`)
      .times(2)
      .reply(200, describeOf('Lead', { Lead_Score__c: { updateable: false }, Lead_Score_Reasons__c: null, Industry: null }))
      .get(`${API}/sobjects/Contact/describe`)
      .times(2)
      .reply(200, describeOf('Contact', { Lead_Score_Fit__c: { type: 'string' }, Lead_Score_Tier__c: { picklistValues: [{ value: 'hot', active: true }] } }));
    describeEvents();
    const err = await setupTenant({ clients: new SalesforceClients(h.ctx, resolveOptions()), mapping, verifyRetryDelaysMs: [0] }, tenant, USER_ID).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    const message = (err as Error).message;
    expect(message).toContain('Lead.Lead_Score__c is visible but not editable');
    expect(message).toContain("Lead.Lead_Score_Reasons__c is not visible to the connector's user (field-level security: check the permission set Lead_Scoring_Connector)");
    expect(message).toContain('Lead: Lead.Industry does not exist');
    expect(message).toContain('Contact.Lead_Score_Fit__c is a string field but must be double or int or percent');
    expect(message).toContain('the picklist Contact.Lead_Score_Tier__c lacks the values warm, cold');
  });

  it('explains what the installing user lacks when Salesforce refuses to create fields', async () => {
    nock(INSTANCE_URL)
      .get(`${API}/tooling/query`)
      .query(true)
      .reply(200, { totalSize: 0, done: true, records: [] })
      .post(`${API}/tooling/sobjects/CustomField`)
      .reply(400, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on cross-reference id' }]);
    const err = (await setupTenant({ clients: new SalesforceClients(h.ctx, resolveOptions()), mapping }, tenant, USER_ID).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(err.message).toContain('"Customize Application", "Manage Profiles and Permission Sets" and "Assign Permission Sets"');
  });
});
