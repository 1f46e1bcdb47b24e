import { APP, VERSION, call, connect } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(51);

describe('Salesforce sandbox: the lead assignment rule and Sforce-Auto-Assign', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let leads: string[];
  let rep: string;
  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP });
    org = sb.createOrg(ORG);
    leads = org.seedLeads(10, { seed: 'assign', owners: { users: 1, queue: 0, admin: 0, inactive: 0 } });
    rep = org.activeUsers.find((u) => u.Id !== org.adminUserId)?.Id as string;
  });
  afterAll(() => sb.close());

  const owner = (id: string) => org.get('Lead', id)?.OwnerId;

  it('reassigns a lead to the rule owner (the "Unassigned Leads" queue) on an update without the header', async () => {
    const conn = connect(sb, ORG);
    const id = leads[0] as string;
    expect(owner(id)).toMatch(/^005/);
    await conn.sobject('Lead').update({ Id: id, Rating: 'Hot' });
    expect(owner(id)).toBe(org.queues[0]?.Id);
    expect(org.queues[0]?.Name).toBe('Unassigned Leads');
    // The composite call too, even when it sets OwnerId itself.
    const res = await conn.sobject('Lead').update([{ Id: leads[1] as string, OwnerId: rep }]);
    expect(res[0]?.success).toBe(true);
    expect(owner(leads[1] as string)).toBe(org.queues[0]?.Id);
  });

  it('leaves the owner alone with Sforce-Auto-Assign: FALSE (any case), single and composite', async () => {
    const conn = connect(sb, ORG);
    const before = owner(leads[2] as string);
    await conn.sobject('Lead').update({ Id: leads[2] as string, Rating: 'Warm' }, { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
    expect(owner(leads[2] as string)).toBe(before);
    await conn.sobject('Lead').update([{ Id: leads[3] as string, OwnerId: rep }], { headers: { 'Sforce-Auto-Assign': 'false' } });
    expect(owner(leads[3] as string)).toBe(rep);
    const raw = await call(sb, conn.accessToken as string, 'PATCH', `/services/data/v${VERSION}/sobjects/Lead/${leads[4]}`, { Title: 'VP' }, { 'sforce-auto-assign': 'False' });
    expect(raw.status).toBe(204);
    expect(owner(leads[4] as string)).toMatch(/^005/);
    const logged = sb.requestLog.filter((r) => r.method === 'PATCH').map((r) => r.headers['sforce-auto-assign']);
    expect(logged).toEqual([undefined, undefined, 'FALSE', 'false', 'False']);
  });

  it('runs on creates too, follows setAssignmentRule, and never on helper writes', async () => {
    const conn = connect(sb, ORG);
    const created = await conn.sobject('Lead').create({ LastName: 'Rule', Company: 'Acme Example', OwnerId: rep });
    expect(owner((created as { id: string }).id)).toBe(org.queues[0]?.Id);
    org.setAssignmentRule({ ownerId: rep });
    await conn.sobject('Lead').update({ Id: leads[5] as string, Rating: 'Cold' });
    expect(owner(leads[5] as string)).toBe(rep);
    org.setAssignmentRule(false);
    const other = org.activeUsers.find((u) => u.Id !== rep && u.Id !== org.adminUserId)?.Id as string;
    await conn.sobject('Lead').update({ Id: leads[6] as string, OwnerId: other });
    expect(owner(leads[6] as string)).toBe(other);
    org.setAssignmentRule({});
    org.update('Lead', leads[7] as string, { Rating: 'Hot' });
    expect(owner(leads[7] as string)).toMatch(/^005/);
  });

  it('refuses an inactive owner through the API', async () => {
    const conn = connect(sb, ORG);
    const inactive = org.users.find((u) => !u.IsActive)?.Id as string;
    const res = await conn.sobject('Lead').update([{ Id: leads[8] as string, OwnerId: inactive }], { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
    expect(res[0]).toEqual({ id: leads[8], success: false, errors: [{ statusCode: 'INACTIVE_OWNER_OR_USER', message: `operation performed with inactive user [${inactive}] as owner of lead`, fields: [] }] });
  });
});
