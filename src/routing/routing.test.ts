import { randomUUID } from 'node:crypto';
import { routingConfig, type RoutingConfigInput } from '../config/routing-schema';
import { scoringConfig } from '../config/scoring-schema';
import { loadEnv } from '../env';
import type { ActiveConfig } from '../pipeline/context';
import { buildService, type Service } from '../runtime/build-service';
import { compileModel } from '../scoring/compile-model';
import { MemoryConnector } from '../../test/helpers/memory-connector';
import { testRedis } from '../../test/helpers/redis';
import type { LeadRouting } from './assignment-store';
import { routingMetrics } from './routing-metrics';

/**
 * Owner routing end to end through the service (real Redis and BullMQ, the in-memory CRM): scoring
 * queues the assignment, the SLA sweep runs on the injected clock, which the tests move forward
 * instead of sleeping.
 */
const HOUR = 3_600_000;
const scoring = scoringConfig.parse({
  model: 'routing-test',
  thresholds: { hot: 80, warm: 40 },
  weights: { fit: 1, engagement: 0 },
  lists: { freeMail: ['gmail.com'] },
  fit: {
    rules: [
      { id: 'vp', label: 'VP title', attribute: 'title', contains: 'vp', points: 50 },
      { id: 'demo', label: 'Requested a demo', attribute: 'demoRequested', equals: true, points: 40 },
    ],
  },
  engagement: { rules: [] },
});

const baseRouting: RoutingConfigInput = {
  enabled: true,
  eligible: { tier: 'hot' },
  placeholderOwners: ['p0'],
  sla: [
    { tier: 'hot', due: '1h' },
    { tier: 'warm', due: '1d' },
  ],
  recycle: { after: '2h', maxTimes: 1 },
  capacity: { maxActiveLeadsPerOwner: 10 },
  rules: [
    { id: 'na', when: [{ attribute: 'country', in: ['US', 'Canada'] }], pool: 'na' },
    { id: 'rest', pool: 'intl' },
  ],
  pools: { na: [{ owner: 'a', weight: 2 }, { owner: 'b' }], intl: [{ owner: 'c' }] },
  fallback: { owner: 'f' },
};

async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const counter = async (c: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, labels: Record<string, string> = {}) =>
  (await c.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0);

