import type { Connection } from 'jsforce';
import { APP, VERSION, call, connect, failure } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(21);

// Query results are read freely in these tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rec = Record<string, any>;

interface LeadRow {
  Id: string;
  SystemModstamp: string;
}

describe('Salesforce sandbox: SOQL over REST', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let now = Date.parse('2026-11-02T10:00:00.400Z');
  let conn: Connection;
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP, clock: () => now });
    org = sb.createOrg(ORG);
    org.seedLeads(4500, { seed: 'query' });
    org.seedCampaignMembers({ seed: 'query', memberShare: 0.3 });
    org.seedTasks({ seed: 'query', share: 0.2 });
    conn = connect(sb, ORG);
  });
  afterAll(() => sb.close());

  it('pages through nextRecordsUrl in batches of 2,000 with queryMore, and autoFetch stops at maxFetch', async () => {
    const first = await conn.query<LeadRow>('SELECT Id FROM Lead');
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    // jsforce makes the URL absolute; Salesforce sends it relative to the instance.
    expect(first.nextRecordsUrl).toMatch(new RegExp(`/services/data/v${VERSION}/query/01g[A-Za-z0-9]{15}-2000$`));
    const raw = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`);
    expect(Object.keys(raw.body)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    expect(raw.body.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${VERSION}/query/01g[A-Za-z0-9]{15}-2000$`));
    expect(first.records[0]).toEqual({ attributes: { type: 'Lead', url: `/services/data/v${VERSION}/sobjects/Lead/${first.records[0]?.Id}` }, Id: expect.stringMatching(/^00Q/) });
    const second = await conn.queryMore<LeadRow>(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2000);
    const third = await conn.queryMore<LeadRow>(second.nextRecordsUrl as string);
    expect(third).toMatchObject({ done: true, totalSize: 4500 });
    expect(third.records).toHaveLength(500);
    const ids = new Set([...first.records, ...second.records, ...third.records].map((r) => r.Id));
    expect(ids.size).toBe(4500);
    // The cursor closed after its last page.
    expect((await failure(conn.queryMore(second.nextRecordsUrl as string))).errorCode).toBe('INVALID_QUERY_LOCATOR');

    const capped = await conn.query<LeadRow>('SELECT Id FROM Lead').execute({ autoFetch: true, maxFetch: 3000 });
    expect(capped.records).toHaveLength(3000);
    const all = await conn.query<LeadRow>('SELECT Id FROM Lead').execute({ autoFetch: true, maxFetch: 100_000 });
    expect(all.records).toHaveLength(4500);
  });

  it('honours Sforce-Query-Options batchSize (200 to 2,000)', async () => {
    const q = await conn.query<LeadRow>('SELECT Id FROM Lead', { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(q.records).toHaveLength(500);
    const raw = await call(sb, conn.accessToken as string, 'GET', `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, undefined, { 'Sforce-Query-Options': 'batchSize=50' });
    expect(raw.body.records).toHaveLength(200);
  });

  it("supports the connector's (SystemModstamp, Id) cursor through ties", async () => {
    // Ten writes land in the same second: equal SystemModstamp, told apart by Id.
    now = Date.parse('2026-11-02T11:00:00.100Z');
    const leads = org.records('Lead').slice(0, 10);
    for (const l of leads) org.update('Lead', l.Id as string, { Rating: 'Hot' });
    now = Date.parse('2026-11-02T11:00:00.900Z');
    const after = org.get('Lead', leads[0]?.Id as string) as Record<string, unknown>;
    expect(after.SystemModstamp).toBe('2026-11-02T11:00:00.000+0000');
    expect(after.LastModifiedDate).toBe('2026-11-02T11:00:00.000+0000');

    const seen: string[] = [];
    let cursor = { ts: '2026-11-02T10:59:59.000Z', id: '000000000000000' };
    for (let page = 0; page < 10; page++) {
      const soql = `SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > ${cursor.ts} OR (SystemModstamp = ${cursor.ts} AND Id > '${cursor.id}') ORDER BY SystemModstamp, Id LIMIT 3`;
      const res = await conn.query<LeadRow>(soql);
      if (res.records.length === 0) break;
      for (const r of res.records) seen.push(r.Id);
      const last = res.records[res.records.length - 1] as LeadRow;
      cursor = { ts: last.SystemModstamp, id: last.Id };
    }
    expect(seen.sort()).toEqual(leads.map((l) => l.Id as string).sort());
  });

  it('selects relationship fields, polymorphic owners, child subqueries and COUNT()', async () => {
    const res = await conn.query<Rec>(
      "SELECT Id, Name, Owner.Name, Owner.IsActive, Owner.Type, (SELECT Status, Campaign.Name FROM CampaignMembers), (SELECT Subject FROM Tasks WHERE IsClosed = true ORDER BY CreatedDate DESC LIMIT 2) FROM Lead WHERE Id IN (SELECT LeadId FROM CampaignMember WHERE HasResponded = true) LIMIT 5",
    );
    expect(res.records.length).toBeGreaterThan(0);
    const r = res.records[0] as Rec;
    expect(r.Owner.attributes).toEqual({ type: 'Name', url: expect.stringMatching(new RegExp(`/sobjects/(User|Group)/`)) });
    expect(typeof r.Owner.IsActive).toBe('boolean');
    expect(['User', 'Queue']).toContain(r.Owner.Type);
    expect(r.CampaignMembers.done).toBe(true);
    expect(r.CampaignMembers.records.some((m: Rec) => m.Status === 'Responded')).toBe(true);
    expect(r.CampaignMembers.records[0].Campaign.attributes.type).toBe('Campaign');

    const count = await conn.query('SELECT COUNT() FROM Lead WHERE IsConverted = false');
    expect(count).toEqual({ totalSize: 4500, done: true, records: [] });
    const agg = await conn.query('SELECT COUNT(Id) n, MAX(SystemModstamp) FROM Lead');
    expect(agg.records[0]).toEqual({ attributes: { type: 'AggregateResult' }, n: 4500, expr0: '2026-11-02T11:00:00.000+0000' });

    const queued = org.queues[0]?.Id as string;
    const byQueue = await conn.query<Rec>(`SELECT Id, Owner.IsActive, Owner.Type FROM Lead WHERE OwnerId = '${queued}' LIMIT 1`);
    expect(byQueue.records[0]?.Owner).toMatchObject({ Type: 'Queue', IsActive: false });
  });

  it('filters with AND/OR, IN, LIKE, NULL, dates, and orders by several fields with NULLS', async () => {
    const q = await conn.query<Rec>(
      "SELECT Id, Industry, NumberOfEmployees, Email FROM Lead WHERE (Industry IN ('technology', 'Finance') OR Industry = null) AND Email LIKE '%.example' AND NumberOfEmployees >= 10 AND CreatedDate < 2026-11-02T10:00:00Z AND LastActivityDate != null ORDER BY Industry DESC NULLS LAST, NumberOfEmployees ASC LIMIT 50",
    );
    expect(q.records.length).toBeGreaterThan(0);
    for (const r of q.records as Rec[]) {
      expect([null, 'Technology', 'Finance']).toContain(r.Industry);
      expect(r.NumberOfEmployees).toBeGreaterThanOrEqual(10);
    }
    const industries = (q.records as Rec[]).map((r) => r.Industry as string | null);
    const firstNull = industries.indexOf(null);
    if (firstNull >= 0) expect(industries.slice(firstNull).every((i) => i === null)).toBe(true);
    const recent = await conn.query('SELECT COUNT() FROM Lead WHERE SystemModstamp = TODAY');
    expect(recent.totalSize).toBeGreaterThanOrEqual(10);
  });

  it("answers SOQL mistakes with Salesforce's errors", async () => {
    const malformed = await failure(conn.query('SELECT Id FROM Lead WHERE'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    expect(malformed.message).toMatch(/ERROR at Row:1:Column:26\nunexpected token: <EOF>$/);
    const mixed = await failure(conn.query("SELECT Id FROM Lead WHERE Rating = 'Hot' AND Status = 'x' OR Status = 'y'"));
    expect(mixed.errorCode).toBe('MALFORMED_QUERY');
    const unknown = await failure(conn.query('SELECT Id, Lead_Score__c FROM Lead'));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toContain("No such column 'Lead_Score__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c'");
    const quoted = await failure(conn.query("SELECT Id FROM Lead WHERE SystemModstamp > '2026-11-02T10:00:00Z'"));
    expect(quoted.errorCode).toBe('INVALID_FIELD');
    expect(quoted.message).toContain("value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes");
    const badType = await failure(conn.query('SELECT Id FROM Leed'));
    expect(badType.errorCode).toBe('INVALID_TYPE');
    const badId = await failure(conn.query("SELECT Id FROM Lead WHERE Id = 'abc'"));
    expect(badId).toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' });
    const locator = await failure(conn.queryMore(`/services/data/v${VERSION}/query/01g5g0000000000AAA-2000`));
    expect(locator.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('keeps at most 10 open cursors per user, closing the oldest', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 11; i++) opened.push((await conn.query('SELECT Id FROM Lead')).nextRecordsUrl as string);
    expect((await failure(conn.queryMore(opened[0] as string))).errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect((await conn.queryMore(opened[10] as string)).records).toHaveLength(2000);
  });

  it('shows deleted rows to queryAll only', async () => {
    const victim = org.records('Lead')[5]?.Id as string;
    org.delete('Lead', victim);
    const live = await conn.query(`SELECT Id FROM Lead WHERE Id = '${victim}'`);
    expect(live.totalSize).toBe(0);
    const all = await conn.query<Rec>(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${victim.slice(0, 15)}'`).scanAll(true);
    expect(all.records).toEqual([expect.objectContaining({ Id: victim, IsDeleted: true })]);
  });
});
