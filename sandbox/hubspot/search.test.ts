import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

const op = FilterOperatorEnum;

describe('HubSpot sandbox: CRM search', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP, limits: { searchPerSecond: 10_000 } });
  });
  afterAll(() => sb.close());

  it('filters with EQ, NEQ, GT, GTE, LT, LTE, BETWEEN, IN, HAS_PROPERTY and NOT_HAS_PROPERTY', async () => {
    const portal = sb.createPortal(301);
    portal.seedContacts(
      [
        { email: 'a@x.example', lifecyclestage: 'lead', hs_analytics_num_page_views: '5', jobtitle: 'CEO' },
        { email: 'b@x.example', lifecyclestage: 'customer', hs_analytics_num_page_views: '50' },
        { email: 'c@x.example', lifecyclestage: 'lead', hs_analytics_num_page_views: '12', jobtitle: 'Engineer' },
        { email: 'd@y.example', lifecyclestage: 'subscriber' },
      ],
      { bare: true },
    );
    const client = sdk(sb, sb.issueToken(301).access_token);
    const emails = async (filters: { propertyName: string; operator: FilterOperatorEnum; value?: string; highValue?: string; values?: string[] }[]) => {
      const res = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters }], properties: ['email'], sorts: ['email'], limit: 100 });
      return res.results.map((r) => r.properties.email);
    };
    expect(await emails([{ propertyName: 'lifecyclestage', operator: op.Eq, value: 'lead' }])).toEqual(['a@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'lifecyclestage', operator: op.Neq, value: 'lead' }])).toEqual(['b@x.example', 'd@y.example']);
    expect(await emails([{ propertyName: 'hs_analytics_num_page_views', operator: op.Gt, value: '5' }])).toEqual(['b@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'hs_analytics_num_page_views', operator: op.Gte, value: '5' }])).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'hs_analytics_num_page_views', operator: op.Lt, value: '12' }])).toEqual(['a@x.example']);
    expect(await emails([{ propertyName: 'hs_analytics_num_page_views', operator: op.Lte, value: '12' }])).toEqual(['a@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'hs_analytics_num_page_views', operator: op.Between, value: '6', highValue: '50' }])).toEqual(['b@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'lifecyclestage', operator: op.In, values: ['customer', 'subscriber'] }])).toEqual(['b@x.example', 'd@y.example']);
    expect(await emails([{ propertyName: 'jobtitle', operator: op.HasProperty }])).toEqual(['a@x.example', 'c@x.example']);
    expect(await emails([{ propertyName: 'jobtitle', operator: op.NotHasProperty }])).toEqual(['b@x.example', 'd@y.example']);
    expect(await emails([{ propertyName: 'email', operator: op.ContainsToken, value: '*@y.example' }])).toEqual(['d@y.example']);
    // Filters in a group are ANDed; groups are ORed.
    const or = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: op.Eq, value: 'lead' }, { propertyName: 'jobtitle', operator: op.Eq, value: 'ceo' }] },
        { filters: [{ propertyName: 'lifecyclestage', operator: op.Eq, value: 'subscriber' }] },
      ],
      properties: ['email'],
      sorts: ['email'],
    });
    expect(or.results.map((r) => r.properties.email)).toEqual(['a@x.example', 'd@y.example']);
    expect(or.total).toBe(2);
  });

  it('sorts, pages with an offset in after, and reports the total; default properties without `properties`', async () => {
    const portal = sb.createPortal(302);
    portal.seedContacts(45, { seed: 302 });
    const client = sdk(sb, sb.issueToken(302).access_token);
    const seen: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const res = await client.crm.contacts.searchApi.doSearch({ sorts: ['-lastmodifieddate'], limit: 20, after });
      expect(res.total).toBe(45);
      seen.push(...res.results.map((r) => r.properties.lastmodifieddate!));
      after = res.paging?.next?.after;
      pages++;
      if (pages === 1) expect(Object.keys(res.results[0]!.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect([...seen].sort().reverse()).toEqual(seen);
    const objSort = await client.crm.contacts.searchApi.doSearch({ sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' } as unknown as string], limit: 200 });
    const created = objSort.results.map((r) => r.createdAt.getTime());
    expect([...created].sort((x, y) => x - y)).toEqual(created);
  });

  it('filters lastmodifieddate with epoch-ms strings and re-anchors past the 10,000-result cap', async () => {
    const portal = sb.createPortal(303);
    portal.seedContacts(10_050, { seed: 303 });
    const client = sdk(sb, sb.issueToken(303).access_token);
    const query = (since: string, after?: string) =>
      client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: op.Gte, value: since }] }],
        sorts: ['lastmodifieddate'],
        properties: ['lastmodifieddate'],
        limit: 200,
        after,
      });
    const first = await query('0');
    expect(first.total).toBe(10_050);
    // Paging ends at the cap: after + limit past 10,000 is a 400, even though paging.next points there.
    const last = await query('0', '9800');
    expect(last.paging?.next?.after).toBe('10000');
    const wall = await failure(query('0', '10000'));
    expect(wall.code).toBe(400);
    expect(wall.body.category).toBe('VALIDATION_ERROR');
    const wall2 = await failure(query('0', '9900'));
    expect(wall2.code).toBe(400);

    // Re-anchoring on the last value seen gets the rest.
    const anchor = Date.parse(last.results[last.results.length - 1]!.properties.lastmodifieddate!);
    const rest = await query(String(anchor));
    expect(rest.total).toBeGreaterThanOrEqual(50);
    expect(rest.total).toBeLessThan(60);
    expect(rest.results.every((r) => Date.parse(r.properties.lastmodifieddate!) >= anchor)).toBe(true);

    const over = await failure(client.crm.contacts.searchApi.doSearch({ limit: 201 }));
    expect(over.code).toBe(400);
  });

  it('makes writes searchable only after the index delay', async () => {
    sb.setSearchIndexDelay(150);
    try {
      const portal = sb.createPortal(304);
      const [c] = portal.seedContacts([{ email: 'slow@index.example', lifecyclestage: 'lead' }], { bare: true });
      const client = sdk(sb, sb.issueToken(304).access_token);
      const find = () => client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: op.Eq, value: 'customer' }] }] });
      await client.crm.contacts.basicApi.update(c!.id, { properties: { lifecyclestage: 'customer' } });
      expect((await client.crm.contacts.basicApi.getById(c!.id, ['lifecyclestage'])).properties.lifecyclestage).toBe('customer');
      expect((await find()).total).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      expect((await find()).total).toBe(1);
    } finally {
      sb.setSearchIndexDelay(0);
    }
  });

  it('searches companies by domain', async () => {
    const portal = sb.createPortal(305);
    const companies = portal.seedCompanies(20, { seed: 305 });
    const target = companies[7]!;
    const client = sdk(sb, sb.issueToken(305).access_token);
    const res = await client.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'domain', operator: op.Eq as never, value: target.properties.domain }] }],
      properties: ['domain', 'hubspot_owner_id', 'name'],
    });
    expect(res.results.map((r) => r.id)).toEqual([target.id]);
    expect(res.results[0]!.properties.domain).toMatch(/\.example$/);
    expect(res.results[0]!.properties).toHaveProperty('hubspot_owner_id');
    const batch = await client.crm.companies.batchApi.read({ inputs: [{ id: target.id }], properties: ['domain'], propertiesWithHistory: [] });
    expect(batch.results[0]!.properties.domain).toBe(target.properties.domain);
  });
});
