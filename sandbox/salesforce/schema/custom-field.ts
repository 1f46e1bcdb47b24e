/**
 * Custom fields from Tooling API `CustomField` metadata: `{FullName: 'Lead.Lead_Score__c',
 * Metadata: {label, type, precision, scale, length, visibleLines, valueSet, ...}}` → the field a
 * describe then shows. Checks follow the Metadata API's rules for each type (Number needs
 * precision and scale, Text a length up to 255, LongTextArea 256 to 131,072 and visible lines,
 * Picklist a value set).
 */
import type { ApiError } from '../errors';
import { f, type FieldDef } from './field';

export interface CustomFieldMetadata {
  label?: string;
  type?: string;
  precision?: number;
  scale?: number;
  length?: number;
  visibleLines?: number;
  description?: string;
  inlineHelpText?: string;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  defaultValue?: string | null;
  valueSet?: {
    restricted?: boolean;
    valueSetDefinition?: { sorted?: boolean; value?: { fullName: string; label?: string; default?: boolean }[] };
  };
  /** The pre-38.0 form of picklist values. */
  picklist?: { picklistValues?: { fullName: string; default?: boolean }[]; restrictedPicklist?: boolean };
  [key: string]: unknown;
}

export interface ParsedCustomField {
  objectName: string;
  /** `Lead_Score` (no `__c`), as the Tooling API's `DeveloperName`. */
  developerName: string;
  field: FieldDef;
  metadata: CustomFieldMetadata;
}

const NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

function problem(message: string, fields: string[] = []): { ok: false; error: ApiError } {
  return { ok: false, error: { message, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields } };
}

/** Validates the metadata and builds the field; `objectExists` says whether the object takes custom fields. */
export function parseCustomField(
  fullName: unknown,
  metadata: unknown,
  objectExists: (name: string) => string | undefined,
): { ok: true; value: ParsedCustomField } | { ok: false; error: ApiError } {
  if (typeof fullName !== 'string' || !fullName.includes('.')) {
    return { ok: false, error: { message: 'Required fields are missing: [FullName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['FullName'] } };
  }
  const [objectPart, fieldPart] = fullName.split('.', 2) as [string, string];
  const objectName = objectExists(objectPart);
  if (!objectName) return { ok: false, error: { message: `Cannot find entity: ${objectPart}`, errorCode: 'INVALID_TYPE', fields: [] } };
  if (!fieldPart.endsWith('__c')) return problem(`The field name must end with __c: ${fieldPart}`, ['FullName']);
  const developerName = fieldPart.slice(0, -3);
  if (!NAME.test(developerName) || developerName.endsWith('_') || developerName.length > 40) {
    return problem(
      `Field Name: The API name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
      ['DeveloperName'],
    );
  }
  if (typeof metadata !== 'object' || metadata === null) {
    return { ok: false, error: { message: 'Required fields are missing: [Metadata]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Metadata'] } };
  }
  const md = metadata as CustomFieldMetadata;
  if (!md.label) return problem('Field Label: You must enter a value', ['Label']);
  if (String(md.label).length > 40) return problem('Field Label: data value too large (max length=40)', ['Label']);
  const name = `${developerName}__c`;
  const label = String(md.label);
  const common = { custom: true, description: md.description ?? null, inlineHelpText: md.inlineHelpText ?? null, externalId: md.externalId === true, unique: md.unique === true };
  let field: FieldDef;
  switch (md.type) {
    case 'Number':
    case 'Currency':
    case 'Percent': {
      const precision = Number(md.precision);
      const scale = Number(md.scale ?? 0);
      if (!Number.isInteger(precision) || precision < 1 || precision > 18) return problem('Length: You must enter a value between 1 and 18 for the total length (precision).', ['Precision']);
      if (!Number.isInteger(scale) || scale < 0 || scale > precision) return problem('Decimal Places: You must enter a value between 0 and the length (precision).', ['Scale']);
      field = md.type === 'Number' ? f.double(name, label, precision, scale, common) : md.type === 'Currency' ? f.currency(name, label, precision, scale, common) : { ...f.double(name, label, precision, scale, common), type: 'percent' };
      break;
    }
    case 'Text': {
      const length = Number(md.length);
      if (!Number.isInteger(length) || length < 1 || length > 255) return problem('Length: You must enter a value between 1 and 255.', ['Length']);
      field = f.text(name, label, length, common);
      break;
    }
    case 'TextArea':
      field = f.textarea(name, label, 255, common);
      break;
    case 'LongTextArea':
    case 'Html': {
      const length = Number(md.length);
      const lines = Number(md.visibleLines);
      if (!Number.isInteger(length) || length < 256 || length > 131072) return problem('Length: You must enter a value between 256 and 131,072.', ['Length']);
      if (!Number.isInteger(lines) || lines < 2 || lines > 50) return problem('# Visible Lines: You must enter a value between 2 and 50.', ['VisibleLines']);
      field = f.textarea(name, label, length, { ...common, visibleLines: lines, extraTypeInfo: md.type === 'Html' ? 'richtextarea' : 'plaintextarea', htmlFormatted: md.type === 'Html' });
      break;
    }
    case 'Picklist':
    case 'MultiselectPicklist': {
      const values = md.valueSet?.valueSetDefinition?.value ?? md.picklist?.picklistValues?.map((v) => ({ ...v, label: v.fullName })) ?? [];
      if (values.length === 0) return problem('Values: You must enter at least one value.', ['ValueSet']);
      const def = values.find((v) => v.default)?.fullName;
      field = f.picklist(name, label, values.map((v) => v.fullName), { ...common, default: def, restrictedPicklist: md.valueSet?.restricted ?? md.picklist?.restrictedPicklist ?? false });
      field.picklistValues = values.map((v) => ({ value: v.fullName, label: v.label ?? v.fullName, active: true, defaultValue: v.default === true }));
      if (md.type === 'MultiselectPicklist') field = { ...field, type: 'multipicklist', length: 4099, filterable: true, sortable: false, groupable: false };
      break;
    }
    case 'DateTime':
      field = f.datetime(name, label, common);
      break;
    case 'Date':
      field = f.date(name, label, common);
      break;
    case 'Checkbox':
      if (md.defaultValue === undefined || md.defaultValue === null) return problem('Default Value: You must enter a value', ['DefaultValue']);
      field = f.bool(name, label, { ...common, defaultValue: String(md.defaultValue) === 'true' });
      break;
    case 'Email':
      field = f.email(name, label, common);
      break;
    case 'Phone':
      field = f.phone(name, label, common);
      break;
    case 'Url':
      field = f.url(name, label, common);
      break;
    default:
      return { ok: false, error: { message: `Invalid type: ${String(md.type)}`, errorCode: 'INVALID_TYPE', fields: ['Type'] } };
  }
  if (md.required === true) field = { ...field, nillable: false, required: true };
  return { ok: true, value: { objectName, developerName, field, metadata: md } };
}
