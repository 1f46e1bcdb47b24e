import { z } from 'zod';
import { convertValue } from '../../src/lead/map-record';
import { CrmError } from '../../src/errors/crm-error';
import type { HubSpotClients } from './client';
import { CONTACT_ID } from './fetch-records';

/** The contact properties HubSpot keeps current with the sales activity logged on a contact. */
export const SALES_ACTIVITY_PROPERTIES = ['hs_last_sales_activity_timestamp', 'notes_last_contacted'] as const;

const contact = z.object({ properties: z.record(z.string(), z.unknown()).default({}) }).loose();

/**
 * The latest of `hs_last_sales_activity_timestamp` (last call, email, meeting, ...) and
 * `notes_last_contacted` of a contact, epoch ms; null when neither is set or the contact is gone.
 */
export async function lastContactActivity(clients: HubSpotClients, tenant: string, contactId: string, signal?: AbortSignal): Promise<number | null> {
  if (!CONTACT_ID.test(contactId)) return null;
  let raw: unknown;
  try {
    raw = await clients.call(tenant, 'general', (c) => c.crm.contacts.basicApi.getById(contactId, [...SALES_ACTIVITY_PROPERTIES]), signal);
  } catch (err) {
    if (err instanceof CrmError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
  const parsed = contact.safeParse(raw);
  if (!parsed.success) throw new CrmError(`HubSpot's contact answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  const times = SALES_ACTIVITY_PROPERTIES.map((name) => convertValue(parsed.data.properties[name], 'date')).filter((t): t is number => typeof t === 'number');
  return times.length ? Math.max(...times) : null;
}
