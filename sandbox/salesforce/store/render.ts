/** Rows as the REST API renders them: `attributes` first, then the fields in describe order. */
import type { FieldDef } from '../schema/field';
import { renderValue } from '../schema/values';
import type { ObjectSchema } from './object-schema';
import type { Row } from './table';

export type ApiRecord = Record<string, unknown> & { attributes: { type: string; url: string } };

export function recordUrl(version: string, type: string, id: string, tooling = false): string {
  return `/services/data/v${version}/${tooling ? 'tooling/' : ''}sobjects/${type}/${id}`;
}

/** A row with the given fields (default: all), as `GET /sobjects/{type}/{id}` returns it. */
export function renderRow(schema: ObjectSchema, row: Row, version: string, fields?: readonly FieldDef[], tooling = false): ApiRecord {
  const out: ApiRecord = { attributes: { type: schema.name, url: recordUrl(version, schema.name, row.Id as string, tooling) } };
  for (const field of fields ?? schema.fields) out[field.name] = renderField(field, row[field.name]);
  return out;
}

export function renderField(field: FieldDef, value: Row[string] | undefined): unknown {
  if (field.extraTypeInfo === 'json') return typeof value === 'string' ? (JSON.parse(value) as unknown) : null;
  return renderValue(field, value);
}
