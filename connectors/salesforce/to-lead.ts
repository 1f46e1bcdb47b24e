import { z } from 'zod';
import type { EventSource } from '../../src/config/mapping-schema';
import type { Lead, LeadEvent } from '../../src/lead/lead';
import { convertValue, mapRecord, pathGetter } from '../../src/lead/map-record';
import { currentOutputOf } from '../shared/output-values';
import type { CrmRecord, OutputValues } from '../types';
import type { MappingConfig } from '../../src/config/mapping-schema';
import {
  isObjectType,
  linkFieldOf,
  objectMapping,
  outputNames,
  salesforceMappingOf,
  LEAD,
  type SalesforceMapping,
  type SalesforceObjectMapping,
  type SalesforceObjectType,
} from './mapping';

/**
 * A Salesforce record as the REST API returns it (a SOQL row, an sObject GET): `attributes.type`
 * names the object, `Id` is the 18-character id, relationship fields are nested objects
 * (`Account: {Industry: …}`), datetimes are ISO text (`2026-11-02T09:30:00.000+0000`).
 */
export const salesforceRecord = z
  .object({
    attributes: z.object({ type: z.string().min(1), url: z.string().optional() }).loose(),
    Id: z.string().regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, 'a Salesforce id is 15 or 18 letters and digits'),
  })
  .loose();
export type SalesforceRecord = z.output<typeof salesforceRecord>;

/** The related records of one scored record, one list per event source of its mapping (same order). */
export type RelatedRecords = readonly (readonly SalesforceRecord[])[];

/**
 * The child relationship a raw record may embed its related records under, as a SOQL sub-query
 * returns them (`Tasks: {records: […]}`): used when a record is mapped on its own (`explain`).
 */
const CHILD_RELATIONSHIPS: Record<string, string> = { CampaignMember: 'CampaignMembers', Task: 'Tasks', Event: 'Events' };

/** Fields read on every record besides the mapped ones. */
const ALWAYS = ['Id', 'SystemModstamp', 'OwnerId'] as const;
/** Lead fields the connector itself needs: a converted lead hands over to its contact. */
const LEAD_ALWAYS = ['IsConverted', 'ConvertedContactId'] as const;

