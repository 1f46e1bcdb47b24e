/** The CRM object types the sandbox serves, and what differs between them. */
export type ObjectType = 'contacts' | 'companies' | 'tasks';

export interface ObjectTypeInfo {
  type: ObjectType;
  /** Upper-case singular, as HubSpot names the type in messages ("Could not get some CONTACT objects"). */
  label: string;
  /** `0-1` style id. */
  typeId: string;
  singular: string;
  createdProperty: string;
  /** The first one is the type's canonical "last modified" property. */
  modifiedProperties: readonly string[];
  /** What list, get and search return when the request names no properties. */
  defaultProperties: readonly string[];
  /** Properties the free-text `query` of a search looks at. */
  queryProperties: readonly string[];
  /** Where this type's ids start, so ids of different types never collide in a test. */
  firstId: number;
  readScope: string;
  writeScope: string;
  schemaReadScope: string;
  schemaWriteScope: string;
}

export const OBJECT_TYPES: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    type: 'contacts',
    label: 'CONTACT',
    typeId: '0-1',
    singular: 'contact',
    createdProperty: 'createdate',
    modifiedProperties: ['lastmodifieddate', 'hs_lastmodifieddate'],
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    queryProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
    firstId: 1001,
    readScope: 'crm.objects.contacts.read',
    writeScope: 'crm.objects.contacts.write',
    schemaReadScope: 'crm.schemas.contacts.read',
    schemaWriteScope: 'crm.schemas.contacts.write',
  },
  companies: {
    type: 'companies',
    label: 'COMPANY',
    typeId: '0-2',
    singular: 'company',
    createdProperty: 'createdate',
    modifiedProperties: ['hs_lastmodifieddate'],
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    queryProperties: ['name', 'domain', 'website', 'phone'],
    firstId: 5_000_001,
    readScope: 'crm.objects.companies.read',
    writeScope: 'crm.objects.companies.write',
    schemaReadScope: 'crm.schemas.companies.read',
    schemaWriteScope: 'crm.schemas.companies.write',
  },
  tasks: {
    type: 'tasks',
    label: 'TASK',
    typeId: '0-27',
    singular: 'task',
    createdProperty: 'hs_createdate',
    modifiedProperties: ['hs_lastmodifieddate'],
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['hs_task_subject', 'hs_task_body'],
    firstId: 90_000_000_001,
    // Tasks and their associations are covered by the contacts scopes.
    readScope: 'crm.objects.contacts.read',
    writeScope: 'crm.objects.contacts.write',
    schemaReadScope: 'crm.schemas.contacts.read',
    schemaWriteScope: 'crm.schemas.contacts.write',
  },
};

/** Accepts `contacts`, `contact` and `0-1` (and the same for the other types). */
export function parseObjectType(raw: string): ObjectType | undefined {
  const s = raw.toLowerCase();
  for (const info of Object.values(OBJECT_TYPES)) {
    if (s === info.type || s === info.singular || s === info.typeId) return info.type;
  }
  return undefined;
}

export const ALL_SCOPES: readonly string[] = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.objects.owners.read',
];
