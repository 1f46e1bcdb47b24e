import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { CrmRecord, FetchResult } from '../types';
import type { HubSpotClients } from './client';
import type { HubSpotMapping } from './mapping';
import { contactToRecord, hubspotContact, propertiesToRequest } from './to-lead';

/** HubSpot's batch endpoints take at most 100 records. */
export const BATCH_SIZE = 100;

/** A contact id is HubSpot's numeric object id; anything else cannot exist. */
export const CONTACT_ID = /^\d{1,20}$/;

const batchReadResponse = z.object({
  results: z.array(hubspotContact).default([]),
  errors: z.array(z.object({ category: z.string().optional(), message: z.string().optional() }).loose()).optional(),
});

/**
 * Reads contacts by id with `POST /crm/v3/objects/contacts/batch/read`, 100 per request. An id
 * HubSpot does not return (deleted, or merged away: HubSpot then returns the surviving contact under
 * its own id) is listed in `missing`; a 207's per-record errors name such ids too.
 */
export async function fetchContacts(clients: HubSpotClients, mapping: HubSpotMapping, tenant: string, ids: string[], signal?: AbortSignal): Promise<FetchResult> {
  const wanted = [...new Set(ids)];
  const missing = new Set(wanted.filter((id) => !CONTACT_ID.test(id)));
  const valid = wanted.filter((id) => !missing.has(id));
  const properties = propertiesToRequest(mapping);
  const records = new Map<string, CrmRecord>();

  for (let i = 0; i < valid.length; i += BATCH_SIZE) {
    const chunk = valid.slice(i, i + BATCH_SIZE);
    const raw = await clients.call(
      tenant,
      'general',
      (c) => c.crm.contacts.batchApi.read({ inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false),
      signal,
    );
    const parsed = batchReadResponse.safeParse(raw);
    if (!parsed.success) {
      throw new CrmError(`HubSpot's batch read answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
    }
    const returned = new Set<string>();
    for (const contact of parsed.data.results) {
      returned.add(contact.id);
      records.set(contact.id, contactToRecord(tenant, contact, mapping));
    }
    for (const id of chunk) if (!returned.has(id)) missing.add(id);
  }
  return { records: [...records.values()], missing: wanted.filter((id) => missing.has(id)) };
}
