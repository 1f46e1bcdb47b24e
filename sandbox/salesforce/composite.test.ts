import type { Connection } from 'jsforce';
import { APP, VERSION, call, connect, failure } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(31);
const NO_ASSIGN = { headers: { 'Sforce-Auto-Assign': 'FALSE' } };

describe('Salesforce sandbox: records and sObject Collections', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let conn: Connection;
  let leadIds: string[];
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP });
    org = sb.createOrg(ORG);
    leadIds = org.seedLeads(450, { seed: 'composite' });
    org.createCustomField('Lead.Lead_Score__c', { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 });
    org.createCustomField('Lead.Lead_Score_Tier__c', { label: 'Lead Score Tier', type: 'Picklist', valueSet: { restricted: true, valueSetDefinition: { value: [{ fullName: 'hot' }, { fullName: 'warm' }, { fullName: 'cold' }] } } });
    org.createCustomField('Lead.Lead_Score_Model__c', { label: 'Lead Score Model', type: 'Text', length: 20 });
    org.grantFieldAccess(['Lead.Lead_Score__c', 'Lead.Lead_Score_Tier__c', 'Lead.Lead_Score_Model__c']);
    conn = connect(sb, ORG);
  });
  afterAll(() => sb.close());

  it('updates 200 records in one PATCH /composite/sobjects (jsforce update of an array)', async () => {
    sb.clearRequestLog();
    const batch = leadIds.slice(0, 200).map((Id, i) => ({ Id, Lead_Score__c: i % 100, Lead_Score_Tier__c: 'warm' }));
    const results = await conn.sobject('Lead').update(batch, NO_ASSIGN);
    expect(results).toHaveLength(200);
    expect(results.every((r: { success: boolean }) => r.success)).toBe(true);
    expect(results[0]).toEqual({ id: leadIds[0], success: true, errors: [] });
    expect(org.get('Lead', leadIds[7] as string)).toMatchObject({ Lead_Score__c: 7, Lead_Score_Tier__c: 'warm' });
    const log = sb.requestLog.filter((r) => r.route === 'PATCH /services/data/vXX.X/composite/sobjects');
    expect(log).toHaveLength(1);
    expect(sb.stats.byOrg[ORG]?.byRoute['PATCH /services/data/vXX.X/composite/sobjects']).toBeGreaterThanOrEqual(1);
  });

  it('refuses 201 records with EXCEEDED_ID_LIMIT (jsforce sends them in one call without allowRecursive)', async () => {
    const batch = leadIds.slice(0, 201).map((Id) => ({ Id, Lead_Score__c: 1 }));
    const err = await failure(conn.sobject('Lead').update(batch, NO_ASSIGN));
    expect(err).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' });
    const ok = await conn.sobject('Lead').update(batch, { ...NO_ASSIGN, allowRecursive: true });
    expect(ok).toHaveLength(201);
  });

  it('reports per-record errors and saves the rest (allOrNone false)', async () => {
    const converted = org.convertLead(leadIds[300] as string);
    expect(converted.contactId).toMatch(/^003/);
    org.delete('Lead', leadIds[301] as string);
    const results = await conn.sobject('Lead').update(
      [
        { Id: leadIds[302], Lead_Score_Tier__c: 'lukewarm' },
        { Id: leadIds[303], Lead_Score__c: 1000 },
        { Id: leadIds[304], Lead_Score_Model__c: 'x'.repeat(21) },
        { Id: leadIds[300], Lead_Score__c: 5 },
        { Id: leadIds[301], Lead_Score__c: 5 },
        { Id: '003000000000000AAA', Lead_Score__c: 5 },
        { Id: leadIds[305], Lead_Score__c: 42.4 },
        { Id: leadIds[306], IsConverted: true },
      ] as never,
      NO_ASSIGN,
    );
    expect(results.map((r: { success: boolean }) => (r.success ? 'ok' : (r as unknown as { errors: { statusCode: string }[] }).errors[0]?.statusCode))).toEqual([
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'STRING_TOO_LONG',
      'CANNOT_UPDATE_CONVERTED_LEAD',
      'ENTITY_IS_DELETED',
      'MALFORMED_ID',
      'ok',
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    ]);
    expect(results[0]).toEqual({ id: leadIds[302], success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Lead Score Tier: bad value for restricted picklist field: lukewarm', fields: ['Lead_Score_Tier__c'] }] });
    expect(results[5]).toEqual({ success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'Lead ID: id value of incorrect type: 003000000000000AAA', fields: ['Id'] }] });
    expect(results[7]).toMatchObject({ errors: [{ message: expect.stringMatching(/^Unable to create\/update fields: IsConverted\. Please check the security settings/) }] });
    // Number(3,0) rounds to the scale on save.
    expect(org.get('Lead', leadIds[305] as string)?.Lead_Score__c).toBe(42);
  });

  it('rolls every record back with allOrNone', async () => {
    const before = org.get('Lead', leadIds[310] as string)?.Lead_Score__c;
    const results = await conn.sobject('Lead').update(
      [
        { Id: leadIds[310] as string, Lead_Score__c: 99 },
        { Id: leadIds[311] as string, Lead_Score_Tier__c: 'nope' },
      ],
      { ...NO_ASSIGN, allOrNone: true },
    );
    expect(results[0]).toEqual({ id: leadIds[310], success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] });
    expect(org.get('Lead', leadIds[310] as string)?.Lead_Score__c).toBe(before);
  });

  it('fails the whole request for a field that does not exist (or the user cannot see)', async () => {
    const err = await failure(conn.sobject('Lead').update([{ Id: leadIds[320], Lead_Score__c: 1 }, { Id: leadIds[321], Not_A_Field__c: 1 }] as never, NO_ASSIGN));
    expect(err).toMatchObject({ errorCode: 'INVALID_FIELD', message: "No such column 'Not_A_Field__c' on sobject of type Lead" });
    expect(org.get('Lead', leadIds[320] as string)?.Lead_Score__c).toBeNull();
  });

  it('creates records in a collection and one by one, and retrieves by ids', async () => {
    const owner = org.activeUsers[1]?.Id as string;
    const created = await conn.sobject('Task').create([
      { WhoId: leadIds[400], OwnerId: owner, Subject: 'Call: hot lead (score 91)', ActivityDate: '2026-11-03', Priority: 'High' },
      { WhoId: leadIds[401], OwnerId: org.queues[0]?.Id, Subject: 'queue-owned' },
    ] as never);
    expect(created[0]).toEqual({ id: expect.stringMatching(/^00T/), success: true, errors: [] });
    expect(created[1]).toMatchObject({ success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Assigned To ID: id value of incorrect type: ${org.queues[0]?.Id}` }] });
    const task = org.get('Task', (created[0] as { id: string }).id);
    expect(task).toMatchObject({ Status: 'Not Started', Priority: 'High', IsClosed: false, OwnerId: owner, WhoId: leadIds[400], TaskSubtype: 'Task' });

    const inactive = org.users.find((u) => !u.IsActive)?.Id as string;
    const single = await failure(conn.sobject('Task').create({ WhoId: leadIds[402], OwnerId: inactive, Subject: 'x' }));
    expect(single).toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER', message: `operation performed with inactive user [${inactive}] as owner of task` });

    const got = await conn.sobject('Lead').retrieve([leadIds[0] as string, '00Q000000000000AAA'], { fields: ['Id', 'Email', 'Lead_Score__c'] });
    expect(got[0]).toEqual({ attributes: { type: 'Lead', url: `/services/data/v${VERSION}/sobjects/Lead/${leadIds[0]}` }, Id: leadIds[0], Email: expect.any(String), Lead_Score__c: 1 });
    expect(got[1]).toBeNull();
    const viaGet = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/composite/sobjects/Lead?ids=${leadIds[1]}&fields=Id,Lead_Score__c`);
    expect(viaGet.body).toEqual([{ attributes: expect.any(Object), Id: leadIds[1], Lead_Score__c: 1 }]);
  });

  it('reads, patches (204) and deletes single records', async () => {
    const id = leadIds[420] as string;
    const rec = await conn.sobject('Lead').retrieve(id);
    expect(rec).toMatchObject({ Id: id, IsConverted: false, attributes: { type: 'Lead' } });
    const raw = await call(sb, conn.accessToken as string, 'PATCH', `/services/data/v${VERSION}/sobjects/Lead/${id}`, { Title: 'CTO' }, { 'Sforce-Auto-Assign': 'false' });
    expect(raw.status).toBe(204);
    const missing = await call(sb, conn.accessToken as string, 'PATCH', `/services/data/v${VERSION}/sobjects/Lead/00Q000000000000AAA`, { Title: 'CTO' });
    expect(missing.status).toBe(404);
    await conn.sobject('Lead').destroy(id);
    const gone = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/sobjects/Lead/${id}`);
    expect(gone).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    const bad = await call(sb, conn.accessToken as string, 'PATCH', `/services/data/v${VERSION}/composite/sobjects`, 'not json' as never);
    expect(bad.status).toBe(400);
  });
});