describe('owner routing and SLA tasks (real Redis and BullMQ, in-memory CRM, injected clock)', () => {
  let service: Service;
  let crm: MemoryConnector;
  let routing: ReturnType<typeof routingConfig.parse>;
  let skew = 0;
  const clock = () => Date.now() + skew;
  const tenant = 'memcrm:1';
  let prefix: string;

  const config = (): ActiveConfig => ({ scoring, model: compileModel(scoring), mappings: {} as ActiveConfig['mappings'], routing });
  const state = (id: string) => service.deps.routing!.assignments.get(tenant, 'lead', id);
  const stateIs = (id: string, check: (s: LeadRouting) => boolean) => until(async () => {
    const s = await state(id);
    return s && check(s) ? s : undefined;
  });
  const score = (...ids: string[]) => service.deps.ctx.ingest.enqueue(tenant, 'lead', ids);
  /** Moves the clock and waits for the SLA check of `id` to move its state on. */
  const advance = async (ms: number) => {
    skew += ms;
  };

  beforeEach(async () => {
    skew = 0;
    routing = routingConfig.parse(baseRouting);
    prefix = `test:${randomUUID().slice(0, 8)}:`;
    crm = new MemoryConnector();
    crm.clock = clock;
    crm.owners = ['a', 'b', 'c', 'f', 'h'].map((id) => ({ id, active: true, kind: 'user' as const }));
    const cfg = config();
    service = await buildService({
      env: loadEnv({ NODE_ENV: 'test' }),
      config: () => ({ ...cfg, routing }),
      prefix,
      clock,
      connectorFactories: { memcrm: () => crm },
      coalesceMs: 50,
      sweepEveryMs: 50,
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

  it('gives a hot lead an owner by rule and weight, and that owner one SLA task with tier, score, reasons and due time', async () => {
    crm.put('x1', { title: 'VP Sales', demoRequested: true, country: 'US' });
    await score('x1');
    const s = await stateIs('x1', (st) => st.status === 'open');
    expect(s).toMatchObject({ owner: 'a', how: 'pool', pool: 'na', rule: 'na', ownerWritten: 1, slaIndex: 0, slaMs: HOUR, recycles: 0 });
    expect(crm.records.get('x1')!.ownerId).toBe('a');
    const tasks = crm.tasksFor('x1');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      objectType: 'lead',
      recordId: 'x1',
      ownerId: 'a',
      subject: 'Hot lead (score 90): call within 1h',
      priority: 'high',
      dueAt: s.assignedAt + HOUR,
      status: 'open',
    });
    expect(tasks[0]!.body).toContain('+50 VP title\n+40 Requested a demo');
    expect(await service.deps.routing!.assignments.activeLeads(tenant, 'a')).toEqual(['lead/x1']);
    expect(await service.deps.routing!.slas.nextCheck({ tenant, objectType: 'lead', id: 'x1' })).toBe(s.slaDueAt);
  });

  it('rescoring never duplicates the task; cold and warm leads are not routed (eligible: hot)', async () => {
    crm.put('x1', { title: 'VP', demoRequested: true, country: 'US' });
    crm.put('w1', { title: 'VP', country: 'US' });
    await score('x1', 'w1');
    await stateIs('x1', (st) => st.status === 'open');
    for (let i = 0; i < 4; i++) {
      crm.records.get('x1')!.lead.attributes.city = `c${i}`; // a change: the record is read and scored again
      await score('x1', 'w1');
      await until(() => crm.fetchCalls.length >= 2 + i);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.tasksFor('x1')).toHaveLength(1);
    expect(crm.ownerWrites).toEqual([{ id: 'x1', ownerId: 'a' }]);
    expect(await state('w1')).toBeUndefined();
    expect(crm.tasksFor('w1')).toHaveLength(0);
  });

  it('a lead that climbs from warm to hot gets the tighter SLA on its one open task', async () => {
    routing = routingConfig.parse({ ...baseRouting, eligible: { tier: 'warm' } });
    crm.put('w1', { title: 'VP', country: 'Canada' });
    await score('w1');
    const warm = await stateIs('w1', (st) => st.status === 'open');
    expect(crm.tasksFor('w1')[0]).toMatchObject({ subject: 'Warm lead (score 50): call within 1d', priority: 'normal', dueAt: warm.assignedAt + 24 * HOUR });
    await advance(10 * 60_000);
    crm.records.get('w1')!.lead.attributes.demoRequested = true;
    await score('w1');
    const hot = await stateIs('w1', (st) => st.slaIndex === 0);
    const tasks = crm.tasksFor('w1');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ subject: 'Hot lead (score 90): call within 1h', priority: 'high', ownerId: warm.owner, status: 'open' });
    expect(tasks[0]!.dueAt).toBe(hot.slaDueAt);
    expect(hot.slaDueAt).toBeLessThan(warm.slaDueAt);
    expect(hot.slaDueAt - (warm.assignedAt + 10 * 60_000)).toBeGreaterThanOrEqual(HOUR);
    expect(hot.slaDueAt - (warm.assignedAt + 10 * 60_000)).toBeLessThan(HOUR + 5_000);
    expect(await service.deps.routing!.slas.nextCheck({ tenant, objectType: 'lead', id: 'w1' })).toBe(hot.slaDueAt);
  });

  it('never takes a lead from a person; routes leads of placeholder owners; matches accounts but never free mail', async () => {
    crm.accounts.set('acme.example', 'c');
    crm.accounts.set('gmail.com', 'c');
    crm.put('human', { title: 'VP', demoRequested: true, country: 'US' }, [], 'h');
    crm.put('placeholder', { title: 'VP', demoRequested: true, country: 'US' }, [], 'p0');
    crm.put('acct', { title: 'VP', demoRequested: true, country: 'US', email: 'ann@acme.example' });
    crm.put('free', { title: 'VP', demoRequested: true, country: 'US', email: 'bob@gmail.com' });
    await score('human', 'placeholder', 'acct', 'free');
    const kept = await stateIs('human', (st) => st.status === 'open');
    expect(kept).toMatchObject({ how: 'keep', owner: 'h', recycleAt: 0 });
    expect(crm.records.get('human')!.ownerId).toBe('h');
    expect(crm.ownerWrites.find((w) => w.id === 'human')).toBeUndefined();
    expect(crm.tasksFor('human')[0]).toMatchObject({ ownerId: 'h' });

    expect(await stateIs('placeholder', (st) => st.status === 'open')).toMatchObject({ how: 'pool', previousOwner: 'p0' });
    expect(['a', 'b']).toContain(crm.records.get('placeholder')!.ownerId);
    expect(await stateIs('acct', (st) => st.status === 'open')).toMatchObject({ how: 'account', owner: 'c', why: 'account match on acme.example' });
    expect(await stateIs('free', (st) => st.status === 'open')).toMatchObject({ how: 'pool', pool: 'na' });
    expect(crm.accountLookups).toEqual(['acme.example']);
  });

  it('an owner at capacity gets no more leads: the next go to the fallback, with a metric', async () => {
    routing = routingConfig.parse({ ...baseRouting, capacity: { maxActiveLeadsPerOwner: 1 }, pools: { na: [{ owner: 'a' }], intl: [{ owner: 'c' }] } });
    const before = await counter(routingMetrics.fallbacks, { target: 'user' });
    for (const id of ['k1', 'k2', 'k3']) crm.put(id, { title: 'VP', demoRequested: true, country: 'US' });
    await score('k1', 'k2', 'k3');
    const states = await Promise.all(['k1', 'k2', 'k3'].map((id) => stateIs(id, (st) => st.status === 'open')));
    expect(states.map((s) => s.owner).sort()).toEqual(['a', 'f', 'f']);
    expect(await service.deps.routing!.assignments.activeLeads(tenant, 'a')).toHaveLength(1);
    expect((await counter(routingMetrics.fallbacks, { target: 'user' })) - before).toBe(2);
  });

  it('SLA met: the task completed in time ends the watch, frees the owner and records the time to first touch', async () => {
    const met0 = await counter(routingMetrics.slaMet);
    const touch0 = (await routingMetrics.firstTouch.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    crm.put('m1', { title: 'VP', demoRequested: true, country: 'US' });
    await score('m1');
    const s = await stateIs('m1', (st) => st.status === 'open');
    await advance(20 * 60_000);
    crm.completeTask(s.taskId);
    await advance(41 * 60_000); // past the due time
    const done = await stateIs('m1', (st) => st.status === 'done');
    expect(done).toMatchObject({ outcome: 'met', slaBreached: 0 });
    expect((await counter(routingMetrics.slaMet)) - met0).toBe(1);
    const touch = (await routingMetrics.firstTouch.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    expect(touch - touch0).toBe(1);
    expect(await service.deps.routing!.assignments.activeLeads(tenant, s.owner)).toEqual([]);
    expect(await service.deps.routing!.slas.nextCheck({ tenant, objectType: 'lead', id: 'm1' })).toBeUndefined();
  });

  it('a sales activity after the assignment counts as the first touch: met before the due time, late after it (and then not recycled)', async () => {
    const met0 = await counter(routingMetrics.slaMet);
    crm.put('m2', { title: 'VP', demoRequested: true, country: 'US' });
    crm.put('m3', { title: 'VP', demoRequested: true, country: 'US' });
    await score('m2', 'm3');
    const s = await stateIs('m2', (st) => st.status === 'open');
    const s3 = await stateIs('m3', (st) => st.status === 'open');
    crm.activity.set('m2', s.assignedAt - 60_000); // an older activity does not count
    crm.activity.set('m3', s3.assignedAt + 30 * 60_000); // a call logged 30 minutes in
    await advance(HOUR + 60_000);
    await stateIs('m2', (st) => st.status === 'breached');
    expect(await stateIs('m3', (st) => st.status === 'done')).toMatchObject({ outcome: 'met' });
    expect((await counter(routingMetrics.slaMet)) - met0).toBe(1);
    // worked late, before the recycle time; the record shows it, so it is looked at now, not at the recycle time
    const t = clock();
    crm.activity.set('m2', t);
    crm.records.get('m2')!.lead.attributes.lastSalesActivityAt = t;
    await score('m2');
    expect(await stateIs('m2', (st) => st.status === 'done')).toMatchObject({ outcome: 'late', slaBreached: 1, owner: s.owner });
    expect(crm.tasksFor('m2')).toHaveLength(1);
  });

  it('SLA breached: recycled to the next owner after recycle.after, then after recycle.maxTimes to the fallback, flagged', async () => {
    const breached0 = await counter(routingMetrics.slaBreached);
    const recycles0 = await counter(routingMetrics.recycles);
    const flagged0 = await counter(routingMetrics.flagged);
    crm.put('r1', { title: 'VP', demoRequested: true, country: 'US' });
    await score('r1');
    const first = await stateIs('r1', (st) => st.status === 'open');
    expect(first.owner).toBe('a');

    await advance(HOUR + 1_000); // due: breached, not yet recycled
    const breached = await stateIs('r1', (st) => st.status === 'breached');
    expect(breached).toMatchObject({ owner: 'a', slaBreached: 1 });
    expect((await counter(routingMetrics.slaBreached)) - breached0).toBe(1);
    expect(await service.deps.routing!.slas.nextCheck({ tenant, objectType: 'lead', id: 'r1' })).toBe(first.recycleAt);

    await advance(HOUR); // recycle.after (2h) since the assignment
    const second = await stateIs('r1', (st) => st.recycles === 1 && st.status === 'open');
    expect(second).toMatchObject({ owner: 'b', how: 'pool', previousOwner: 'a', slaBreached: 0, flagged: 0 });
    expect(crm.records.get('r1')!.ownerId).toBe('b');
    const [oldTask, newTask] = crm.tasksFor('r1');
    expect(oldTask).toMatchObject({ ownerId: 'a', status: 'closed' });
    expect(oldTask!.body).toContain('Closed by lead routing');
    expect(newTask).toMatchObject({ ownerId: 'b', status: 'open', dueAt: second.assignedAt + HOUR });
    expect(await service.deps.routing!.assignments.activeLeads(tenant, 'a')).toEqual([]);
    expect(await service.deps.routing!.assignments.activeLeads(tenant, 'b')).toEqual(['lead/r1']);

    await advance(2 * HOUR + 1_000); // b lets it pass too: recycle.maxTimes (1) reached → fallback
    const third = await stateIs('r1', (st) => st.recycles === 2 && st.status === 'open');
    expect(third).toMatchObject({ owner: 'f', how: 'fallback', flagged: 1, recycleAt: 0 });
    expect(crm.records.get('r1')!.ownerId).toBe('f');
    expect(crm.tasksFor('r1').map((t) => [t.ownerId, t.status])).toEqual([
      ['a', 'closed'],
      ['b', 'closed'],
      ['f', 'open'],
    ]);
    expect((await counter(routingMetrics.recycles)) - recycles0).toBe(2);
    expect((await counter(routingMetrics.flagged)) - flagged0).toBe(1);

    await advance(HOUR + 1_000); // the fallback is never recycled: the watch ends
    expect(await stateIs('r1', (st) => st.status === 'done')).toMatchObject({ owner: 'f', outcome: 'breached' });
    expect(crm.tasksFor('r1')).toHaveLength(3);
    expect((await counter(routingMetrics.slaBreached)) - breached0).toBe(3);
  });

  it('a lead a person took over in the CRM is not recycled', async () => {
    crm.put('t1', { title: 'VP', demoRequested: true, country: 'US' });
    await score('t1');
    await stateIs('t1', (st) => st.status === 'open');
    crm.records.get('t1')!.ownerId = 'h';
    await advance(2 * HOUR + 1_000);
    expect(await stateIs('t1', (st) => st.status === 'done')).toMatchObject({ outcome: 'handed-over', owner: 'a' });
    expect(crm.tasksFor('t1')).toHaveLength(1);
  });

  it('an owner the CRM refuses (deactivated since the owner list was read) ends the routing of that lead, logged, nothing half done', async () => {
    routing = routingConfig.parse({ ...baseRouting, pools: { na: [{ owner: 'a' }], intl: [{ owner: 'c' }] } });
    crm.put('ok1', { title: 'VP', demoRequested: true, country: 'US' });
    await score('ok1');
    await stateIs('ok1', (st) => st.status === 'open');
    crm.owners = crm.owners.map((o) => (o.id === 'a' ? { ...o, active: false } : o)); // the owner list is cached for 5 minutes
    crm.put('ref1', { title: 'VP', demoRequested: true, country: 'US' });
    await score('ref1');
    expect(await stateIs('ref1', (st) => st.status === 'done')).toMatchObject({ owner: 'a', outcome: 'refused', taskId: '' });
    expect(crm.tasksFor('ref1')).toEqual([]);
    expect(await service.deps.routing!.assignments.activeLeads(tenant, 'a')).toEqual(['lead/ok1']);
    expect(await service.deps.routing!.slas.nextCheck({ tenant, objectType: 'lead', id: 'ref1' })).toBeUndefined();
  });

  it('does nothing with routing.enabled false (the shipped config)', async () => {
    routing = routingConfig.parse({ ...baseRouting, enabled: false });
    crm.put('off', { title: 'VP', demoRequested: true, country: 'US' });
    await score('off');
    await until(() => crm.records.get('off')!.current.score === 90);
    await new Promise((r) => setTimeout(r, 200));
    expect(await state('off')).toBeUndefined();
    expect(crm.tasks.size).toBe(0);
    expect(crm.ownerWrites).toEqual([]);
  });
});
