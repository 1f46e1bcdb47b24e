import { APP, connect } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceSandbox } from './index';

const ORG = makeOrgId(91);

interface Row {
  Id: string;
  SystemModstamp: string;
}

describe('Salesforce sandbox: a (SystemModstamp, Id) poll over 20,000 leads while they are written', () => {
  let sb: SalesforceSandbox;
  let now = Date.parse('2026-11-02T10:00:00.000Z');
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP, clock: () => now, requestLogLimit: 0, dailyApiLimit: 100_000 });
    sb.createOrg(ORG).seedLeads(20_000, { seed: 'scale', now });
  });
  afterAll(() => sb.close());

  it('sees every lead, and the ones written during the walk again, in pages of 2,000 and writes of 200', async () => {
    const conn = connect(sb, ORG);
    const seen = new Map<string, number>();
    const rewritten = new Set<string>();
    let cursor: { ts: string; id: string } | undefined;
    let pages = 0;
    for (;;) {
      const where = cursor ? ` WHERE SystemModstamp > ${cursor.ts} OR (SystemModstamp = ${cursor.ts} AND Id > '${cursor.id}')` : '';
      const res = await conn.query<Row>(`SELECT Id, SystemModstamp FROM Lead${where} ORDER BY SystemModstamp, Id LIMIT 2000`);
      pages++;
      for (const r of res.records) seen.set(r.Id, (seen.get(r.Id) ?? 0) + 1);
      if (res.records.length < 2000) break;
      const last = res.records[res.records.length - 1] as Row;
      cursor = { ts: last.SystemModstamp, id: last.Id };
      // Meanwhile the connector writes scores back to 200 leads of this page (all in one second).
      now += 1000;
      if (pages <= 10) {
        const batch = res.records.slice(0, 200).map((r: Row) => ({ Id: r.Id, Rating: 'Warm' }));
        const results = await conn.sobject('Lead').update(batch, { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
        expect(results.every((x: { success: boolean }) => x.success)).toBe(true);
        for (const r of batch) rewritten.add(r.Id);
      }
    }
    expect(seen.size).toBe(20_000);
    // Written leads moved to the end of the order and came back once more; nothing else repeated.
    for (const [id, n] of seen) expect(n).toBe(rewritten.has(id) ? 2 : 1);
    expect(pages).toBe(12);
  }, 60_000);
});
