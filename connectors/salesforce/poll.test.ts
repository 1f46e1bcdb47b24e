import nock from 'nock';
import { INSTANCE_URL, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { API, answerQueries, row } from '../../test/fixtures/salesforce/soql-nock';
import type { PollCursor } from '../types';
import { SalesforceClients } from './client';
import { fetchRecords, type RecordDeps } from './fetch-records';
import { salesforceMappingOf } from './mapping';
import { resolveOptions, type SalesforceConnectorOptions } from './options';
import { pollPage } from './poll';
import type { SalesforcePollCursor } from './poll-cursor';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const lead = (n: number) => `00Q5g${String(n).padStart(10, '0')}AAA`;
const contact = (n: number) => `0035g${String(n).padStart(10, '0')}AAA`;
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const leadRow = (n: number, ms: number, fields: Record<string, unknown> = {}) => row('Lead', lead(n), { SystemModstamp: stamp(ms), Email: `l${n}@acme.example`, IsConverted: false, ConvertedContactId: null, ...fields });

let h: SalesforceHarness;
let tenant: string;
let now: number;
beforeEach(async () => {
  now = Date.parse('2026-11-22T10:00:30Z');
  h = salesforceHarness({}, { clock: () => now });
  nock.disableNetConnect();
  tenant = await h.install();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

function deps(options: SalesforceConnectorOptions = {}): RecordDeps {
  const resolved = resolveOptions(options);
  return { ctx: h.ctx, clients: new SalesforceClients(h.ctx, resolved), mapping: salesforceMappingOf(h.mapping), options: resolved };
}
const isPoll = (q: string) => /FROM Lead WHERE SystemModstamp/.test(q);
const isEvents = (q: string) => /FROM (CampaignMember|Task|Event) WHERE/.test(q);

describe('pollPage', () => {
  it('walks the full pass in (SystemModstamp, Id) order from the epoch, ties on one timestamp included, then turns incremental', async () => {
    const d = deps({ pollPageSize: 3, deletedCheckEveryMs: 60 * 60_000 });
    const rows = [leadRow(1, T0), leadRow(2, T0 + 1000), leadRow(3, T0 + 2000), leadRow(4, T0 + 2000), leadRow(5, T0 + 2000)];
    const { queries } = answerQueries((q) => {
      if (isEvents(q)) return [];
      if (q.includes('SystemModstamp >= 1970-01-01T00:00:00Z')) return rows.slice(0, 3);
      if (q.includes(`SystemModstamp > 2026-11-20T08:00:02Z OR (SystemModstamp = 2026-11-20T08:00:02Z AND Id > '${lead(3)}')`)) return rows.slice(3);
      return undefined;
    });

    const p1 = await pollPage(d, tenant, 'Lead', null);
    expect(p1.records.map((r) => r.id)).toEqual([lead(1), lead(2), lead(3)]);
    expect(p1).toMatchObject({ done: false, deleted: [], cursor: { phase: 'full', ts: T0 + 2000, id: lead(3), caughtUp: false } });
    expect(queries[0]).toMatch(/^SELECT Id, .*IsConverted.* FROM Lead WHERE SystemModstamp >= 1970-01-01T00:00:00Z ORDER BY SystemModstamp, Id LIMIT 3$/);

    const p2 = await pollPage(d, tenant, 'Lead', p1.cursor);
    expect(p2.records.map((r) => r.id)).toEqual([lead(4), lead(5)]);
    expect(p2).toMatchObject({ done: true, cursor: { phase: 'incremental', ts: T0 + 2000, id: lead(5), caughtUp: true } });
    expect(p2.records[0]).toMatchObject({ objectType: 'Lead', modifiedAt: T0 + 2000, lead: { email: 'l4@acme.example' } });
  });

  it('starts each incremental pass a window before its position and drops re-read records whose SystemModstamp did not change', async () => {
    const d = deps({ pollPageSize: 100, pollOverlapMs: 60_000, deletedCheckEveryMs: 60 * 60_000 });
    const cursor: SalesforcePollCursor = { v: 1, phase: 'incremental', ts: T0 + 50_000, id: lead(2), caughtUp: true, recent: [`${lead(1)}@${T0 + 20_000}`, `${lead(2)}@${T0 + 50_000}`], deletedUntil: now };
    const { queries } = answerQueries((q) => {
      if (isEvents(q)) return [];
      // a late commit (lead 3) landed before the position; lead 1 changed again; lead 2 did not
      if (q.includes('SystemModstamp >= 2026-11-20T07:59:50Z')) return [leadRow(3, T0 + 10_000), leadRow(2, T0 + 50_000), leadRow(1, T0 + 70_000)];
      return undefined;
    });
    const page = await pollPage(d, tenant, 'Lead', cursor as unknown as PollCursor);
    expect(page.records.map((r) => r.id)).toEqual([lead(3), lead(1)]);
    expect(page.cursor).toMatchObject({ ts: T0 + 70_000, id: lead(1), caughtUp: true });
    expect((page.cursor as unknown as SalesforcePollCursor).recent.sort()).toEqual([`${lead(1)}@${T0 + 70_000}`, `${lead(2)}@${T0 + 50_000}`, `${lead(3)}@${T0 + 10_000}`].sort());
    // events are fetched for the changed records only
    const events = queries.filter(isEvents);
    expect(events).toHaveLength(3);
    for (const q of events) expect(q).toContain(`IN ('${lead(3)}','${lead(1)}')`);
  });

  it('fetches the events of a whole page with one query per event source, never one per record', async () => {
    const d = deps({ pollPageSize: 100, deletedCheckEveryMs: 60 * 60_000 });
    const { queries } = answerQueries((q) => {
      if (isPoll(q)) return [leadRow(1, T0), leadRow(2, T0 + 1000)];
      if (q.startsWith('SELECT Id, Campaign.Name, FirstRespondedDate, HasResponded, LeadId, Status FROM CampaignMember WHERE LeadId IN')) {
        return [row('CampaignMember', '00v5g00000AAAA1AAA', { LeadId: lead(2), HasResponded: true, FirstRespondedDate: '2026-11-15', Status: 'Responded', Campaign: { Name: 'Webinar' } })];
      }
      if (q.includes('FROM Task WHERE WhoId IN')) return [row('Task', '00T5g00000AAAA1AAA', { WhoId: lead(1), IsClosed: true, CreatedDate: '2026-11-18T14:00:00.000+0000', Subject: 'Call', TaskSubtype: 'Call' })];
      if (q.includes('FROM Event WHERE WhoId IN')) return [];
      return undefined;
    });
    const page = await pollPage(d, tenant, 'Lead', null);
    expect(queries.filter(isEvents)).toEqual([
      `SELECT Id, Campaign.Name, FirstRespondedDate, HasResponded, LeadId, Status FROM CampaignMember WHERE LeadId IN ('${lead(1)}','${lead(2)}') AND HasResponded = true ORDER BY FirstRespondedDate DESC NULLS LAST LIMIT 10001`,
      `SELECT Id, CreatedDate, IsClosed, Subject, TaskSubtype, WhoId FROM Task WHERE WhoId IN ('${lead(1)}','${lead(2)}') AND IsClosed = true ORDER BY CreatedDate DESC NULLS LAST LIMIT 10001`,
      `SELECT Id, ActivityDateTime, Subject, WhoId FROM Event WHERE WhoId IN ('${lead(1)}','${lead(2)}') ORDER BY ActivityDateTime DESC NULLS LAST LIMIT 10001`,
    ]);
    expect(page.records.find((r) => r.id === lead(1))!.lead.events).toEqual([{ type: 'sales_activity', at: Date.parse('2026-11-18T14:00:00Z'), properties: { subject: 'Call', taskType: 'Call' } }]);
    expect(page.records.find((r) => r.id === lead(2))!.lead.events).toEqual([{ type: 'campaign_response', at: Date.parse('2026-11-15'), properties: { campaign: 'Webinar', status: 'Responded' } }]);
  });

  it('reports a converted lead as deleted and queues its contact (outside the full pass)', async () => {
    const d = deps({ deletedCheckEveryMs: 60 * 60_000 });
    answerQueries((q) => (isEvents(q) ? [] : isPoll(q) ? [leadRow(1, T0), leadRow(2, T0 + 1000, { IsConverted: true, ConvertedContactId: contact(9) })] : undefined));
    const cursor: SalesforcePollCursor = { v: 1, phase: 'incremental', ts: T0 - 120_000, id: lead(0), caughtUp: false, recent: [], deletedUntil: now };
    const page = await pollPage(d, tenant, 'Lead', cursor as unknown as PollCursor);
    expect(page.records.map((r) => r.id)).toEqual([lead(1)]);
    expect(page.deleted).toEqual([lead(2)]);
    expect(h.ingest.calls).toEqual([{ op: 'enqueue', tenant, objectType: 'Contact', ids: [contact(9)] }]);
  });

  it('in the full pass a converted lead is only reported (the Contact pass reads its contact anyway)', async () => {
    answerQueries((q) => (isEvents(q) ? [] : isPoll(q) ? [leadRow(2, T0, { IsConverted: true, ConvertedContactId: contact(9) })] : undefined));
    const page = await pollPage(deps({ deletedCheckEveryMs: 60 * 60_000 }), tenant, 'Lead', null);
    expect(page.deleted).toEqual([lead(2)]);
    expect(h.ingest.calls).toEqual([]);
  });

  it('at the end of a pass reads deletions since the last check from /sobjects/Lead/deleted, by the minute', async () => {
    answerQueries((q) => (isEvents(q) ? [] : isPoll(q) ? [] : undefined));
    let url = '';
    nock(INSTANCE_URL)
      .get(`${API}/sobjects/Lead/deleted`)
      .query(true)
      .reply((uri) => {
        url = uri;
        return [200, { deletedRecords: [{ id: lead(7), deletedDate: '2026-11-22T09:58:00.000+0000' }], earliestDateAvailable: '2026-11-08T00:00:00.000+0000', latestDateCovered: '2026-11-22T10:00:00.000+0000' }];
      });
    const cursor: SalesforcePollCursor = { v: 1, phase: 'incremental', ts: T0, id: lead(1), caughtUp: true, recent: [], deletedUntil: now - 10 * 60_000 };
    const page = await pollPage(deps({ deletedCheckEveryMs: 5 * 60_000 }), tenant, 'Lead', cursor as unknown as PollCursor);
    expect(new URL(url, INSTANCE_URL).searchParams.get('start')).toBe('2026-11-22T09:50:00+00:00');
    expect(new URL(url, INSTANCE_URL).searchParams.get('end')).toBe('2026-11-22T10:00:00+00:00');
    expect(page).toMatchObject({ done: true, deleted: [lead(7)], cursor: { deletedUntil: Date.parse('2026-11-22T10:00:00Z'), ts: T0, id: lead(1) } });
  });

  it('does not ask for deletions more often than deletedCheckEveryMs, and never more than 14 days back', async () => {
    answerQueries((q) => (isEvents(q) ? [] : isPoll(q) ? [] : undefined));
    const fresh: SalesforcePollCursor = { v: 1, phase: 'incremental', ts: T0, id: lead(1), caughtUp: true, recent: [], deletedUntil: now - 60_000 };
    await pollPage(deps({ deletedCheckEveryMs: 5 * 60_000 }), tenant, 'Lead', fresh as unknown as PollCursor); // no deleted call: nock would refuse it
    let start = '';
    nock(INSTANCE_URL)
      .get(`${API}/sobjects/Lead/deleted`)
      .query((q) => {
        start = String(q.start);
        return true;
      })
      .reply(200, { deletedRecords: [] });
    const stale = { ...fresh, deletedUntil: now - 40 * 24 * 3_600_000 };
    await pollPage(deps(), tenant, 'Lead', stale as unknown as PollCursor);
    expect(Date.parse(start)).toBe(Math.floor((now - 14 * 24 * 3_600_000) / 60_000) * 60_000);
  });

  it('refuses a cursor it did not write', async () => {
    await expect(pollPage(deps(), tenant, 'Lead', { v: 9 } as PollCursor)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('fetchRecords', () => {
  it('reads by id in chunks of at most 200, reports ids Salesforce did not return, and converted leads as missing', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => lead(i));
    const { queries } = answerQueries((q) => {
      if (isEvents(q)) return [];
      const m = /WHERE Id IN \(([^)]*)\)$/.exec(q);
      if (!m) return undefined;
      const asked = m[1]!.split(',').map((s) => s.slice(1, -1));
      return asked.filter((id) => id !== lead(5)).map((id) => (id === lead(6) ? leadRow(6, T0, { IsConverted: true, ConvertedContactId: contact(6) }) : row('Lead', id, { SystemModstamp: stamp(T0) })));
    });
    const result = await fetchRecords(deps(), tenant, 'Lead', [...ids, 'not-an-id']);
    const byId = queries.filter((q) => /WHERE Id IN/.test(q)).map((q) => (q.match(/'00Q/g) ?? []).length);
    expect(byId).toEqual([200, 200, 50]);
    expect(result.records).toHaveLength(448);
    expect(result.missing.sort()).toEqual([lead(5), lead(6), 'not-an-id'].sort());
    expect(h.ingest.calls).toEqual([{ op: 'enqueue', tenant, objectType: 'Contact', ids: [contact(6)] }]);
  });

  it('accepts 15-character ids and reports them under the id it was given', async () => {
    answerQueries((q) => (isEvents(q) ? [] : /WHERE Id IN/.test(q) ? [] : undefined));
    const result = await fetchRecords(deps(), tenant, 'Contact', ['0035g00000DEFgh']);
    expect(result.missing).toEqual(['0035g00000DEFgh']);
  });
});
