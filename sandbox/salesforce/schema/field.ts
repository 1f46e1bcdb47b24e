/**
 * One field of an sObject as this sandbox models it, and the builders the object definitions use.
 * The names of the properties follow `describe` (type, length, precision, referenceTo, ...), so
 * rendering a describe result is mostly a copy.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'combobox'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url';

/** What a field holds in the store: datetimes as epoch ms (whole seconds), dates as `YYYY-MM-DD`. */
export type FieldValue = string | number | boolean | null;

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters, for text types. */
  length: number;
  /** Digits in all, and after the point, for number types. */
  precision: number;
  scale: number;
  /** Digits of an `int`. */
  digits: number;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** More than one possible parent type (`Owner`, `Who`, `What`): SOQL sees the parent as `Name`. */
  polymorphic: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  custom: boolean;
  calculated: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  /** A create without a value fails with REQUIRED_FIELD_MISSING. */
  required: boolean;
  defaultValue: FieldValue;
  defaultedOnCreate: boolean;
  extraTypeInfo: string | null;
  nameField: boolean;
  externalId: boolean;
  unique: boolean;
  idLookup: boolean;
  /** Long text areas: lines shown in the UI (Tooling API metadata). */
  visibleLines?: number;
  htmlFormatted?: boolean;
  inlineHelpText?: string | null;
  description?: string | null;
}

type Extra = Partial<FieldDef>;

function base(name: string, label: string, type: FieldType, extra: Extra): FieldDef {
  const isText = type === 'string' || type === 'textarea' || type === 'email' || type === 'phone' || type === 'url' || type === 'picklist' || type === 'combobox' || type === 'multipicklist';
  const isLongText = type === 'textarea' && (extra.length ?? 0) > 255;
  return {
    name,
    label,
    type,
    length: isText ? 255 : 0,
    precision: 0,
    scale: 0,
    digits: 0,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    polymorphic: false,
    createable: true,
    updateable: true,
    nillable: type !== 'boolean',
    custom: name.endsWith('__c'),
    calculated: false,
    filterable: !isLongText && type !== 'multipicklist',
    sortable: !isLongText && type !== 'multipicklist',
    groupable: !isLongText && type !== 'multipicklist' && type !== 'double' && type !== 'currency' && type !== 'percent' && type !== 'datetime',
    required: false,
    defaultValue: type === 'boolean' ? false : null,
    defaultedOnCreate: type === 'boolean',
    extraTypeInfo: null,
    nameField: false,
    externalId: false,
    unique: false,
    idLookup: false,
    ...extra,
  };
}

export const f = {
  id: (): FieldDef =>
    base('Id', 'Record ID', 'id', { length: 18, createable: false, updateable: false, nillable: false, defaultedOnCreate: true, idLookup: true }),
  text: (name: string, label: string, length = 255, extra: Extra = {}) => base(name, label, 'string', { length, ...extra }),
  textarea: (name: string, label: string, length = 32000, extra: Extra = {}) =>
    base(name, label, 'textarea', { length, extraTypeInfo: 'plaintextarea', ...extra }),
  email: (name: string, label: string, extra: Extra = {}) => base(name, label, 'email', { length: 80, idLookup: true, ...extra }),
  phone: (name: string, label: string, extra: Extra = {}) => base(name, label, 'phone', { length: 40, ...extra }),
  url: (name: string, label: string, extra: Extra = {}) => base(name, label, 'url', { length: 255, ...extra }),
  picklist: (name: string, label: string, values: readonly string[], extra: Extra & { default?: string } = {}) => {
    const { default: def, ...rest } = extra;
    return base(name, label, 'picklist', {
      length: 255,
      picklistValues: values.map((v) => ({ value: v, label: v, active: true, defaultValue: v === def })),
      defaultValue: null,
      defaultedOnCreate: def !== undefined,
      ...rest,
    });
  },
  combobox: (name: string, label: string, values: readonly string[], extra: Extra = {}) =>
    base(name, label, 'combobox', { length: 255, picklistValues: values.map((v) => ({ value: v, label: v, active: true, defaultValue: false })), ...extra }),
  bool: (name: string, label: string, extra: Extra = {}) => base(name, label, 'boolean', extra),
  int: (name: string, label: string, digits = 8, extra: Extra = {}) => base(name, label, 'int', { digits, ...extra }),
  double: (name: string, label: string, precision = 18, scale = 0, extra: Extra = {}) => base(name, label, 'double', { precision, scale, ...extra }),
  currency: (name: string, label: string, precision = 18, scale = 0, extra: Extra = {}) => base(name, label, 'currency', { precision, scale, ...extra }),
  date: (name: string, label: string, extra: Extra = {}) => base(name, label, 'date', extra),
  datetime: (name: string, label: string, extra: Extra = {}) => base(name, label, 'datetime', extra),
  ref: (name: string, label: string, referenceTo: string[], relationshipName: string | null, extra: Extra = {}) =>
    base(name, label, 'reference', { length: 18, referenceTo, relationshipName, polymorphic: referenceTo.length > 1, ...extra }),
};

/** A field the system sets: never createable or updateable. */
export function readOnly(field: FieldDef): FieldDef {
  return { ...field, createable: false, updateable: false };
}

/** Fields every sObject has. */
export function systemFields(): FieldDef[] {
  return [
    f.id(),
    readOnly(f.bool('IsDeleted', 'Deleted')),
    readOnly(f.datetime('CreatedDate', 'Created Date', { nillable: false, defaultedOnCreate: true })),
    readOnly(f.ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { nillable: false, defaultedOnCreate: true })),
    readOnly(f.datetime('LastModifiedDate', 'Last Modified Date', { nillable: false, defaultedOnCreate: true })),
    readOnly(f.ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', { nillable: false, defaultedOnCreate: true })),
    readOnly(f.datetime('SystemModstamp', 'System Modstamp', { nillable: false, defaultedOnCreate: true })),
  ];
}

export const SOAP_TYPES: Readonly<Record<FieldType, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  combobox: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

export function isTextType(type: FieldType): boolean {
  return SOAP_TYPES[type] === 'xsd:string';
}

export function isNumberType(type: FieldType): boolean {
  return type === 'int' || type === 'double' || type === 'currency' || type === 'percent';
}
