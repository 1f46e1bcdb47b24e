import { randomUUID } from 'node:crypto';
import { scoringConfig } from '../config/scoring-schema';
import { loadEnv } from '../env';
import { CrmError } from '../errors/crm-error';
import { compileModel } from '../scoring/compile-model';
import { buildService, type Service } from '../runtime/build-service';
import { MemoryConnector } from '../../test/helpers/memory-connector';
import type { ActiveConfig } from './context';
import { testRedis } from '../../test/helpers/redis';

const scoring = scoringConfig.parse({
  model: 'pipeline-test',
  thresholds: { hot: 60, warm: 40 },
  fit: { rules: [{ id: 'vp', label: 'VP title', attribute: 'title', contains: 'vp', points: 60 }] },
  engagement: {
    rules: [
      { id: 'demo', label: 'Requested a demo', event: 'demo_request', points: 40 },
      { id: 'recent', label: 'Visited this week', event: 'page_view', atLeast: 1, within: '7d', points: 20 },
    ],
  },
});
const config: ActiveConfig = { scoring, model: compileModel(scoring), mappings: {} as ActiveConfig['mappings'], routing: {} as ActiveConfig['routing'] };

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the scoring pipeline (real Redis and BullMQ, in-memory CRM)', () => {
  let service: Service;
  let crm: MemoryConnector;
  const tenant = 'memcrm:1';
  let prefix: string;

  beforeEach(async () => {
    prefix = `test:${randomUUID().slice(0, 8)}:`;
    crm = new MemoryConnector();
    service = await buildService({
      env: loadEnv({ NODE_ENV: 'test' }),
      config: () => config,
      prefix,
      connectorFactories: { memcrm: () => crm },
      coalesceMs: 150,
      sweepEveryMs: 100,
    });
    await service.start(['worker', 'scheduler']);
    await service.deps.ctx.installations.save({ tenant, crm: 'memcrm', status: 'active', installedAt: Date.now(), meta: {} }, { accessToken: 'x' });
  });

  afterEach(async () => {
    await service.stop();
    const r = testRedis();
    const keys = await r.redis.keys(`${prefix}*`);
    if (keys.length) await r.redis.del(...keys);
    await r.cleanup();
  });

  it('coalesces many changes into batched reads and writes, and writes what the rep sees', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) crm.put(id, { title: id === 'a' ? 'VP Sales' : 'Engineer' });
    const { ingest } = service.deps.ctx;
    // the same records reported many times in a burst
    for (let i = 0; i < 5; i++) await ingest.enqueue(tenant, 'lead', ['a', 'b', 'c', 'd', 'e']);
    await until(() => crm.records.get('e')!.current.score !== undefined && crm.records.get('a')!.current.score !== undefined);
    await until(() => [...crm.records.values()].every((r) => r.current.score !== undefined));
    const fetched = crm.fetchCalls.flat();
    expect(fetched.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(crm.fetchCalls.every((c) => c.length <= crm.batchSize)).toBe(true);
    expect(crm.records.get('a')!.current).toEqual({ score: 30, fit: 60, engagement: 0, tier: 'cold', reasons: '+60 VP title', model: 'pipeline-test' });
    expect(crm.records.get('b')!.current).toMatchObject({ score: 0, tier: 'cold', reasons: '' });
  });

  it('writes only what changed, so its own writes never loop', async () => {
    crm.put('a', { title: 'VP Sales' });
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a']);
    await until(() => crm.writeCalls.length === 1);
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a']);
    await until(() => crm.fetchCalls.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.writeCalls).toHaveLength(1);
    crm.put('a', { title: 'Engineer' });
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a']);
    await until(() => crm.writeCalls.length === 2);
    expect(crm.writeCalls[1]![0]!.values).toMatchObject({ score: 0, fit: 0, reasons: '' });
  });

  it('rescored the moment a window closes, without any new event', async () => {
    // a visit 7 days ago minus 1.5 s: the "visited this week" rule stops counting in 1.5 s
    crm.put('w', { title: 'VP' }, [{ type: 'page_view', at: Date.now() - 7 * 86_400_000 + 1_500 }]);
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['w']);
    await until(() => crm.records.get('w')!.current.engagement === 20);
    await until(() => crm.records.get('w')!.current.engagement === 0, 8_000);
    expect(crm.records.get('w')!.current.reasons).toBe('+60 VP title');
  });

  it('forgets records the CRM no longer has', async () => {
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['gone']);
    await until(() => crm.fetchCalls.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await service.deps.pending.size(tenant, 'lead')).toBe(0);
    expect(crm.writeCalls).toHaveLength(0);
  });

  it('a revoked token marks the installation as needing re-authorisation and keeps the work', async () => {
    crm.put('a', { title: 'VP' });
    crm.failNextFetch = new CrmError('refresh token refused', 'AUTH_REVOKED', false);
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a']);
    await until(async () => (await service.deps.ctx.installations.get(tenant))?.status === 'needs_reauth');
    expect((await service.deps.ctx.installations.get(tenant))!.reason).toBe('refresh token refused');
    expect(await service.deps.pending.size(tenant, 'lead')).toBe(1);
    expect(crm.writeCalls).toHaveLength(0);
  });

  it('a CRM that says "wait" gets its records back in the queue for exactly then, and nothing fails', async () => {
    crm.put('a', { title: 'VP' });
    crm.failNextFetch = new CrmError('daily API budget used up', 'BUDGET_EXHAUSTED', true, { retryAfterMs: 120_000 });
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a']);
    await until(() => crm.fetchCalls.length === 1);
    const due = await until(async () => {
      const d = await service.deps.pending.nextDue(tenant, 'lead');
      return d !== undefined && d > Date.now() + 60_000 ? d : undefined;
    });
    expect(due).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(await service.deps.queues.flush.getFailedCount()).toBe(0);
  });

  it('a record the CRM refuses is reported and retried later, the rest of the batch is written', async () => {
    crm.put('a', { title: 'VP' });
    crm.put('b', { title: 'VP' });
    crm.refuse.set('b', { code: 'UNAVAILABLE', message: 'lock contention', retryable: true });
    await service.deps.ctx.ingest.enqueue(tenant, 'lead', ['a', 'b']);
    await until(() => crm.records.get('a')!.current.score === 30);
    expect(crm.records.get('b')!.current.score).toBeUndefined();
    const due = await service.deps.pending.nextDue(tenant, 'lead');
    expect(due).toBeGreaterThan(Date.now() + 30_000);
  });

  it('polling scores every record page by page and saves the cursor', async () => {
    for (let i = 0; i < 7; i++) crm.put(`p${i}`, { title: i % 2 ? 'VP' : 'Intern' });
    await service.deps.ctx.ingest.startSync(tenant, ['lead']);
    await until(() => [...crm.records.values()].every((r) => r.current.score !== undefined));
    expect(await service.deps.cursors.get(tenant, 'lead')).toEqual({ offset: 7 });
    expect(crm.records.get('p1')!.current.score).toBe(30);
  });
});
