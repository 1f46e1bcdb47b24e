import nock from 'nock';
import { hubspotHarness, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import type { ScoreWrite } from '../types';
import { HubSpotClients } from './client';
import { hubspotMapping } from './mapping';
import { resolveOptions } from './options';
import { writeContactScores } from './write-scores';

const API = TEST_ENV.HUBSPOT_API_BASE_URL;
const UPDATE = '/crm/v3/objects/contacts/batch/update';
const CHANGED_AT = Date.parse('2026-11-02T09:30:00.000Z');

let h: Harness;
let tenant: string;
let clients: HubSpotClients;
beforeEach(async () => {
  h = hubspotHarness();
  nock.disableNetConnect();
  tenant = await h.install(1001, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 });
  clients = new HubSpotClients(h.ctx, resolveOptions());
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await h.cleanup();
});

function write(id: string, score = 72, over: Partial<ScoreWrite> = {}): ScoreWrite {
  return {
    objectType: 'contact',
    id,
    values: { score, fit: 40, engagement: 32, tier: 'warm', reasons: '+30 Requested a demo\n+10 VP title\n-8 No visit in 30 days', model: 'default-v2' },
    changedAt: CHANGED_AT,
    ...over,
  };
}
const run = (writes: ScoreWrite[]) => writeContactScores(clients, hubspotMapping(h.ctx.config()), tenant, writes);
const okResult = (ids: string[]) => ({
  status: 'COMPLETE',
  results: ids.map((id) => ({ id, properties: {}, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-11-02T09:30:01Z', archived: false })),
  startedAt: '2026-11-02T09:30:00Z',
  completedAt: '2026-11-02T09:30:01Z',
});
type Body = { inputs: { id: string; properties: Record<string, string> }[] };

/** Answers batch updates with `answer(body)`, recording every body. */
function updates(answer: (body: Body) => [number, object]): Body[] {
  const bodies: Body[] = [];
  nock(API)
    .post(UPDATE)
    .times(1000)
    .reply((_uri, body) => {
      bodies.push(body as Body);
      return answer(body as Body);
    });
  return bodies;
}

it('sends exactly the seven output properties, the datetime in epoch ms', async () => {
  const bodies = updates((b) => [200, okResult(b.inputs.map((i) => i.id))]);
  await expect(run([write('101')])).resolves.toEqual([{ objectType: 'contact', id: '101', ok: true }]);
  expect(bodies).toEqual([
    {
      inputs: [
        {
          id: '101',
          properties: {
            lead_score: '72',
            lead_score_fit: '40',
            lead_score_engagement: '32',
            lead_score_tier: 'warm',
            lead_score_reasons: '+30 Requested a demo\n+10 VP title\n-8 No visit in 30 days',
            lead_score_model: 'default-v2',
            lead_score_updated_at: String(CHANGED_AT),
          },
        },
      ],
    },
  ]);
});

it('writes 100 contacts a request', async () => {
  const bodies = updates((b) => [200, okResult(b.inputs.map((i) => i.id))]);
  const writes = Array.from({ length: 250 }, (_, i) => write(String(1000 + i)));
  const outcomes = await run(writes);
  expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(outcomes.map((o) => o.id)).toEqual(writes.map((w) => w.id));
});

it('turns the per-record errors of a 207 into failed outcomes and the rest into successes', async () => {
  updates(() => [
    207,
    {
      status: 'COMPLETE',
      results: okResult(['101', '103']).results,
      numErrors: 2,
      errors: [
        { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist.', context: { ids: ['102'] } },
        { status: 'error', category: 'INTERNAL_ERROR', message: 'try again', context: { ids: ['104'] } },
      ],
      startedAt: '2026-11-02T09:30:00Z',
      completedAt: '2026-11-02T09:30:01Z',
    },
  ]);
  const outcomes = await run(['101', '102', '103', '104'].map((id) => write(id)));
  expect(outcomes).toEqual([
    { objectType: 'contact', id: '101', ok: true },
    { objectType: 'contact', id: '102', ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('OBJECT_NOT_FOUND'), retryable: false } },
    { objectType: 'contact', id: '103', ok: true },
    { objectType: 'contact', id: '104', ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('try again'), retryable: true } },
  ]);
});

it('when HubSpot refuses a batch naming the culprits, fails those and writes the others', async () => {
  const bodies = updates((b) =>
    b.inputs.some((i) => i.id === '102')
      ? [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Could not get some CONTACT objects, they may be deleted or not exist.', context: { ids: ['102'] } }]
      : [200, okResult(b.inputs.map((i) => i.id))],
  );
  const outcomes = await run(['101', '102', '103'].map((id) => write(id)));
  expect(outcomes.map((o) => [o.id, o.ok, o.error?.retryable])).toEqual([
    ['101', true, undefined],
    ['102', false, false],
    ['103', true, undefined],
  ]);
  expect(bodies.map((b) => b.inputs.map((i) => i.id))).toEqual([
    ['101', '102', '103'],
    ['101', '103'],
  ]);
});

it('when HubSpot refuses a batch without naming the culprit, splits it until it is found', async () => {
  const bad = '1037';
  const bodies = updates((b) =>
    b.inputs.some((i) => i.id === bad)
      ? [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid: [{"isValid":false,"message":"lead_score_tier was not one of the allowed options","error":"INVALID_OPTION","name":"lead_score_tier"}]' }]
      : [200, okResult(b.inputs.map((i) => i.id))],
  );
  const writes = Array.from({ length: 100 }, (_, i) => write(String(1000 + i)));
  const outcomes = await run(writes);
  const failed = outcomes.filter((o) => !o.ok);
  expect(failed).toEqual([{ objectType: 'contact', id: bad, ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('INVALID_OPTION'), retryable: false } }]);
  expect(outcomes.filter((o) => o.ok)).toHaveLength(99);
  expect(bodies.length).toBeLessThanOrEqual(2 * 7 + 1);
});

it('throws what is not about one record (5xx) for the job layer to retry', async () => {
  updates(() => [503, { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' }]);
  await expect(run([write('101')])).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
});

it('sends one update per contact (the latest) and refuses what is not a contact without asking HubSpot', async () => {
  const bodies = updates((b) => [200, okResult(b.inputs.map((i) => i.id))]);
  const outcomes = await run([write('101', 50, { changedAt: CHANGED_AT - 1000 }), write('101', 60), write('abc'), { ...write('7'), objectType: 'Lead' }]);
  expect(bodies).toHaveLength(1);
  expect(bodies[0]!.inputs).toEqual([{ id: '101', properties: expect.objectContaining({ lead_score: '60' }) }]);
  expect(outcomes.map((o) => [o.id, o.ok, o.error?.code])).toEqual([
    ['101', true, undefined],
    ['101', true, undefined],
    ['abc', false, 'NOT_FOUND'],
    ['7', false, 'INVALID_REQUEST'],
  ]);
});
