import type { Connection } from 'jsforce';
import { APP, connect, failure } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(61);

interface Field {
  name: string;
  type: string;
  updateable: boolean;
  createable: boolean;
  precision: number;
  scale: number;
  length: number;
  custom: boolean;
  restrictedPicklist: boolean;
  extraTypeInfo: string | null;
  filterable: boolean;
  picklistValues: { value: string; active: boolean }[];
}

async function leadFields(conn: Connection): Promise<Map<string, Field>> {
  const d = await conn.describe('Lead');
  return new Map((d.fields as unknown as Field[]).map((f) => [f.name, f]));
}

describe('Salesforce sandbox: describe, Tooling API fields and field-level security', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let conn: Connection;
  let leadId: string;
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP });
    org = sb.createOrg(ORG);
    leadId = org.seedLeads(5, { seed: 'schema' })[0] as string;
    conn = connect(sb, ORG);
  });
  afterAll(() => sb.close());

  it('describes Lead with standard fields, types and picklists', async () => {
    const d = await conn.describe('Lead');
    expect(d).toMatchObject({ name: 'Lead', keyPrefix: '00Q', label: 'Lead', createable: true, updateable: true, queryable: true });
    const fields = await leadFields(conn);
    expect(fields.get('Id')).toMatchObject({ type: 'id', updateable: false });
    expect(fields.get('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['Group', 'User'], relationshipName: 'Owner', polymorphicForeignKey: true });
    expect(fields.get('Industry')?.picklistValues.map((p) => p.value)).toContain('Technology');
    expect(fields.get('IsConverted')).toMatchObject({ type: 'boolean', updateable: false, createable: false });
    expect(fields.get('SystemModstamp')).toMatchObject({ type: 'datetime', soapType: 'xsd:dateTime' });
    expect(fields.has('Lead_Score__c')).toBe(false);
    expect(d.childRelationships.map((c) => c.relationshipName)).toEqual(expect.arrayContaining(['CampaignMembers', 'Tasks', 'Events']));
  });

  it('creates custom fields through the Tooling API; a duplicate is refused', async () => {
    const created = await conn.tooling.create('CustomField', { FullName: 'Lead.Lead_Score__c', Metadata: { label: 'Lead Score', type: 'Number', precision: 3, scale: 0, description: 'Score 0-100' } });
    expect(created).toEqual({ id: expect.stringMatching(/^00N/), success: true, errors: [], warnings: [], infos: [] });
    await conn.tooling.create('CustomField', { FullName: 'Lead.Lead_Score_Tier__c', Metadata: { label: 'Lead Score Tier', type: 'Picklist', valueSet: { restricted: true, valueSetDefinition: { sorted: false, value: [{ fullName: 'hot', default: false, label: 'hot' }, { fullName: 'warm', default: false, label: 'warm' }, { fullName: 'cold', default: false, label: 'cold' }] } } } });
    await conn.tooling.create('CustomField', { FullName: 'Lead.Lead_Score_Reasons__c', Metadata: { label: 'Lead Score Reasons', type: 'LongTextArea', length: 32768, visibleLines: 5 } });
    await conn.tooling.create('CustomField', { FullName: 'Lead.Lead_Score_Updated_At__c', Metadata: { label: 'Lead Score Updated At', type: 'DateTime' } });
    const dup = await failure(conn.tooling.create('CustomField', { FullName: 'Lead.Lead_Score__c', Metadata: { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 } }));
    expect(dup.errorCode).toBe('DUPLICATE_VALUE');
    const bad = await failure(conn.tooling.create('CustomField', { FullName: 'Lead.Bad__c', Metadata: { label: 'Bad', type: 'Text' } }));
    expect(bad.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');

    const one = await conn.tooling.query<Record<string, unknown>>("SELECT Id, DeveloperName, TableEnumOrId, FullName, Metadata FROM CustomField WHERE TableEnumOrId = 'Lead' AND DeveloperName = 'Lead_Score'");
    expect(one.records[0]).toMatchObject({ DeveloperName: 'Lead_Score', TableEnumOrId: 'Lead', FullName: 'Lead.Lead_Score__c', Metadata: { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 } });
    const all = await conn.tooling.query<Record<string, unknown>>("SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = 'Lead'");
    expect(all.records.map((r: Record<string, unknown>) => r.DeveloperName).sort()).toEqual(['Lead_Score', 'Lead_Score_Reasons', 'Lead_Score_Tier', 'Lead_Score_Updated_At']);
    const tooMany = await failure(conn.tooling.query("SELECT Id, FullName FROM CustomField WHERE TableEnumOrId = 'Lead'"));
    expect(tooMany.errorCode).toBe('MALFORMED_QUERY');
    expect(tooMany.message).toContain('no more than one row');
  });

  it('hides fields without field-level security: not in describe, "No such column" in SOQL and writes', async () => {
    expect((await leadFields(conn)).has('Lead_Score__c')).toBe(false);
    const q = await failure(conn.query('SELECT Id, Lead_Score__c FROM Lead'));
    expect(q.errorCode).toBe('INVALID_FIELD');
    const w = await failure(conn.sobject('Lead').update({ Id: leadId, Lead_Score__c: 50 }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } }));
    expect(w).toMatchObject({ errorCode: 'INVALID_FIELD', message: "No such column 'Lead_Score__c' on sobject of type Lead" });
  });

  it('grants access with PermissionSet + FieldPermissions + PermissionSetAssignment through the API', async () => {
    const ps = (await conn.sobject('PermissionSet').create({ Name: 'Lead_Scoring', Label: 'Lead Scoring' })) as { id: string };
    expect(ps.id).toMatch(/^0PS/);
    const perms = await conn.sobject('FieldPermissions').create([
      { ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Lead_Score__c', PermissionsRead: true, PermissionsEdit: true },
      { ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Lead_Score_Tier__c', PermissionsRead: true, PermissionsEdit: true },
      { ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Lead_Score_Reasons__c', PermissionsRead: true, PermissionsEdit: true },
      { ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Lead_Score_Updated_At__c', PermissionsRead: true, PermissionsEdit: false },
      { ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Nope__c', PermissionsRead: true, PermissionsEdit: true },
    ]);
    expect(perms.map((p: { success: boolean }) => p.success)).toEqual([true, true, true, true, false]);
    expect(perms[4]).toMatchObject({ errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Field Name: bad value for restricted picklist field: Lead.Nope__c' }] });
    // Not assigned yet: still invisible.
    expect((await leadFields(conn)).has('Lead_Score__c')).toBe(false);
    const assignment = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: org.adminUserId, PermissionSetId: ps.id });
    expect(assignment).toMatchObject({ success: true });
    const again = await failure(conn.sobject('PermissionSetAssignment').create({ AssigneeId: org.adminUserId, PermissionSetId: ps.id }));
    expect(again.errorCode).toBe('DUPLICATE_VALUE');
    const dupPerm = await conn.sobject('FieldPermissions').create([{ ParentId: ps.id, SobjectType: 'Lead', Field: 'Lead.Lead_Score__c', PermissionsRead: true, PermissionsEdit: true }]);
    expect(dupPerm[0]).toMatchObject({ success: false, errors: [{ statusCode: 'DUPLICATE_VALUE' }] });

    const fields = await leadFields(conn);
    expect(fields.get('Lead_Score__c')).toMatchObject({ type: 'double', precision: 3, scale: 0, custom: true, updateable: true });
    expect(fields.get('Lead_Score_Tier__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true, picklistValues: [expect.objectContaining({ value: 'hot' }), expect.objectContaining({ value: 'warm' }), expect.objectContaining({ value: 'cold' })] });
    expect(fields.get('Lead_Score_Reasons__c')).toMatchObject({ type: 'textarea', length: 32768, extraTypeInfo: 'plaintextarea', filterable: false });
    expect(fields.get('Lead_Score_Updated_At__c')).toMatchObject({ type: 'datetime', updateable: false });

    await conn.sobject('Lead').update({ Id: leadId, Lead_Score__c: 87, Lead_Score_Tier__c: 'hot', Lead_Score_Reasons__c: '+30 Requested a demo\n+20 VP title' }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
    const rec = await conn.sobject('Lead').retrieve(leadId);
    expect(rec).toMatchObject({ Lead_Score__c: 87, Lead_Score_Tier__c: 'hot', Lead_Score_Reasons__c: '+30 Requested a demo\n+20 VP title', Lead_Score_Updated_At__c: null });
    const readOnly = await failure(conn.sobject('Lead').update({ Id: leadId, Lead_Score_Updated_At__c: '2026-11-02T10:00:00.123Z' }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } }));
    expect(readOnly).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
    const filter = await failure(conn.query("SELECT Id FROM Lead WHERE Lead_Score_Reasons__c = 'x'"));
    expect(filter.message).toContain("field 'Lead_Score_Reasons__c' can not be filtered in a query call");

    // Another user has no access: FLS is per user.
    const rep = org.activeUsers.find((u) => u.Id !== org.adminUserId)?.Id as string;
    const repConn = connect(sb, ORG, { userId: rep });
    expect((await leadFields(repConn)).has('Lead_Score__c')).toBe(false);
    expect(org.fieldAccessOf(rep, 'Lead.Lead_Score__c')).toEqual({ read: false, edit: false });
    expect(org.fieldAccessOf(org.adminUserId, 'Lead.Lead_Score__c')).toEqual({ read: true, edit: true });
  });

  it('stores date-times to the second, and adds picklist values through a Tooling API update', async () => {
    org.grantFieldAccess('Lead.Lead_Score_Updated_At__c');
    await conn.sobject('Lead').update({ Id: leadId, Lead_Score_Updated_At__c: '2026-11-02T10:00:00.987Z' }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
    const rec = (await conn.sobject('Lead').retrieve(leadId)) as Record<string, unknown>;
    expect(rec.Lead_Score_Updated_At__c).toBe('2026-11-02T10:00:00.000+0000');

    const field = await conn.tooling.query<{ Id: string }>("SELECT Id FROM CustomField WHERE DeveloperName = 'Lead_Score_Tier'");
    const id = field.records[0]?.Id as string;
    await conn.tooling.update('CustomField', { Id: id, Metadata: { label: 'Lead Score Tier', type: 'Picklist', valueSet: { restricted: true, valueSetDefinition: { value: [{ fullName: 'hot' }, { fullName: 'warm' }, { fullName: 'cold' }, { fullName: 'frozen' }] } } } });
    const tier = (await leadFields(conn)).get('Lead_Score_Tier__c');
    expect(tier?.picklistValues.map((p) => p.value)).toEqual(['hot', 'warm', 'cold', 'frozen']);
  });
});
