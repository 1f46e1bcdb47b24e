import nock from 'nock';
import { INSTANCE_URL, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import type { ScoreWrite } from '../types';
import { SalesforceClients } from './client';
import { salesforceMappingOf } from './mapping';
import { resolveOptions } from './options';
import { writeScores } from './write-scores';

const COLLECTIONS = '/services/data/v62.0/composite/sobjects';
const CHANGED_AT = Date.parse('2026-11-22T09:15:30.123Z');

let h: SalesforceHarness;
let tenant: string;
let clients: SalesforceClients;
beforeEach(async () => {
  h = salesforceHarness();
  nock.disableNetConnect();
  tenant = await h.install();
  clients = new SalesforceClients(h.ctx, resolveOptions());
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

/** A valid 18-character id of a type: 00Q Lead, 003 Contact, numbered. */
const id = (prefix: '00Q' | '003', n: number) => `${prefix}5g${String(n).padStart(10, '0')}AAA`;

function write(objectType: 'Lead' | 'Contact', n: number, over: Partial<ScoreWrite['values']> = {}): ScoreWrite {
  return {
    objectType,
    id: id(objectType === 'Lead' ? '00Q' : '003', n),
    values: { score: 81, fit: 70, engagement: 95, tier: 'hot', reasons: '+30 Requested a demo\n+20 VP title', model: 'default-2026-11', ...over },
    changedAt: CHANGED_AT,
  };
}

interface Sent {
  headers: Record<string, string | string[] | undefined>;
  body: { allOrNone: boolean; records: Record<string, unknown>[] };
}

/** Answers every sObject Collections update with success per record, recording what was sent. */
function collections(sent: Sent[], answer?: (records: Record<string, unknown>[]) => unknown[]) {
  return nock(INSTANCE_URL)
    .patch(COLLECTIONS)
    .times(10)
    .reply(function (_uri, body) {
      const b = body as Sent['body'];
      sent.push({ headers: this.req.headers, body: b });
      return [200, answer ? answer(b.records) : b.records.map((r) => ({ id: r.id, success: true, errors: [] }))];
    });
}

describe('PATCH /composite/sobjects', () => {
  it('sends the mapping’s output fields, the time as an ISO datetime, allOrNone false, and Sforce-Auto-Assign: FALSE', async () => {
    const sent: Sent[] = [];
    collections(sent);
    const outcomes = await writeScores(clients, salesforceMappingOf(h.mapping), tenant, [write('Lead', 1), write('Contact', 2)]);
    expect(outcomes).toEqual([
      { objectType: 'Lead', id: id('00Q', 1), ok: true },
      { objectType: 'Contact', id: id('003', 2), ok: true },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers['sforce-auto-assign']).toBe('FALSE');
    expect(sent[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(sent[0]!.body).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Lead' },
          id: id('00Q', 1),
          Lead_Score__c: 81,
          Lead_Score_Fit__c: 70,
          Lead_Score_Engagement__c: 95,
          Lead_Score_Tier__c: 'hot',
          Lead_Score_Reasons__c: '+30 Requested a demo\n+20 VP title',
          Lead_Score_Model__c: 'default-2026-11',
          Lead_Score_Updated_At__c: '2026-11-22T09:15:30.123Z',
        },
        expect.objectContaining({ attributes: { type: 'Contact' }, id: id('003', 2), Lead_Score__c: 81 }),
      ],
    });
  });

  it('uses the field names an admin gave in the mapping', async () => {
    const renamed = salesforceMappingOf({ ...h.mapping, output: { ...h.mapping.output, score: 'Score__c', tier: 'Temperature__c' } });
    const sent: Sent[] = [];
    collections(sent);
    await writeScores(clients, renamed, tenant, [write('Lead', 1)]);
    expect(sent[0]!.body.records[0]).toMatchObject({ Score__c: 81, Temperature__c: 'hot' });
    expect(sent[0]!.body.records[0]).not.toHaveProperty('Lead_Score__c');
  });

  it('sends at most 200 records a request', async () => {
    const sent: Sent[] = [];
    collections(sent);
    const writes = Array.from({ length: 450 }, (_, i) => write(i % 2 ? 'Lead' : 'Contact', i));
    const outcomes = await writeScores(clients, salesforceMappingOf(h.mapping), tenant, writes);
    expect(sent.map((s) => s.body.records.length)).toEqual([200, 200, 50]);
    expect(sent.every((s) => s.headers['sforce-auto-assign'] === 'FALSE')).toBe(true);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(450);
  });

  it('turns per-record errors into failed outcomes, retryable only for transient codes', async () => {
    const sent: Sent[] = [];
    collections(sent, (records) =>
      records.map((r, i) =>
        i === 0
          ? { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] }
          : i === 1
            ? { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] }
            : i === 2
              ? { success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Company is required', fields: ['Company'] }] }
              : { id: r.id, success: true, errors: [] },
      ),
    );
    const outcomes = await writeScores(clients, salesforceMappingOf(h.mapping), tenant, [write('Lead', 1), write('Lead', 2), write('Contact', 3), write('Contact', 4)]);
    expect(outcomes).toEqual([
      { objectType: 'Lead', id: id('00Q', 1), ok: false, error: { code: 'UNAVAILABLE', message: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record', retryable: true } },
      { objectType: 'Lead', id: id('00Q', 2), ok: false, error: { code: 'NOT_FOUND', message: 'ENTITY_IS_DELETED: entity is deleted', retryable: false } },
      { objectType: 'Contact', id: id('003', 3), ok: false, error: { code: 'INVALID_REQUEST', message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Company is required (fields Company)', retryable: false } },
      { objectType: 'Contact', id: id('003', 4), ok: true },
    ]);
  });

  it('writes a record once, with its latest values, and refuses what is not a Lead or Contact without sending it', async () => {
    const sent: Sent[] = [];
    collections(sent);
    const older = { ...write('Lead', 1, { score: 10 }), changedAt: CHANGED_AT - 1000 };
    const outcomes = await writeScores(clients, salesforceMappingOf(h.mapping), tenant, [older, write('Lead', 1), { ...write('Lead', 9), objectType: 'Account' }, { ...write('Lead', 8), id: 'nope' }]);
    expect(sent[0]!.body.records).toHaveLength(1);
    expect(sent[0]!.body.records[0]).toMatchObject({ Lead_Score__c: 81 });
    expect(outcomes.map((o) => [o.ok, o.error?.code])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'INVALID_REQUEST'],
      [false, 'NOT_FOUND'],
    ]);
  });

  it('a failure of the whole request is thrown for the job layer (nothing is half-reported)', async () => {
    nock(INSTANCE_URL).patch(COLLECTIONS).reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }]);
    await expect(writeScores(clients, salesforceMappingOf(h.mapping), tenant, [write('Lead', 1)])).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });
});
