import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: properties and owners', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP });
  });
  afterAll(() => sb.close());

  it('creates a property group and properties (201), 409s a second create, then accepts writes to them', async () => {
    sb.createPortal(501).seedContacts(1, { seed: 501 });
    const client = sdk(sb, sb.issueToken(501).access_token);
    const group = await client.crm.properties.groupsApi.create('contacts', { name: 'lead_scoring', label: 'Lead scoring' });
    expect(group).toMatchObject({ name: 'lead_scoring', label: 'Lead scoring', archived: false });
    const groupAgain = await failure(client.crm.properties.groupsApi.create('contacts', { name: 'lead_scoring', label: 'Lead scoring' }));
    expect(groupAgain.code).toBe(409);
    expect((await client.crm.properties.groupsApi.getAll('contacts')).results.map((g) => g.name)).toContain('lead_scoring');

    const tier = await client.crm.properties.coreApi.create('contacts', {
      groupName: 'lead_scoring', name: 'lead_score_tier', label: 'Lead score tier', type: 'enumeration' as never, fieldType: 'select' as never,
      options: [{ label: 'Hot', value: 'hot', displayOrder: 0, hidden: false }, { label: 'Warm', value: 'warm', displayOrder: 1, hidden: false }, { label: 'Cold', value: 'cold', displayOrder: 2, hidden: false }],
    });
    expect(tier).toMatchObject({ name: 'lead_score_tier', type: 'enumeration', fieldType: 'select', groupName: 'lead_scoring', hubspotDefined: false });
    expect(tier.options.map((o) => o.value)).toEqual(['hot', 'warm', 'cold']);
    await client.crm.properties.coreApi.create('contacts', { groupName: 'lead_scoring', name: 'lead_score', label: 'Lead score', type: 'number' as never, fieldType: 'number' as never });

    const conflict = await failure(client.crm.properties.coreApi.create('contacts', { groupName: 'lead_scoring', name: 'lead_score', label: 'Lead score', type: 'number' as never, fieldType: 'number' as never }));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({ category: 'OBJECT_ALREADY_EXISTS', message: "Property named 'lead_score' already exists.", correlationId: expect.any(String) });

    expect((await client.crm.properties.coreApi.getByName('contacts', 'lead_score')).type).toBe('number');
    expect((await client.crm.properties.coreApi.getAll('contacts')).results.map((p) => p.name)).toEqual(expect.arrayContaining(['lead_score', 'email', 'lifecyclestage']));
    expect((await failure(client.crm.properties.coreApi.getByName('contacts', 'nope'))).code).toBe(404);

    const [contact] = await client.crm.contacts.getAll(1);
    const written = await client.crm.contacts.basicApi.update(contact!.id, { properties: { lead_score: '87', lead_score_tier: 'hot' } });
    expect(written.properties).toMatchObject({ lead_score: '87', lead_score_tier: 'hot' });
    const bad = await failure(client.crm.contacts.basicApi.update(contact!.id, { properties: { lead_score: 'high' } }));
    expect(bad.code).toBe(400);
  });

  it('lists owners with the archived filter and the email filter, and reads one', async () => {
    const portal = sb.createPortal(502, { owners: 3, archivedOwners: 2 });
    const client = sdk(sb, sb.issueToken(502).access_token);
    const active = await client.crm.owners.ownersApi.getPage();
    expect(active.results).toHaveLength(3);
    expect(active.results.every((o) => o.archived === false)).toBe(true);
    expect(active.results[0]).toMatchObject({ id: expect.any(String), email: expect.stringMatching(/@portal-502\.sandbox\.example$/), userId: expect.any(Number), type: 'PERSON' });
    const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, true);
    expect(archived.results).toHaveLength(2);
    expect(archived.results.every((o) => o.archived)).toBe(true);

    const paged = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2);
    expect(paged.results).toHaveLength(2);
    const next = await client.crm.owners.ownersApi.getPage(undefined, paged.paging!.next!.after, 2);
    expect(next.results).toHaveLength(1);

    const target = portal.owners[1]!;
    const byEmail = await client.crm.owners.ownersApi.getPage(target.email);
    expect(byEmail.results.map((o) => o.id)).toEqual([target.id]);
    expect((await client.crm.owners.ownersApi.getById(Number(target.id))).email).toBe(target.email);
    const gone = portal.owners.find((o) => o.archived)!;
    expect((await failure(client.crm.owners.ownersApi.getById(Number(gone.id)))).code).toBe(404);
    expect((await client.crm.owners.ownersApi.getById(Number(gone.id), 'id', true)).archived).toBe(true);
  });
});
