import { z } from 'zod';
import type { Lead } from '../../src/lead/lead';
import { convertValue, mapRecord, pathGetter } from '../../src/lead/map-record';
import { currentOutputOf } from '../shared/output-values';
import type { CrmRecord, OutputValues } from '../types';
import { outputNames, type HubSpotMapping } from './mapping';

/** The HubSpot object type the connector scores. */
export const CONTACT = 'contact';

/** Properties read on every contact besides the mapped ones. */
const ALWAYS = ['lastmodifieddate', 'hubspot_owner_id', 'email'] as const;

/** A HubSpot contact as the API returns it: `{id, properties}` (values are strings or null). */
export const hubspotContact = z
  .object({
    id: z.union([z.string().min(1), z.number().int().transform(String)]),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();
export type HubSpotContact = z.output<typeof hubspotContact>;

/** Every property to request: the mapped fields, our output properties, lastmodifieddate, hubspot_owner_id and email. */
export function propertiesToRequest(mapping: HubSpotMapping): string[] {
  const names = new Set<string>();
  for (const a of Object.values(mapping.attributes)) names.add(a.field);
  for (const name of Object.values(outputNames(mapping))) names.add(name);
  for (const name of ALWAYS) names.add(name);
  return [...names].sort();
}

/** A contact mapped to a Lead through the mapping's attributes. */
export function contactToLead(tenant: string, contact: HubSpotContact, mapping: HubSpotMapping): Lead {
  const attributes = mapRecord(mapping.attributes, pathGetter(contact.properties));
  const email = typeof attributes.email === 'string' ? attributes.email : (convertValue(contact.properties.email, 'email') as string | undefined);
  return { tenant, objectType: CONTACT, id: contact.id, ...(email ? { email } : {}), attributes, events: [] };
}

/** A contact as a CrmRecord: its lead, what our output properties hold now, and when it last changed. */
export function contactToRecord(tenant: string, contact: HubSpotContact, mapping: HubSpotMapping): CrmRecord {
  return {
    objectType: CONTACT,
    id: contact.id,
    lead: contactToLead(tenant, contact, mapping),
    current: currentOutput(contact.properties, mapping),
    modifiedAt: lastModifiedOf(contact) ?? 0,
    ownerId: ownerIdOf(contact),
  };
}

/** `hubspot_owner_id` (requested on every read), or null when the contact has no owner. */
export function ownerIdOf(contact: HubSpotContact): string | null {
  const v = contact.properties.hubspot_owner_id;
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Our output properties as they stand on the contact; empty or unreadable ones are left out. */
export function currentOutput(properties: Record<string, unknown>, mapping: HubSpotMapping): Partial<OutputValues> {
  return currentOutputOf((name) => properties[name], outputNames(mapping));
}

/** `lastmodifieddate` (ISO text, or epoch ms digits) in epoch ms; undefined when absent. */
export function lastModifiedOf(contact: HubSpotContact): number | undefined {
  const ms = convertValue(contact.properties.lastmodifieddate, 'date');
  return typeof ms === 'number' ? ms : undefined;
}
