import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: batch endpoints', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP, limits: { perTenSeconds: 100_000 } });
  });
  afterAll(() => sb.close());

  it('batch-reads up to 100 contacts; missing ids make a 207 with the rest in results', async () => {
    const portal = sb.createPortal(401);
    const seeded = portal.seedContacts(5, { seed: 401 });
    const client = sdk(sb, sb.issueToken(401).access_token);
    const res = await client.crm.contacts.batchApi.read({ inputs: [{ id: seeded[0]!.id }, { id: '424242' }, { id: seeded[1]!.id }], properties: ['email'], propertiesWithHistory: [] });
    expect(res.results.map((r) => r.id).sort()).toEqual([seeded[0]!.id, seeded[1]!.id].sort());
    expect(res.status).toBe('COMPLETE');
    expect('numErrors' in res && res.numErrors).toBe(1);
    expect('errors' in res && res.errors?.[0]).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
      context: { ids: ['424242'] },
    });
    const raw = await fetch(`${sb.url}/crm/v3/objects/contacts/batch/read`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.issueToken(401).access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id: '424242' }], properties: [] }),
    });
    expect(raw.status).toBe(207);

    const byEmail = await client.crm.contacts.batchApi.read({ inputs: [{ id: seeded[2]!.properties.email! }], idProperty: 'email', properties: ['firstname'], propertiesWithHistory: [] });
    expect(byEmail.results[0]!.id).toBe(seeded[2]!.id);

    const tooMany = await failure(client.crm.contacts.batchApi.read({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })), properties: [], propertiesWithHistory: [] }));
    expect(tooMany.code).toBe(400);
  });

  it('batch-updates with a 207 for missing ids, applies the rest, and logs the exact body sent', async () => {
    const portal = sb.createPortal(402);
    const [a, b] = portal.seedContacts(2, { seed: 402 });
    const client = sdk(sb, sb.issueToken(402).access_token);
    const inputs = [
      { id: a!.id, properties: { hs_lead_status: 'OPEN' } },
      { id: '999999', properties: { hs_lead_status: 'OPEN' } },
      { id: b!.id, properties: { hs_lead_status: 'CONNECTED' } },
    ];
    const res = await client.crm.contacts.batchApi.update({ inputs });
    expect(res.results.map((r) => [r.id, r.properties.hs_lead_status])).toEqual([[a!.id, 'OPEN'], [b!.id, 'CONNECTED']]);
    expect('errors' in res && res.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } })]);
    expect(portal.getContact(a!.id)!.properties.hs_lead_status).toBe('OPEN');
    expect(portal.getContact(b!.id)!.properties.hs_lead_status).toBe('CONNECTED');
    const logged = sb.requestLog.filter((r) => r.route === 'POST /crm/v3/objects/contacts/batch/update' && r.portalId === 402);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.body).toEqual({ inputs });
    expect(logged[0]!.status).toBe(207);
  });

  it('refuses the whole batch when a property does not exist, and more than 100 inputs', async () => {
    const portal = sb.createPortal(403);
    const [a, b] = portal.seedContacts(2, { seed: 403 });
    const before = portal.getContact(a!.id)!.updatedAt;
    const client = sdk(sb, sb.issueToken(403).access_token);
    const err = await failure(
      client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { firstname: 'Changed' } }, { id: b!.id, properties: { lead_score: '80' } }] }),
    );
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    const listed = JSON.parse(String(err.body.message).replace(/^Property values were not valid: /, '')) as unknown[];
    expect(listed).toEqual([
      { isValid: false, message: 'Property "lead_score" does not exist', error: 'PROPERTY_DOESNT_EXIST', name: 'lead_score', localizedErrorMessage: 'Property "lead_score" does not exist', portalId: 403 },
    ]);
    expect(portal.getContact(a!.id)!.properties.firstname).not.toBe('Changed');
    expect(portal.getContact(a!.id)!.updatedAt).toBe(before);

    const tooMany = await failure(client.crm.contacts.batchApi.update({ inputs: Array.from({ length: 101 }, () => ({ id: a!.id, properties: { firstname: 'x' } })) }));
    expect(tooMany.code).toBe(400);
    const dupes = await failure(client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { firstname: 'x' } }, { id: a!.id, properties: { firstname: 'y' } }] }));
    expect(dupes.code).toBe(400);
  });

  it('gives a batch one modification time, later than any before it; merged ids update the surviving record', async () => {
    const portal = sb.createPortal(404);
    const [a, b, c] = portal.seedContacts(3, { seed: 404 });
    const client = sdk(sb, sb.issueToken(404).access_token);
    const r1 = await client.crm.contacts.batchApi.update({ inputs: [a!, b!].map((x) => ({ id: x.id, properties: { firstname: 'One' } })) });
    const r2 = await client.crm.contacts.batchApi.update({ inputs: [{ id: c!.id, properties: { firstname: 'Two' } }] });
    const t1 = r1.results.map((r) => r.updatedAt.getTime());
    expect(new Set(t1).size).toBe(1);
    expect(r2.results[0]!.updatedAt.getTime()).toBeGreaterThan(t1[0]!);

    portal.mergeContacts(a!.id, b!.id);
    const merged = await client.crm.contacts.batchApi.update({ inputs: [{ id: b!.id, properties: { jobtitle: 'Merged' } }] });
    expect(merged.results.map((r) => r.id)).toEqual([a!.id]);
    expect(portal.getContact(a!.id)!.properties.jobtitle).toBe('Merged');
  });
});
