import type { Connection } from 'jsforce';
import { APP, VERSION, call, connect, failure } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(71);
const DAY = 86_400_000;

describe('Salesforce sandbox: deleted and updated records, lead conversion, activities', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let conn: Connection;
  let leads: string[];
  let now = Date.parse('2026-11-02T10:00:30.000Z');
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP, clock: () => now });
    org = sb.createOrg(ORG);
    leads = org.seedLeads(30, { seed: 'replication', now: now - DAY });
    conn = connect(sb, ORG);
  });
  afterAll(() => sb.close());

  it('lists deletions in minute windows with earliestDateAvailable and latestDateCovered', async () => {
    now = Date.parse('2026-11-02T10:05:10.000Z');
    org.delete('Lead', leads[0] as string);
    now = Date.parse('2026-11-02T10:06:40.000Z');
    await conn.sobject('Lead').destroy(leads[1] as string);
    now = Date.parse('2026-11-02T10:07:59.000Z');

    const res = await conn.sobject('Lead').deleted('2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z');
    expect(res).toEqual({
      deletedRecords: [
        { id: leads[0], deletedDate: '2026-11-02T10:05:10.000+0000' },
        { id: leads[1], deletedDate: '2026-11-02T10:06:40.000+0000' },
      ],
      earliestDateAvailable: expect.stringMatching(/:00\.000\+0000$/),
      latestDateCovered: '2026-11-02T10:07:00.000+0000',
    });
    // Seconds are ignored: a window ending 10:06:59 stops at 10:06.
    const narrow = await conn.sobject('Lead').deleted('2026-11-02T10:05:30Z', '2026-11-02T10:06:59Z');
    expect(narrow.deletedRecords.map((d: { id: string }) => d.id)).toEqual([leads[0]]);
    const inverted = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/sobjects/Lead/deleted/?start=2026-11-02T10%3A06%3A00%2B00%3A00&end=2026-11-02T10%3A06%3A30%2B00%3A00`);
    expect(inverted).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_REPLICATION_DATE' }] });
    const tooOld = await failure(conn.sobject('Lead').deleted(new Date(now - 20 * DAY), new Date(now)));
    expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('lists updated ids with /updated', async () => {
    now = Date.parse('2026-11-02T10:20:05.000Z');
    org.update('Lead', leads[5] as string, { Title: 'CEO' });
    now = Date.parse('2026-11-02T10:22:00.000Z');
    const res = await conn.sobject('Lead').updated('2026-11-02T10:10:00Z', '2026-11-02T10:30:00Z');
    expect(res).toEqual({ ids: [leads[5]], latestDateCovered: '2026-11-02T10:22:00.000+0000' });
  });

  it('converts a lead: Account and Contact made, lead read-only, campaign history and tasks follow', async () => {
    const leadId = leads[10] as string;
    const campaign = org.seedCampaigns(1)[0] as string;
    org.seedCampaignMembers({ campaignIds: [campaign], leadIds: [leadId], contactIds: [], memberShare: 1, respondedShare: 1 });
    const [taskId] = org.seedTasks({ whoIds: [leadId], share: 1, maxPerRecord: 1 });
    now = Date.parse('2026-11-02T11:00:00.000Z');
    const { accountId, contactId } = org.convertLead(leadId);
    const lead = org.get('Lead', leadId) as Record<string, unknown>;
    expect(lead).toMatchObject({ IsConverted: true, ConvertedDate: '2026-11-02', ConvertedAccountId: accountId, ConvertedContactId: contactId, Status: 'Closed - Converted', SystemModstamp: '2026-11-02T11:00:00.000+0000' });
    const contact = org.get('Contact', contactId) as Record<string, unknown>;
    expect(contact).toMatchObject({ AccountId: accountId, LastName: lead.LastName, Email: lead.Email });
    expect(org.get('Account', accountId)).toMatchObject({ Name: lead.Company });
    expect(org.get('Task', taskId as string)?.WhoId).toBe(contactId);
    const members = await conn.query<Record<string, unknown>>(`SELECT LeadId, ContactId, HasResponded FROM CampaignMember WHERE CampaignId = '${campaign}'`);
    expect(members.records[0]).toMatchObject({ LeadId: leadId, ContactId: contactId, HasResponded: true });
    const viaContact = await conn.query<{ Account: unknown }>(`SELECT Id, Account.Name, Account.Industry FROM Contact WHERE Id = '${contactId}'`);
    expect(viaContact.records[0]?.Account).toMatchObject({ attributes: { type: 'Account' }, Name: lead.Company });
    const write = await failure(conn.sobject('Lead').update({ Id: leadId, Title: 'x' }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } }));
    expect(write).toMatchObject({ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' });
  });

  it("closing a task moves the lead's LastActivityDate and SystemModstamp, not its LastModifiedDate", async () => {
    const leadId = leads[12] as string;
    const before = org.get('Lead', leadId) as Record<string, unknown>;
    now = Date.parse('2026-11-03T09:00:00.000Z');
    // A day later the session has timed out (2 hours without use).
    expect((await failure(conn.query('SELECT Id FROM Lead LIMIT 1'))).errorCode).toBe('INVALID_SESSION_ID');
    conn = connect(sb, ORG);
    const owner = org.activeUsers[1]?.Id as string;
    const created = (await conn.sobject('Task').create({ WhoId: leadId, OwnerId: owner, Subject: 'Call', Status: 'Completed', ActivityDate: '2026-11-03' })) as { id: string };
    expect(org.get('Task', created.id)).toMatchObject({ IsClosed: true, CompletedDateTime: '2026-11-03T09:00:00.000+0000' });
    const after = org.get('Lead', leadId) as Record<string, unknown>;
    expect(after).toMatchObject({ LastActivityDate: '2026-11-03', SystemModstamp: '2026-11-03T09:00:00.000+0000', LastModifiedDate: before.LastModifiedDate });
  });
});
