/** Turns stored records and definitions into the JSON HubSpot's v3 API answers with. */
import type { CrmRecord } from './store/crm-record';
import type { PropertyDefinition, PropertyGroup } from './store/default-properties';
import type { ObjectTypeInfo } from './store/object-types';
import type { Owner } from './store/owners';
import type { PropertyRegistry } from './store/property-registry';

/**
 * Which properties a response carries: the type's defaults when none were asked for; otherwise
 * the ones asked for that exist (null when unset) plus the id and the create/modify dates.
 * Names that are not properties are dropped silently, as HubSpot does.
 */
export function selectProperties(info: ObjectTypeInfo, registry: PropertyRegistry, requested: readonly string[] | undefined): string[] {
  if (!requested || requested.length === 0) return [...info.defaultProperties];
  const names = new Set<string>();
  for (const n of requested) if (registry.get(n)) names.add(n);
  names.add('hs_object_id');
  names.add(info.createdProperty);
  names.add(info.modifiedProperties[0] as string);
  return [...names];
}

export function renderRecord(record: CrmRecord, names: readonly string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = record.get(n) ?? null;
  const out: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
    ...extra,
  };
  if (record.archivedAt !== undefined) out.archivedAt = new Date(record.archivedAt).toISOString();
  return out;
}

/** A write's answer: the values written plus id and dates, as batch update and PATCH return them. */
export function renderWritten(record: CrmRecord, info: ObjectTypeInfo, written: readonly string[]): Record<string, unknown> {
  const names = new Set<string>(written);
  names.add('hs_object_id');
  names.add(info.createdProperty);
  for (const m of info.modifiedProperties) if (record.get(m) !== undefined) names.add(m);
  return renderRecord(record, [...names]);
}

export function renderProperty(p: PropertyDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {
    updatedAt: new Date(p.updatedAt).toISOString(),
    createdAt: new Date(p.createdAt).toISOString(),
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options.map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden, ...(o.description ? { description: o.description } : {}) })),
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
    formField: p.formField,
    dataSensitivity: 'non_sensitive',
  };
  if (p.referencedObjectType) out.referencedObjectType = p.referencedObjectType;
  if (p.archived) out.archived = true;
  return out;
}

export function renderGroup(g: PropertyGroup): Record<string, unknown> {
  return { name: g.name, label: g.label, displayOrder: g.displayOrder, archived: g.archived };
}

export function renderOwner(o: Owner): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email,
    type: o.type,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userIdIncludingInactive,
    createdAt: new Date(o.createdAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
    archived: o.archived,
    ...(o.teams.length ? { teams: o.teams } : {}),
  };
}