/** Parses a raw record (from a file or a response); throws a readable message when it is not one. */
export function parseSalesforceRecord(raw: unknown): SalesforceRecord {
  const parsed = salesforceRecord.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a Salesforce record: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The mapping of either form: the connector's `SalesforceMapping` or the validated mapping file itself. */
export type AnySalesforceMapping = SalesforceMapping | MappingConfig;

function asMapping(m: AnySalesforceMapping): SalesforceMapping {
  return 'crm' in m ? salesforceMappingOf(m) : m;
}

/**
 * The mapping of one object type, or undefined when the mapping does not score that type (for
 * `explain`, which reports it): `objectMappingOf(config.mappings.salesforce, record.attributes.type)`.
 */
export function objectMappingOf(mapping: AnySalesforceMapping, objectType: string): SalesforceObjectMapping | undefined {
  return isObjectType(objectType) ? asMapping(mapping).objects[objectType] : undefined;
}

/** Every field to SELECT for a record of this type: Id, SystemModstamp, OwnerId, the mapped fields and our output fields (and the conversion fields of a Lead). */
export function fieldsToSelect(mapping: SalesforceMapping, objectType: string): string[] {
  const o = objectMapping(mapping, objectType);
  const names = new Set<string>(ALWAYS);
  if (o.objectType === LEAD) for (const f of LEAD_ALWAYS) names.add(f);
  for (const a of Object.values(o.attributes)) names.add(a.field);
  const n = outputNames(mapping);
  for (const f of [n.score, n.fit, n.engagement, n.tier, n.reasons, n.model]) names.add(f);
  return sortFields(names);
}

/** Every field to SELECT from an event source: Id, its link to the lead, its date, its `when` fields and its properties. */
export function eventFieldsToSelect(source: EventSource, objectType: SalesforceObjectType): string[] {
  const names = new Set<string>(['Id', linkFieldOf(source, objectType), source.at]);
  for (const f of Object.keys(source.when ?? {})) names.add(f);
  for (const f of Object.values(source.properties)) names.add(f);
  return sortFields(names);
}

/** Id first, then the rest alphabetically, case-insensitively de-duplicated (SOQL field names are not case-sensitive). */
function sortFields(names: Set<string>): string[] {
  const byLower = new Map<string, string>();
  for (const n of names) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
  return [...byLower.values()].sort((a, b) => (a === 'Id' ? -1 : b === 'Id' ? 1 : a.localeCompare(b)));
}

/** A record mapped to a Lead: its attributes through the mapping, its events from its related records. */
export function salesforceRecordToLead(tenant: string, record: SalesforceRecord, mapping: AnySalesforceMapping, related?: RelatedRecords): Lead {
  const type = record.attributes.type;
  const o = objectMappingOf(mapping, type);
  if (!o) throw new Error(`record ${record.Id} is a ${type}; the Salesforce mapping scores ${Object.keys(asMapping(mapping).objects).join(' and ')}`);
  const attributes = mapRecord(o.attributes, pathGetter(record));
  const email = typeof attributes.email === 'string' ? attributes.email : (convertValue(record.Email, 'email') as string | undefined);
  const events = eventsOf(o, related ?? embeddedRelated(record, o));
  return { tenant, objectType: o.objectType, id: record.Id, ...(email ? { email } : {}), attributes, events };
}

/** A record as a CrmRecord: its lead, what our output fields hold now, when it last changed (SystemModstamp), and its owner. */
export function salesforceRecordToCrmRecord(tenant: string, record: SalesforceRecord, mapping: AnySalesforceMapping, related?: RelatedRecords): CrmRecord {
  const lead = salesforceRecordToLead(tenant, record, mapping, related);
  const owner = record.OwnerId;
  return {
    objectType: lead.objectType,
    id: record.Id,
    lead,
    current: currentOutput(record, asMapping(mapping)),
    modifiedAt: modifiedAtOf(record) ?? 0,
    ...(owner === undefined ? {} : { ownerId: typeof owner === 'string' && owner ? owner : null }),
  };
}

/** SystemModstamp (changes with every change, including system ones), else LastModifiedDate, in epoch ms. */
export function modifiedAtOf(record: SalesforceRecord): number | undefined {
  for (const field of ['SystemModstamp', 'LastModifiedDate']) {
    const ms = convertValue(record[field], 'date');
    if (typeof ms === 'number') return ms;
  }
  return undefined;
}

/** Our output fields as they stand on the record; empty or unreadable ones are left out. */
export function currentOutput(record: SalesforceRecord, mapping: SalesforceMapping): Partial<OutputValues> {
  return currentOutputOf((field) => record[field], outputNames(mapping));
}

/** The events of a record: each event source's related records that pass its `when`, dated by its `at` field. */
export function eventsOf(o: SalesforceObjectMapping, related: RelatedRecords): LeadEvent[] {
  const events: LeadEvent[] = [];
  o.events.forEach((source, i) => {
    for (const r of related[i] ?? []) {
      const event = toEvent(source, r);
      if (event) events.push(event);
    }
  });
  return events;
}

/** One related record as an event; undefined when it fails the source's `when` or has no date. */
export function toEvent(source: EventSource, record: SalesforceRecord): LeadEvent | undefined {
  const get = pathGetter(record);
  for (const [field, expected] of Object.entries(source.when ?? {})) {
    const actual = get(field);
    const options = Array.isArray(expected) ? expected : [expected];
    if (!options.some((e) => sameValue(actual, e))) return undefined;
  }
  const at = convertValue(get(source.at), 'date');
  if (typeof at !== 'number') return undefined;
  const properties: Record<string, string | number | boolean | null> = {};
  for (const [name, field] of Object.entries(source.properties)) {
    const v = get(field);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) properties[name] = v;
  }
  return { type: source.type, at, ...(Object.keys(properties).length ? { properties } : {}) };
}

/** A `when` value matches a field value: exactly, or once read as the same type (a checkbox `"true"` is `true`). */
function sameValue(actual: unknown, expected: string | number | boolean | null): boolean {
  if (expected === null) return actual === null || actual === undefined || actual === '';
  if (actual === expected) return true;
  if (typeof expected === 'boolean') return convertValue(actual, 'boolean') === expected;
  if (typeof expected === 'number') return convertValue(actual, 'number') === expected;
  return false;
}

/**
 * Related records a raw record carries itself, as a SOQL parent-child sub-query returns them
 * (`Tasks: {totalSize, done, records: […]}`, or a plain array): under the standard child
 * relationship name (CampaignMembers, Tasks, Events) or the object name. Lets `explain --crm
 * salesforce` score a record saved with its activity; the connector fetches related records in bulk.
 */
function embeddedRelated(record: SalesforceRecord, o: SalesforceObjectMapping): RelatedRecords {
  return o.events.map((source) => {
    for (const key of [CHILD_RELATIONSHIPS[source.from], `${source.from}s`, source.from]) {
      if (!key) continue;
      const v = record[key] as unknown;
      const list = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records) ? (v as { records: unknown[] }).records : undefined;
      if (list) return list.flatMap((r) => {
        const parsed = salesforceRecord.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    }
    return [];
  });
}
