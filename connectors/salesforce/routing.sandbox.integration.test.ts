/**
 * Owner routing on Salesforce, through the connector (real jsforce transport) against the local
 * Salesforce sandbox and the routing code on the real Redis: criteria rules and weighted pools of
 * active users, an inactive user skipped, account matching by Account Website (never free mail),
 * the SLA Task's fields, the Lead's OwnerId, no duplicate Task on rescore, an SLA met by completing
 * the Task, and a breach recycled to the next user (old Task closed) and then to the fallback. Time
 * is the injected clock shared by the sandbox and the connector, moved instead of slept.
 */
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
import { salesforceHarness, SF_ENV, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from '../../sandbox/salesforce';
import { createSalesforceConnector, type SalesforceConnector } from './index';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const scoring = scoringConfig.parse({
  model: 'sf-routing-sandbox',
  thresholds: { hot: 80, warm: 40 },
  weights: { fit: 1, engagement: 0 },
  lists: { freeMail: ['gmail.com'] },
  fit: {
    rules: [
      { id: 'vp', label: 'VP title', attribute: 'title', contains: 'vp', points: 50 },
      { id: 'software', label: 'Software company', attribute: 'industry', equals: 'Software', points: 40 },
    ],
  },
  engagement: { rules: [] },
});

let now: number;
let sb: SalesforceSandbox;
let h: SalesforceHarness;
let org: SalesforceOrg;

beforeEach(async () => {
  now = T0;
  // sessions outlive the days the clock moves (a refresh on 401 is covered by sandbox.integration.test.ts)
  sb = await startSalesforceSandbox({ clientId: SF_ENV.SALESFORCE_CLIENT_ID, clientSecret: SF_ENV.SALESFORCE_CLIENT_SECRET, clock: () => now, sessionTimeoutSec: 30 * 86_400 });
  h = salesforceHarness({ SALESFORCE_LOGIN_URL: sb.url }, { clock: () => now });
  org = sb.createOrg(makeOrgId(1));
});
afterEach(async () => {
  await sb.close();
  await h.cleanup();
});

interface Setup {
  tenant: string;
  connector: SalesforceConnector;
  deps: RoutingDeps;
  /** The four active users besides the admin. */
  reps: string[];
  queue: string;
}

/** Installs the org (tokens in the store, score fields set up) and builds the routing deps. Pools: US/Canada → reps 0 (weight 2) and 1; the rest → rep 2; fallback rep 3. */
async function setup(overrides: Partial<RoutingConfigInput> = {}): Promise<Setup> {
  const t = sb.issueTokens(org.id);
  const tenant = await h.install({ accessToken: t.access_token, refreshToken: t.refresh_token! }, { orgId: org.id, instanceUrl: sb.url, meta: { userId: org.adminUserId } });
  const reps = org.activeUsers.filter((u) => u.Id !== org.adminUserId).map((u) => u.Id);
  const routing = routingConfig.parse({
    enabled: true,
    eligible: { tier: 'warm' },
    sla: [
      { tier: 'hot', due: '2h' },
      { tier: 'warm', due: '1d' },
    ],
    recycle: { after: '2d', maxTimes: 1 },
    capacity: { maxActiveLeadsPerOwner: 10 },
    rules: [
      { id: 'na', when: [{ attribute: 'country', in: ['US', 'Canada'] }], pool: 'na' },
      { id: 'rest', pool: 'intl' },
    ],
    pools: { na: [{ owner: reps[0]!, weight: 2 }, { owner: reps[1]! }], intl: [{ owner: reps[2]! }] },
    fallback: { owner: reps[3]! },
    ...overrides,
  });
  const config = { scoring, model: compileModel(scoring), mappings: { salesforce: h.mapping }, routing } as unknown as ActiveConfig;
  const ctx: ServiceContext = { ...h.ctx, config: () => config };
  const connector = createSalesforceConnector(ctx);
  await connector.setupTenant(tenant);
  const deps: RoutingDeps = {
    ctx,
    assignments: new AssignmentStore(ctx.redis, ctx.prefix),
    slas: new SlaStore(ctx.redis, ctx.prefix),
    owners: new OwnerDirectory(ctx.clock),
    queues: {} as RoutingDeps['queues'],
    connectorFor: () => connector,
    shutdown: new AbortController().signal,
  };
  return { tenant, connector, deps, reps, queue: org.queues.find((q) => q.Name === 'Unassigned Leads')!.Id };
}

let n = 0;
/** A Lead in the queue (so routing may assign it), written by the helper (no assignment rule). */
function lead(queue: string, fields: Record<string, unknown>): string {
  n++;
  return org.create('Lead', { LastName: `Lead${n}`, Company: 'Initech', Status: 'Open - Not Contacted', Email: `p${n}@initech.example`, Title: 'VP Sales', Country: 'US', OwnerId: queue, ...fields });
}

const tasksOf = (leadId: string) => org.records('Task').filter((t) => t.WhoId === leadId);
const ownerOf = (leadId: string) => org.get('Lead', leadId)!.OwnerId;

describe('routing Salesforce Leads (connector, sandbox, real Redis)', () => {
  it('routes by criteria to a pool of active users, respecting weights (2:1), and the other rule to its pool', async () => {
    const { tenant, deps, reps, queue } = await setup();
    const us = Array.from({ length: 6 }, (_, i) => lead(queue, { Country: i % 2 ? 'Canada' : 'US' }));
    const intl = lead(queue, { Country: 'Germany' });
    const got: string[] = [];
    for (const id of us) {
      const r = await assignLead(deps, { tenant, objectType: 'Lead', id });
      expect(r.outcome).toBe('assigned');
      got.push(r.owner!);
      expect(ownerOf(id)).toBe(r.owner);
      expect(tasksOf(id)).toHaveLength(1);
    }
    expect(got.filter((o) => o === reps[0])).toHaveLength(4);
    expect(got.filter((o) => o === reps[1])).toHaveLength(2);
    expect(await assignLead(deps, { tenant, objectType: 'Lead', id: intl })).toEqual({ outcome: 'assigned', owner: reps[2] });
    expect(ownerOf(intl)).toBe(reps[2]);
    expect(await deps.assignments.get(tenant, 'Lead', intl)).toMatchObject({ how: 'pool', pool: 'intl', rule: 'rest' });
  });

  it('skips a user deactivated in the org', async () => {
    const { tenant, deps, reps, queue } = await setup();
    org.setUserActive(reps[0]!, false);
    for (let i = 0; i < 3; i++) {
      const id = lead(queue, {});
      expect(await assignLead(deps, { tenant, objectType: 'Lead', id })).toEqual({ outcome: 'assigned', owner: reps[1] });
      expect(ownerOf(id)).toBe(reps[1]);
      expect(tasksOf(id)[0]!.OwnerId).toBe(reps[1]);
    }
  });

  it('gives the lead to the owner of the Account whose Website is on its email domain; free mail never matches', async () => {
    const { tenant, deps, reps, queue } = await setup();
    org.create('Account', { Name: 'Acme', Website: 'https://www.acme.example/about', OwnerId: reps[3] });
    org.create('Account', { Name: 'Gmail', Website: 'gmail.com', OwnerId: reps[3] });
    const acme = lead(queue, { Email: 'eve@acme.example' });
    const free = lead(queue, { Email: 'fay@gmail.com' });
    expect(await assignLead(deps, { tenant, objectType: 'Lead', id: acme })).toEqual({ outcome: 'assigned', owner: reps[3] });
    expect(ownerOf(acme)).toBe(reps[3]);
    expect(await deps.assignments.get(tenant, 'Lead', acme)).toMatchObject({ how: 'account' });
    const r = await assignLead(deps, { tenant, objectType: 'Lead', id: free });
    expect(r.outcome).toBe('assigned');
    expect([reps[0], reps[1]]).toContain(r.owner);
    expect(ownerOf(free)).toBe(r.owner);
  });

  it('writes the Lead OwnerId and one SLA Task with its fields; a rescore adds none; a hot lead gets High priority', async () => {
    const { tenant, deps, reps, queue } = await setup();
    const id = lead(queue, {});
    const ref = { tenant, objectType: 'Lead', id };
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'assigned', owner: reps[0] });
    expect(ownerOf(id)).toBe(reps[0]);
    const state = (await deps.assignments.get(tenant, 'Lead', id))!;
    expect(state.assignedAt).toBe(T0);
    const tasks = tasksOf(id);
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(task.Id).toBe(state.taskId);
    expect(task).toMatchObject({ WhoId: id, OwnerId: reps[0], Subject: 'Warm lead (score 50): call within 1d', Priority: 'Normal', IsClosed: false, IsReminderSet: true });
    expect(task.ActivityDate).toBe(new Date(T0 + DAY).toISOString().slice(0, 10));
    expect(Date.parse(task.ReminderDateTime as string)).toBe(T0 + DAY);
    expect(task.Description).toContain('+50 VP title');

    // rescoring changes nothing
    now += 60_000;
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'unchanged', owner: reps[0] });
    expect(tasksOf(id)).toHaveLength(1);

    // a hot lead from the start: High, 2h
    const hot = lead(queue, { Industry: 'Software' });
    const r = await assignLead(deps, { tenant, objectType: 'Lead', id: hot });
    expect(r.outcome).toBe('assigned');
    const hs = (await deps.assignments.get(tenant, 'Lead', hot))!;
    const ht = tasksOf(hot);
    expect(ht).toHaveLength(1);
    expect(ht[0]).toMatchObject({ WhoId: hot, OwnerId: r.owner, Subject: 'Hot lead (score 90): call within 2h', Priority: 'High' });
    expect(Date.parse(ht[0]!.ReminderDateTime as string)).toBe(hs.assignedAt + 2 * HOUR);
    expect(ht[0]!.Description).toEqual(expect.stringContaining('+50 VP title'));
    expect(ht[0]!.Description).toEqual(expect.stringContaining('+40 Software company'));
    expect(await assignLead(deps, { tenant, objectType: 'Lead', id: hot })).toEqual({ outcome: 'unchanged', owner: r.owner });
    expect(tasksOf(hot)).toHaveLength(1);
  });

  it('an SLA Task completed in Salesforce before the due time meets the SLA', async () => {
    const { tenant, deps, reps, queue } = await setup();
    const id = lead(queue, {});
    const ref = { tenant, objectType: 'Lead', id };
    await assignLead(deps, ref);
    const state = (await deps.assignments.get(tenant, 'Lead', id))!;
    now += 3 * HOUR;
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'waiting', owner: reps[0] });
    org.update('Task', state.taskId, { Status: 'Completed' });
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'met', owner: reps[0] });
    expect(await deps.assignments.get(tenant, 'Lead', id)).toMatchObject({ status: 'done', outcome: 'met' });
    expect(await deps.assignments.activeLeads(tenant, reps[0]!)).toEqual([]);
    expect(ownerOf(id)).toBe(reps[0]);
  });

  it('a breached SLA is recycled to the next user (old Task closed, new Task), then after recycle.maxTimes to the fallback', async () => {
    const { tenant, deps, reps, queue } = await setup();
    const id = lead(queue, {});
    const ref = { tenant, objectType: 'Lead', id };
    expect(await assignLead(deps, ref)).toEqual({ outcome: 'assigned', owner: reps[0] });
    const first = (await deps.assignments.get(tenant, 'Lead', id))!;

    now = first.assignedAt + DAY + 1000;
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'breached', owner: reps[0] });
    expect(ownerOf(id)).toBe(reps[0]);

    now = first.assignedAt + 2 * DAY + 1000;
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'recycled', owner: reps[1] });
    expect(ownerOf(id)).toBe(reps[1]);
    expect(org.get('Task', first.taskId)).toMatchObject({ IsClosed: true, Status: 'Completed', OwnerId: reps[0] });
    const second = (await deps.assignments.get(tenant, 'Lead', id))!;
    expect(second).toMatchObject({ owner: reps[1], recycles: 1 });
    expect(second.taskId).not.toBe(first.taskId);
    expect(org.get('Task', second.taskId)).toMatchObject({ WhoId: id, OwnerId: reps[1], IsClosed: false });
    expect(Date.parse(org.get('Task', second.taskId)!.ReminderDateTime as string)).toBe(second.assignedAt + DAY);
    expect(tasksOf(id).filter((t) => t.IsClosed === false)).toHaveLength(1);

    now = second.assignedAt + DAY + 1000;
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'breached', owner: reps[1] });
    now = second.assignedAt + 2 * DAY + 1000;
    expect(await checkSla(deps, ref)).toEqual({ outcome: 'fallback', owner: reps[3] });
    expect(ownerOf(id)).toBe(reps[3]);
    expect(org.get('Task', second.taskId)).toMatchObject({ IsClosed: true });
    const third = (await deps.assignments.get(tenant, 'Lead', id))!;
    expect(third).toMatchObject({ owner: reps[3], flagged: 1 });
    expect(org.get('Task', third.taskId)).toMatchObject({ WhoId: id, OwnerId: reps[3], IsClosed: false });
    expect(tasksOf(id)).toHaveLength(3);
    expect(tasksOf(id).filter((t) => t.IsClosed === false)).toHaveLength(1);
  });
});
