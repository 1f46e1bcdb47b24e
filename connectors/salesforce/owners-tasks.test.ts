import nock from 'nock';
import { INSTANCE_URL, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { API, answerQueries, row } from '../../test/fixtures/salesforce/soql-nock';
import { SalesforceClients } from './client';
import { resolveOptions } from './options';
import { assignOwner, findAccountOwner, listOwners, websiteDomain } from './owners';
import { closeTask, createTask, getTaskStatus, lastSalesActivity } from './tasks';

const LEAD = '00Q5g00000ABCdeEAH';
const CONTACT = '0035g00000DEFghAAH';
const REP = '0055g00000REPabAAA';
const QUEUE = '00G5g00000QUEabAAA';
const TASK = '00T5g00000TSKabAAA';

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

describe('owners', () => {
  it('lists users (inactive ones too) and the queues that can own leads', async () => {
    answerQueries((q) =>
      q.startsWith('SELECT Id, IsActive FROM User')
        ? [row('User', REP, { IsActive: true }), row('User', '0055g00000OLDabAAA', { IsActive: false })]
        : q.startsWith('SELECT Id FROM Group WHERE Type = \'Queue\'')
          ? [row('Group', QUEUE)]
          : undefined,
    );
    expect(await listOwners(clients, tenant)).toEqual([
      { id: REP, active: true, kind: 'user', aliases: [REP.slice(0, 15)] },
      { id: '0055g00000OLDabAAA', active: false, kind: 'user', aliases: ['0055g00000OLDab'] },
      { id: QUEUE, active: true, kind: 'queue', aliases: [QUEUE.slice(0, 15)] },
    ]);
  });

  it('finds the owner of the account on exactly that domain', async () => {
    const { queries } = answerQueries(() => [
      row('Account', '0015g00000AAAA1AAA', { OwnerId: '0055g00000NOTabAAA', Website: 'https://notacme.example' }),
      row('Account', '0015g00000AAAA2AAA', { OwnerId: REP, Website: 'www.Acme.example/about' }),
    ]);
    expect(await findAccountOwner(clients, tenant, 'acme.example')).toBe(REP);
    expect(queries[0]).toContain("WHERE Website LIKE '%acme.example%'");
    expect(await findAccountOwner(clients, tenant, "x' OR Name != '")).toBeNull();
    expect(websiteDomain('http://WWW.globex.example:8080/x')).toBe('globex.example');
  });

  it('assigns without running assignment rules', async () => {
    const scope = nock(INSTANCE_URL, { reqheaders: { 'sforce-auto-assign': 'FALSE' } }).patch(`${API}/sobjects/Lead/${LEAD}`, { OwnerId: REP }).reply(204);
    await assignOwner(clients, tenant, 'Lead', LEAD, REP);
    expect(scope.isDone()).toBe(true);
    await expect(assignOwner(clients, tenant, 'Contact', CONTACT, QUEUE)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('SLA tasks', () => {
  it('creates a Task about the record (WhoId), owned by the rep, due at the SLA time', async () => {
    let body: Record<string, unknown> = {};
    nock(INSTANCE_URL)
      .post(`${API}/sobjects/Task`, (b: Record<string, unknown>) => {
        body = b;
        return true;
      })
      .reply(201, { id: TASK, success: true, errors: [] });
    const id = await createTask(clients, tenant, { objectType: 'Lead', recordId: LEAD, ownerId: REP, subject: 'Hot lead (score 81): call within 15 min', body: '+30 Requested a demo', dueAt: Date.parse('2026-11-22T10:15:00Z'), priority: 'high' });
    expect(id).toBe(TASK);
    expect(body).toEqual({
      WhoId: LEAD,
      Status: 'Not Started',
      OwnerId: REP,
      Subject: 'Hot lead (score 81): call within 15 min',
      Description: '+30 Requested a demo',
      Priority: 'High',
      ActivityDate: '2026-11-22',
      IsReminderSet: true,
      ReminderDateTime: '2026-11-22T10:15:00.000Z',
    });
    await expect(createTask(clients, tenant, { objectType: 'Lead', recordId: LEAD, ownerId: QUEUE, subject: 's', body: '', dueAt: 0, priority: 'normal' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('closes a task (a missing one is fine) and reads its status', async () => {
    nock(INSTANCE_URL).patch(`${API}/sobjects/Task/${TASK}`, { Status: 'Completed', Description: 'reassigned' }).reply(204).patch(`${API}/sobjects/Task/${TASK}`).reply(404, [{ errorCode: 'NOT_FOUND', message: 'gone' }]);
    await closeTask(clients, tenant, TASK, 'reassigned');
    await closeTask(clients, tenant, TASK, 'reassigned');
    let answer: unknown[] = [row('Task', TASK, { IsClosed: false })];
    answerQueries(() => answer);
    expect(await getTaskStatus(clients, tenant, TASK)).toEqual({ status: 'open' });
    answer = [row('Task', TASK, { IsClosed: true, CompletedDateTime: '2026-11-22T11:00:00.000+0000' })];
    expect(await getTaskStatus(clients, tenant, TASK)).toEqual({ status: 'completed', completedAt: Date.parse('2026-11-22T11:00:00Z') });
    answer = [];
    expect(await getTaskStatus(clients, tenant, TASK)).toEqual({ status: 'missing' });
  });

  it('the last sales activity is the newest closed task not closed by the connector, or started event', async () => {
    const { queries } = answerQueries((q) =>
      q.includes('FROM Task') ? [row('Task', TASK, { CompletedDateTime: '2026-11-21T09:00:00.000+0000' })] : q.includes('FROM Event') ? [row('Event', '00U5g00000EVTabAAA', { StartDateTime: '2026-11-21T15:00:00.000+0000' })] : undefined,
    );
    expect(await lastSalesActivity(clients, tenant, 'Lead', LEAD, '0055g00000XYZabAAH', Date.parse('2026-11-22T10:00:00Z'))).toBe(Date.parse('2026-11-21T15:00:00Z'));
    expect(queries[0]).toContain("AND (LastModifiedById != '0055g00000XYZabAAH' OR TaskSubtype IN ('Call','Email','ListEmail','LinkedIn'))");
    expect(queries[1]).toContain('StartDateTime <= 2026-11-22T10:00:00Z');
  });
});
