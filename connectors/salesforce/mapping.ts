import { outputNamesOf } from '../shared/output-values';
import type { AttributeMapping, EventSource, MappingConfig, OutputFields, OutputKey } from '../../src/config/mapping-schema';

/** The object types the Salesforce connector scores. */
export const LEAD = 'Lead';
export const CONTACT = 'Contact';
export const OBJECT_TYPES = [LEAD, CONTACT] as const;
export type SalesforceObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(t: string): t is SalesforceObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(t);
}

/** How one object type (Lead or Contact) becomes a Lead: its attributes and its event sources. */
export interface SalesforceObjectMapping {
  objectType: SalesforceObjectType;
  attributes: Readonly<Record<string, AttributeMapping>>;
  events: readonly EventSource[];
}

/** What the connector needs from `config/mappings/salesforce.yaml`. */
export interface SalesforceMapping {
  objects: Partial<Record<SalesforceObjectType, SalesforceObjectMapping>>;
  output: Readonly<OutputFields>;
}

const cache = new WeakMap<object, SalesforceMapping>();

/** The Salesforce mapping of a loaded config (`config.mappings.salesforce`, validated, defaults filled). */
export function salesforceMapping(config: { mappings: { salesforce: MappingConfig } }): SalesforceMapping {
  return salesforceMappingOf(config.mappings.salesforce);
}

/** The same from the validated mapping file itself. Cached per config object. */
export function salesforceMappingOf(m: MappingConfig): SalesforceMapping {
  const hit = cache.get(m);
  if (hit) return hit;
  const objects: SalesforceMapping['objects'] = {};
  for (const type of OBJECT_TYPES) {
    const o = m.objects[type];
    if (o) objects[type] = { objectType: type, attributes: o.attributes, events: o.events };
  }
  const mapping: SalesforceMapping = { objects, output: m.output };
  cache.set(m, mapping);
  return mapping;
}

/** The mapping of one object type; throws when the file has no section for it. */
export function objectMapping(mapping: SalesforceMapping, objectType: string): SalesforceObjectMapping {
  const o = isObjectType(objectType) ? mapping.objects[objectType] : undefined;
  if (!o) throw new Error(`the Salesforce mapping has no objects.${objectType} section (config/mappings/salesforce.yaml)`);
  return o;
}

/** The output names, in the contract's order. */
export function outputNames(mapping: SalesforceMapping): Record<OutputKey, string> {
  return outputNamesOf(mapping.output);
}

/**
 * The lookup field of an event source that points at the scored record. The mapping may name it
 * (`linkedBy`); otherwise CampaignMember uses LeadId or ContactId, Task and Event use WhoId, and
 * any other object `<Lead|Contact>Id`.
 */
export function linkFieldOf(source: EventSource, objectType: SalesforceObjectType): string {
  if (source.linkedBy) return source.linkedBy;
  if (source.from === 'Task' || source.from === 'Event') return 'WhoId';
  return `${objectType}Id`;
}
