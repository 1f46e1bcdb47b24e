import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import { APP, failure, sdk } from './test-support';
import { startHubSpotSandbox, type HubSpotSandbox } from './index';

describe('HubSpot sandbox: tasks', () => {
  let sb: HubSpotSandbox;
  beforeAll(async () => {
    sb = await startHubSpotSandbox({ ...APP });
  });
  afterAll(() => sb.close());

  it('creates an SLA task associated to the contact (type 204) and reads the association back (v4, type 203)', async () => {
    const portal = sb.createPortal(601);
    const [contact] = portal.seedContacts(1, { seed: 601 });
    const owner = portal.owners.find((o) => !o.archived)!;
    const client = sdk(sb, sb.issueToken(601).access_token);
    const due = new Date(Date.now() + 3600_000).toISOString();
    const task = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: due, hs_task_subject: 'Call hot lead (score 91)', hs_task_body: 'Requested a demo', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hubspot_owner_id: owner.id },
      associations: [{ to: { id: contact!.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 204 }] }],
    });
    expect(task.id).toMatch(/^\d+$/);
    expect(task.properties).toMatchObject({ hs_timestamp: due, hs_task_subject: 'Call hot lead (score 91)', hs_task_priority: 'HIGH', hubspot_owner_id: owner.id, hs_object_id: task.id });
    expect(portal.tasksForContact(contact!.id).map((t) => t.id)).toEqual([task.id]);

    const assoc = await client.crm.associations.v4.basicApi.getPage('contacts', contact!.id, 'tasks');
    expect(assoc.results).toEqual([expect.objectContaining({ toObjectId: Number(task.id), associationTypes: [expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 203 })] })]);

    const read = await client.crm.objects.tasks.basicApi.getById(task.id, ['hs_task_subject', 'hs_task_status'], undefined, ['contacts']);
    expect(read.properties.hs_task_status).toBe('NOT_STARTED');
    expect(read.associations?.contacts?.results).toEqual([expect.objectContaining({ id: contact!.id, type: 'task_to_contact' })]);

    const done = await client.crm.objects.tasks.basicApi.update(task.id, { properties: { hs_task_status: 'COMPLETED' } });
    expect(done.properties.hs_task_status).toBe('COMPLETED');
    expect(portal.tasks.get(task.id)!.properties.hs_task_completion_date).toEqual(expect.any(String));

    const batch = await client.crm.objects.tasks.batchApi.read({ inputs: [{ id: task.id }], properties: ['hs_task_subject'], propertiesWithHistory: [] });
    expect(batch.results[0]!.properties.hs_task_subject).toBe('Call hot lead (score 91)');
    const found = await client.crm.objects.tasks.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: FilterOperatorEnum.Eq, value: owner.id }] }], properties: ['hs_task_subject'] });
    expect(found.results.map((t) => t.id)).toEqual([task.id]);
  });

  it('refuses a task without hs_timestamp, with a bad priority, or associated to a contact that does not exist', async () => {
    const portal = sb.createPortal(602);
    const [contact] = portal.seedContacts(1, { seed: 602 });
    const client = sdk(sb, sb.issueToken(602).access_token);
    const noDue = await failure(client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'x' }, associations: [] }));
    expect(noDue.code).toBe(400);
    expect(noDue.body).toMatchObject({ category: 'VALIDATION_ERROR', context: { properties: ['hs_timestamp'] } });
    const badPriority = await failure(client.crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: String(Date.now()), hs_task_priority: 'URGENT' }, associations: [] }));
    expect(String(badPriority.body.message)).toContain('INVALID_OPTION');
    const badLink = await failure(
      client.crm.objects.tasks.basicApi.create({
        properties: { hs_timestamp: String(Date.now()) },
        associations: [{ to: { id: '1' }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 204 }] }],
      }),
    );
    expect(badLink.code).toBe(400);
    expect(portal.tasks.size).toBe(0);
    expect(portal.tasksForContact(contact!.id)).toEqual([]);
  });
});
