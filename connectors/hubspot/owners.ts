import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { CrmOwner } from '../types';
import type { HubSpotClients } from './client';
import { CONTACT_ID } from './fetch-records';

/** `GET /crm/v3/owners` takes up to 500 a page. */
const PAGE = 500;

const ownerPage = z.object({
  results: z
    .array(
      z
        .object({
          id: z.union([z.string().min(1), z.number().int().transform(String)]),
          archived: z.boolean().optional(),
          type: z.string().optional(),
        })
        .loose(),
    )
    .default([]),
  paging: z.object({ next: z.object({ after: z.string() }).loose().optional() }).loose().optional(),
});

/**
 * Every owner of the portal: active ones (`archived=false`) and archived ones (`archived=true`,
 * listed inactive so routing skips them and treats a lead they own as unowned). HubSpot owners of
 * type `QUEUE` are queues; the rest are users.
 */
export async function listHubSpotOwners(clients: HubSpotClients, tenant: string, signal?: AbortSignal): Promise<CrmOwner[]> {
  const out = new Map<string, CrmOwner>();
  for (const archived of [false, true]) {
    let after: string | undefined;
    for (let pages = 0; pages < 1_000; pages++) {
      const raw = await clients.call(tenant, 'general', (c) => c.crm.owners.ownersApi.getPage(undefined, after, PAGE, archived), signal);
      const parsed = ownerPage.safeParse(raw);
      if (!parsed.success) throw new CrmError(`HubSpot's owner list is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
      for (const o of parsed.data.results) {
        // an id listed both ways (archived while we paged) counts as archived
        if (!out.has(o.id) || archived) out.set(o.id, { id: o.id, active: !(o.archived ?? archived), kind: o.type === 'QUEUE' ? 'queue' : 'user' });
      }
      after = parsed.data.paging?.next?.after;
      if (!after) break;
    }
  }
  return [...out.values()];
}

/** Sets the contact's owner (`hubspot_owner_id`). HubSpot refuses an unknown or archived owner with a 400. */
export async function assignContactOwner(clients: HubSpotClients, tenant: string, contactId: string, ownerId: string, signal?: AbortSignal): Promise<void> {
  if (!CONTACT_ID.test(contactId)) throw new CrmError(`"${contactId}" is not a HubSpot contact id`, 'NOT_FOUND', false, { crm: 'hubspot', tenant });
  await clients.call(tenant, 'general', (c) => c.crm.contacts.basicApi.update(contactId, { properties: { hubspot_owner_id: ownerId } }), signal);
}
