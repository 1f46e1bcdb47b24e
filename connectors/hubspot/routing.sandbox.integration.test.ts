/**
 * Owner routing on HubSpot, through the real SDK against the local sandbox: owners (archived ones
 * inactive), company owner by domain, hubspot_owner_id, SLA tasks (fields, association 204,
 * status), sales activity; then the routing flow itself: assignment, the task's fields, no
 * duplicate on a second pass, warm → hot tightening, and an SLA met by completing the task.
 */
import { Client } from '@hubspot/api-client';
import { routingConfig, type RoutingConfigInput } from '../../src/config/routing-schema';
import { scoringConfig } from '../../src/config/scoring-schema';
import type { ActiveConfig, ServiceContext } from '../../src/pipeline/context';
import { assignLead } from '../../src/routing/assign-lead';
import { AssignmentStore } from '../../src/routing/assignment-store';
import { checkSla } from '../../src/routing/check-sla';
import { OwnerDirectory } from '../../src/routing/owner-directory';
import type { RoutingDeps } from '../../src/routing/routing-deps';
import { SlaStore } from '../../src/routing/sla-store';
import { compileModel } from '../../src/scoring/compile-model';
import { hubspotHarness, shippedHubSpotMapping, TEST_ENV, type Harness } from '../../test/fixtures/hubspot/harness';
import { startHubSpotSandbox, type HubSpotSandbox, type Portal } from '../../sandbox/hubspot';
import { createHubSpotConnector, type HubSpotConnector } from './index';

const APP = { clientId: TEST_ENV.HUBSPOT_CLIENT_ID, clientSecret: TEST_ENV.HUBSPOT_CLIENT_SECRET, appId: 424242 };
const HOUR = 3_600_000;

const scoring = scoringConfig.parse({
  model: 'routing-sandbox',
  thresholds: { hot: 80, warm: 40 },
  weights: { fit: 1, engagement: 0 },
  lists: { freeMail: ['gmail.com'] },
  fit: {
    rules: [
      { id: 'vp', label: 'VP title', attribute: 'title', contains: 'vp', points: 50 },
      { id: 'forms', label: 'Filled in a form', attribute: 'formSubmissions', gte: 1, points: 40 },
    ],
  },
  engagement: { rules: [] },
});

let sb: HubSpotSandbox;
let h: Harness;
let nextPortal = 7100;
beforeAll(async () => {
  sb = await startHubSpotSandbox({ ...APP, limits: { searchPerSecond: 50 } });
});
afterAll(() => sb.close());
beforeEach(() => {
  h = hubspotHarness({ HUBSPOT_API_BASE_URL: sb.url });
});
afterEach(() => h.cleanup());

interface Setup {
  portal: Portal;
  tenant: string;
  connector: HubSpotConnector;
  deps: RoutingDeps;
  sdk: Client;
  active: string[];
  archived: string;
}

/** A fresh portal (5 active owners, 1 archived), installed; routing with a pool of two active owners and the archived one. */
async function setup(overrides: Partial<RoutingConfigInput> = {}): Promise<Setup> {
  const portalId = ++nextPortal;
  const portal = sb.createPortal(portalId);
  const t = sb.issueToken(portalId);
  const tenant = await h.install(portalId, { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 });
  const active = portal.owners.filter((o) => !o.archived).map((o) => o.id);
  const archived = portal.owners.find((o) => o.archived)!.id;
  const routing = routingConfig.parse({
    enabled: true,
    eligible: { tier: 'warm' },
    sla: [
      { tier: 'hot', due: '2h' },
      { tier: 'warm', due: '1d' },
    ],
    recycle: { after: '2d', maxTimes: 1 },
    capacity: { maxActiveLeadsPerOwner: 10 },
    rules: [{ id: 'all', pool: 'inbound' }],
    pools: { inbound: [{ owner: archived, weight: 5 }, { owner: active[0]! }, { owner: active[1]! }] },
    fallback: { owner: active[4]! },
    ...overrides,
  });
  const config = { scoring, model: compileModel(scoring), mappings: { hubspot: shippedHubSpotMapping() }, routing } as unknown as ActiveConfig;
  const ctx: ServiceContext = { ...h.ctx, config: () => config };
  const connector = createHubSpotConnector(ctx, { searchLimitPerSecond: 40 });
  const deps: RoutingDeps = {
    ctx,
    assignments: new AssignmentStore(ctx.redis, ctx.prefix),
    slas: new SlaStore(ctx.redis, ctx.prefix),
    owners: new OwnerDirectory(ctx.clock),
    queues: {} as RoutingDeps['queues'],
    connectorFor: () => connector,
    shutdown: new AbortController().signal,
  };
  return { portal, tenant, connector, deps, sdk: new Client({ accessToken: t.access_token, basePath: sb.url }), active, archived };
}

