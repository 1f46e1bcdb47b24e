import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: contacts', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP, limits: { perTenSeconds: 100_000 } });
  });
  afterAll(() => sb.close());

  it('seeds realistic contacts reproducibly from a seed', () => {
    const now = Date.UTC(2026, 9, 1);
    const a = sb.createPortal(201).seedContacts(200, { seed: 'same', now });
    const b = sb.createPortal(202).seedContacts(200, { seed: 'same', now });
    expect(a.map((r) => r.properties)).toEqual(b.map((r) => r.properties));
    const c = a[0]!.properties;
    for (const name of ['firstname', 'lastname', 'email', 'jobtitle', 'industry', 'numemployees', 'country', 'lifecyclestage', 'createdate', 'lastmodifieddate', 'hs_object_id', 'hs_analytics_num_page_views', 'hs_email_open', 'num_conversion_events']) {
      expect(c[name]).toEqual(expect.any(String));
    }
    expect(c.email).toMatch(/@[a-z0-9]+\.example$/);
    expect(['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+']).toContain(c.numemployees);
    expect(a.every((r) => r.updatedAt >= r.createdAt && r.updatedAt < now)).toBe(true);
    expect(new Set(a.map((r) => r.properties.lifecyclestage)).size).toBeGreaterThan(2);
    expect(a.some((r) => Number(r.properties.hs_analytics_num_page_views) > 20)).toBe(true);
    // Owners: only active ones are assigned.
    const active = new Set(sb.portal(201)!.owners.filter((o) => !o.archived).map((o) => o.id));
    const owned = a.filter((r) => r.properties.hubspot_owner_id);
    expect(owned.length).toBeGreaterThan(20);
    expect(owned.every((r) => active.has(r.properties.hubspot_owner_id!))).toBe(true);
  });

  it('lists every contact in pages of at most 100, following paging.next.after', async () => {
    const portal = sb.createPortal(203);
    portal.seedContacts(250, { seed: 3 });
    const client = sdk(sb, sb.issueToken(203).access_token);
    const all = await client.crm.contacts.getAll(100, undefined, ['email', 'jobtitle', 'not_a_property']);
    expect(all).toHaveLength(250);
    expect(new Set(all.map((c) => c.id)).size).toBe(250);
    expect(all[0]!.properties).toEqual({
      email: expect.any(String),
      jobtitle: expect.any(String),
      hs_object_id: all[0]!.id,
      createdate: expect.any(String),
      lastmodifieddate: expect.any(String),
    });
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
    const pages = sb.requestLog.filter((r) => r.route === 'GET /crm/v3/objects/contacts' && r.portalId === 203);
    expect(pages).toHaveLength(3);

    // A limit over 100 still gives 100.
    const big = await client.crm.contacts.basicApi.getPage(500);
    expect(big.results).toHaveLength(100);
    expect(big.paging?.next?.after).toBeDefined();
    // Without `properties`, HubSpot's default set.
    expect(Object.keys(big.results[0]!.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
  });

  it('reads one contact by id or by email, 404s an unknown one, and returns null for unset requested properties', async () => {
    const portal = sb.createPortal(204);
    const [c] = portal.seedContacts([{ email: 'ada@lovelace.example', firstname: 'Ada' }], { bare: true });
    const client = sdk(sb, sb.issueToken(204).access_token);
    const byId = await client.crm.contacts.basicApi.getById(c!.id, ['firstname', 'jobtitle']);
    expect(byId.properties).toMatchObject({ firstname: 'Ada', jobtitle: null });
    const byEmail = await client.crm.contacts.basicApi.getById('ADA@lovelace.example', ['firstname'], undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(c!.id);
    const missing = await failure(client.crm.contacts.basicApi.getById('99999999'));
    expect(missing.code).toBe(404);
  });

  it('deletes (archives) and merges contacts like HubSpot', async () => {
    const portal = sb.createPortal(205);
    const [a, b, c] = portal.seedContacts(3, { seed: 5 });
    const client = sdk(sb, sb.issueToken(205).access_token);

    portal.deleteContact(c!.id);
    expect((await client.crm.contacts.getAll()).map((r) => r.id)).toEqual([a!.id, b!.id]);
    const archived = await client.crm.contacts.basicApi.getPage(10, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => [r.id, r.archived])).toEqual([[c!.id, true]]);
    expect((await failure(client.crm.contacts.basicApi.getById(c!.id))).code).toBe(404);

    portal.mergeContacts(a!.id, b!.id);
    const viaOld = await client.crm.contacts.basicApi.getById(b!.id, ['hs_merged_object_ids']);
    expect(viaOld.id).toBe(a!.id);
    expect(viaOld.properties.hs_merged_object_ids).toBe(b!.id);
  });

  it('creates and updates single contacts, bumping lastmodifieddate at ms precision, strictly increasing', async () => {
    sb.createPortal(206);
    const client = sdk(sb, sb.issueToken(206).access_token);
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'new@lead.example', firstname: 'New' }, associations: [] });
    const stamps = [created.properties.lastmodifieddate];
    for (let i = 0; i < 5; i++) {
      const u = await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: `Name ${i}` } });
      stamps.push(u.properties.lastmodifieddate);
      expect(u.properties.hs_lastmodifieddate).toBe(u.properties.lastmodifieddate);
    }
    const times = stamps.map((s) => Date.parse(s!));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    expect(stamps[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    // A write that changes nothing leaves the record alone.
    const same = await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'Name 4' } });
    expect(same.properties.lastmodifieddate).toBe(stamps[5]);

    const ro = await failure(client.crm.contacts.basicApi.update(created.id, { properties: { hs_analytics_num_page_views: '5' } }));
    expect(ro.code).toBe(400);
    expect(String(ro.body.message)).toContain('READ_ONLY_VALUE');
    const option = await failure(client.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'hot-lead' } }));
    expect(String(option.body.message)).toContain('INVALID_OPTION');
    const owner = await failure(client.crm.contacts.basicApi.update(created.id, { properties: { hubspot_owner_id: '1' } }));
    expect(String(owner.body.message)).toContain('INVALID_OWNER_ID');
  });
});
