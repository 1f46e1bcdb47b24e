import type { Client } from '@hubspot/api-client';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { HubSpotClients } from './client';
import type { HubSpotMapping } from './mapping';
import { scorePropertyDefinitions, type PropertyDefinition } from './score-properties';

const log = childLogger('hubspot');

type PropertyCreate = Parameters<Client['crm']['properties']['coreApi']['create']>[1];
type PropertyUpdate = Parameters<Client['crm']['properties']['coreApi']['update']>[2];

/**
 * Creates the property group (`lead_scoring`, "Lead scoring") and the seven score properties on
 * contacts. Idempotent: what exists already (409) is checked instead; a missing tier option is added;
 * a property that exists with another type cannot be written and is reported, all at once, as a
 * non-retryable CrmError naming each property, its type and what it must be.
 */
export async function setupContactProperties(clients: HubSpotClients, mapping: HubSpotMapping, tenant: string): Promise<void> {
  await createGroup(clients, mapping, tenant);
  const problems: string[] = [];
  for (const def of scorePropertyDefinitions(mapping)) {
    const problem = await ensureProperty(clients, tenant, def);
    if (problem) problems.push(problem);
  }
  if (problems.length) {
    throw new CrmError(`cannot write scores to ${tenant}: ${problems.join('; ')}`, 'INVALID_REQUEST', false, { crm: 'hubspot', tenant });
  }
  log.info('HubSpot score properties are in place', { tenant, group: mapping.group });
}

function isConflict(err: unknown): boolean {
  return err instanceof CrmError && err.details.status === 409;
}

async function createGroup(clients: HubSpotClients, mapping: HubSpotMapping, tenant: string): Promise<void> {
  try {
    await clients.call(tenant, 'general', (c) => c.crm.properties.groupsApi.create('contacts', { name: mapping.group, label: 'Lead scoring', displayOrder: -1 }));
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
}

/** Creates one property, or checks the one that exists; returns a problem to report, if any. */
async function ensureProperty(clients: HubSpotClients, tenant: string, def: PropertyDefinition): Promise<string | undefined> {
  try {
    await clients.call(tenant, 'general', (c) => c.crm.properties.coreApi.create('contacts', def as unknown as PropertyCreate));
    return undefined;
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  const existing = await clients.call(tenant, 'general', (c) => c.crm.properties.coreApi.getByName('contacts', def.name));
  if (existing.type !== def.type) {
    return `contact property "${def.name}" exists as ${existing.type}/${existing.fieldType} but must be ${def.type}/${def.fieldType}: delete it in HubSpot (Settings > Properties) or name another property in config/mappings/hubspot.yaml (output)`;
  }
  if (existing.fieldType !== def.fieldType) {
    log.warn('a HubSpot score property has another field type than the one we create; values still fit', { tenant, property: def.name, fieldType: existing.fieldType });
  }
  if (def.options) {
    const have = new Set((existing.options ?? []).map((o) => o.value));
    const missing = def.options.filter((o) => !have.has(o.value));
    if (missing.length) {
      const options = [...(existing.options ?? []).map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden ?? false })), ...missing];
      await clients.call(tenant, 'general', (c) => c.crm.properties.coreApi.update('contacts', def.name, { options } as unknown as PropertyUpdate));
      log.info('added missing options to a HubSpot score property', { tenant, property: def.name, options: missing.map((o) => o.value) });
    }
  }
  return undefined;
}