describe('HubSpot routing methods (real SDK, sandbox)', () => {
  it('lists every owner, archived ones inactive', async () => {
    const { tenant, connector, active, archived } = await setup();
    const owners = await connector.listOwners(tenant);
    expect(owners).toHaveLength(6);
    expect(owners.filter((o) => o.active).map((o) => o.id).sort()).toEqual([...active].sort());
    expect(owners.find((o) => o.id === archived)).toEqual({ id: archived, active: false, kind: 'user' });
  });

  it('finds the owner of the company with the lead\'s domain (also as www.), else null', async () => {
    const { portal, tenant, connector, active } = await setup();
    portal.createRecord('companies', { name: 'No owner', domain: 'acme.example' });
    portal.createRecord('companies', { name: 'Acme', domain: 'acme.example', hubspot_owner_id: active[2]! });
    portal.createRecord('companies', { name: 'Initech', domain: 'www.initech.example', hubspot_owner_id: active[3]! });
    expect(await connector.findAccountOwner(tenant, 'acme.example')).toBe(active[2]);
    expect(await connector.findAccountOwner(tenant, 'initech.example')).toBe(active[3]);
    expect(await connector.findAccountOwner(tenant, 'unknown.example')).toBeNull();
  });

  it('writes hubspot_owner_id, which the next read shows as the record\'s owner; refuses an archived owner', async () => {
    const { portal, tenant, connector, active, archived } = await setup();
    const c = portal.createContact({ email: 'ann@acme.example' });
    expect((await connector.fetchRecords(tenant, 'contact', [c.id])).records[0]!.ownerId).toBeNull();
    await connector.assignOwner(tenant, 'contact', c.id, active[1]!);
    expect(portal.getContact(c.id)!.get('hubspot_owner_id')).toBe(active[1]);
    expect((await connector.fetchRecords(tenant, 'contact', [c.id])).records[0]!.ownerId).toBe(active[1]);
    await expect(connector.assignOwner(tenant, 'contact', c.id, archived)).rejects.toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  it('creates a task associated to the contact (204), updates it, reads its status, closes it', async () => {
    const { portal, tenant, connector, active, sdk } = await setup();
    const c = portal.createContact({ email: 'bob@acme.example' });
    const dueAt = Date.parse('2026-12-01T10:00:00.000Z');
    const id = await connector.createTask(tenant, { objectType: 'contact', recordId: c.id, ownerId: active[0]!, subject: 'Hot lead (score 91): call within 1h', body: '+50 VP title', dueAt, priority: 'high' });
    const task = portal.tasks.get(id)!;
    expect(task.get('hs_timestamp')).toBe('2026-12-01T10:00:00.000Z');
    expect(task.get('hs_task_subject')).toBe('Hot lead (score 91): call within 1h');
    expect(task.get('hs_task_body')).toBe('+50 VP title');
    expect(task.get('hs_task_priority')).toBe('HIGH');
    expect(task.get('hs_task_status')).toBe('NOT_STARTED');
    expect(task.get('hubspot_owner_id')).toBe(active[0]);
    expect(portal.associationsOf('tasks', id, 'contacts')).toEqual([expect.objectContaining({ toId: c.id, typeIds: expect.arrayContaining([204]) })]);
    expect(await connector.getTaskStatus(tenant, id)).toEqual({ status: 'open' });

    await connector.updateTask(tenant, id, { dueAt: dueAt - HOUR, priority: 'normal', subject: 'x' });
    expect(portal.tasks.get(id)!.get('hs_timestamp')).toBe('2026-12-01T09:00:00.000Z');
    expect(portal.tasks.get(id)!.get('hs_task_priority')).toBe('MEDIUM');

    await sdk.crm.objects.tasks.basicApi.update(id, { properties: { hs_task_status: 'COMPLETED' } });
    const done = await connector.getTaskStatus(tenant, id);
    const completion = portal.tasks.get(id)!.get('hs_task_completion_date')!;
    expect(done).toEqual({ status: 'completed', completedAt: /^\d+$/.test(completion) ? Number(completion) : Date.parse(completion) });
    expect((done as { completedAt: number }).completedAt).toBeGreaterThan(Date.now() - 60_000);

    const other = await connector.createTask(tenant, { objectType: 'contact', recordId: c.id, ownerId: active[0]!, subject: 's', body: 'b', dueAt, priority: 'normal' });
    await connector.closeTask(tenant, other, 'Closed by lead routing');
    expect(portal.tasks.get(other)!.get('hs_task_status')).toBe('COMPLETED');
    expect(portal.tasks.get(other)!.get('hs_task_body')).toBe('Closed by lead routing');
    await connector.closeTask(tenant, '999999999', 'gone'); // a missing task is fine
    expect(await connector.getTaskStatus(tenant, '999999999')).toEqual({ status: 'missing' });
  });

  it('reads the last sales activity: the later of hs_last_sales_activity_timestamp and notes_last_contacted', async () => {
    const { portal, tenant, connector } = await setup();
    const c = portal.createContact({ email: 'cat@acme.example' });
    expect(await connector.lastSalesActivity(tenant, 'contact', c.id)).toBeNull();
    portal.updateContact(c.id, { hs_last_sales_activity_timestamp: '1764000000000', notes_last_contacted: '2025-11-24T17:00:00.000Z' });
    expect(await connector.lastSalesActivity(tenant, 'contact', c.id)).toBe(Date.parse('2025-11-24T17:00:00.000Z'));
    expect(await connector.lastSalesActivity(tenant, 'contact', '99999999')).toBeNull();
  });
});

describe('routing a HubSpot contact (real SDK, sandbox)', () => {
  it('assigns an owner of the pool (never the archived one) and writes the SLA task with its fields, once', async () => {
    const { portal, tenant, deps, active, archived } = await setup();
    const c = portal.createContact({ email: 'dan@initech.example', jobtitle: 'VP Engineering' });
    const ref = { tenant, objectType: 'contact', id: c.id };
    const before = Date.now();
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'assigned', owner: active[0] });
    const owner = portal.getContact(c.id)!.get('hubspot_owner_id');
    expect(owner).toBe(active[0]);
    expect(owner).not.toBe(archived);

    const state = (await deps.assignments.get(tenant, 'contact', c.id))!;
    expect(state.assignedAt).toBeGreaterThanOrEqual(before);
    const tasks = portal.tasksForContact(c.id);
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(task.id).toBe(state.taskId);
    expect(task.get('hs_task_subject')).toBe('Warm lead (score 50): call within 1d');
    expect(task.get('hs_task_body')).toContain('+50 VP title');
    expect(task.get('hs_timestamp')).toBe(new Date(state.assignedAt + 24 * HOUR).toISOString());
    expect(task.get('hs_task_priority')).toBe('MEDIUM');
    expect(task.get('hubspot_owner_id')).toBe(active[0]);
    expect(portal.associationsOf('tasks', task.id, 'contacts').map((e) => e.toId)).toEqual([c.id]);

    // a second pass (a rescore) changes nothing
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'unchanged', owner: active[0] });
    expect(portal.tasksForContact(c.id)).toHaveLength(1);

    // the contact turns hot: the same task gets the tighter SLA, the hot subject and HIGH priority
    portal.updateContact(c.id, { num_conversion_events: '1' });
    const t0 = Date.now();
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'tightened', owner: active[0] });
    const hot = portal.tasksForContact(c.id);
    expect(hot).toHaveLength(1);
    expect(hot[0]!.get('hs_task_subject')).toBe('Hot lead (score 90): call within 2h');
    expect(hot[0]!.get('hs_task_priority')).toBe('HIGH');
    const due = Date.parse(hot[0]!.get('hs_timestamp')!);
    expect(due).toBeGreaterThanOrEqual(t0 + 2 * HOUR);
    expect(due).toBeLessThan(Date.now() + 2 * HOUR + 1);
  });

  it('the owner of the matching company gets the lead; free mail never matches; a person who owns it keeps it', async () => {
    const { portal, tenant, deps, active } = await setup();
    portal.createRecord('companies', { name: 'Acme', domain: 'acme.example', hubspot_owner_id: active[3]! });
    portal.createRecord('companies', { name: 'Gmail', domain: 'gmail.com', hubspot_owner_id: active[3]! });
    const acme = portal.createContact({ email: 'eve@acme.example', jobtitle: 'VP' });
    const free = portal.createContact({ email: 'fay@gmail.com', jobtitle: 'VP' });
    const owned = portal.createContact({ email: 'gus@acme.example', jobtitle: 'VP', hubspot_owner_id: active[2]! });
    expect(await assignLead(deps, { tenant, objectType: 'contact', id: acme.id })).toEqual({ outcome: 'assigned', owner: active[3] });
    expect(await assignLead(deps, { tenant, objectType: 'contact', id: free.id })).toMatchObject({ outcome: 'assigned' });
    expect([active[0], active[1]]).toContain(portal.getContact(free.id)!.get('hubspot_owner_id'));
    expect(await assignLead(deps, { tenant, objectType: 'contact', id: owned.id })).toEqual({ outcome: 'assigned', owner: active[2] });
    expect(portal.getContact(owned.id)!.get('hubspot_owner_id')).toBe(active[2]);
    expect(portal.tasksForContact(owned.id)[0]!.get('hubspot_owner_id')).toBe(active[2]);
  });

  it('an SLA task completed by the rep meets the SLA at the check', async () => {
    const { portal, tenant, deps, sdk } = await setup();
    const c = portal.createContact({ email: 'hal@initech.example', jobtitle: 'VP' });
    const ref = { tenant, objectType: 'contact', id: c.id };
    await assignLead(deps, ref);
    const state = (await deps.assignments.get(tenant, 'contact', c.id))!;
    await sdk.crm.objects.tasks.basicApi.update(state.taskId, { properties: { hs_task_status: 'COMPLETED' } });
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'met', owner: state.owner });
    expect(await deps.assignments.get(tenant, 'contact', c.id)).toMatchObject({ status: 'done', outcome: 'met' });
    expect(await deps.assignments.activeLeads(tenant, state.owner)).toEqual([]);
  });
});
