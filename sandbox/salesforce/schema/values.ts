/**
 * Values in and out: Salesforce keeps date-times to the whole second and renders them as
 * `2026-11-02T10:00:00.000+0000` in JSON (`…Z` in SOAP); dates as `2026-11-02`. JSON input is
 * read the way Salesforce's deserializer reads it: lenient on numbers written as strings, strict on
 * shapes (an object where a value belongs is a JSON_PARSER_ERROR).
 */
import type { FieldDef, FieldValue } from './field';

/** Truncates epoch ms to the whole second (Salesforce's date-time precision). */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** `2026-11-02T10:00:00.000+0000`. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `2026-11-02T10:00:00.000Z` (SOAP, outbound messages). */
export function formatDateTimeZ(ms: number): string {
  return new Date(ms).toISOString();
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses ISO 8601 date-times as Salesforce accepts them (`Z`, `+00:00`, `+0000`; no zone = UTC). */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(ms) && validCalendar(Number(y), Number(mo), Number(d)) ? ms : undefined;
}

export function parseDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  return validCalendar(Number(m[1]), Number(m[2]), Number(m[3])) ? text.trim() : undefined;
}

function validCalendar(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A stored value as REST JSON renders it. */
export function renderValue(field: FieldDef, value: FieldValue | undefined): unknown {
  if (value === undefined || value === null) return field.type === 'boolean' ? false : null;
  if (field.type === 'datetime') return formatDateTime(value as number);
  return value;
}

/** A stored value as SOAP renders it (outbound messages); undefined for null. */
export function renderSoapValue(field: FieldDef, value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (field.type) {
    case 'datetime':
      return formatDateTimeZ(value as number);
    case 'double':
    case 'currency':
    case 'percent':
      return Number.isInteger(value) ? `${value as number}.0` : String(value);
    default:
      return String(value);
  }
}

/** Why a JSON value cannot be read into a field: Salesforce answers JSON_PARSER_ERROR for the request. */
export class JsonValueError extends Error {}

/**
 * Reads one JSON value into the store's form. Empty strings become null, as at Salesforce.
 * Throws JsonValueError when the deserializer would refuse the value.
 */
export function coerceInput(field: FieldDef, raw: unknown): FieldValue {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  if (typeof raw === 'object') throw new JsonValueError(cannotDeserialize(field, raw));
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new JsonValueError(cannotDeserialize(field, raw));
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      if (raw === '') return null;
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw new JsonValueError(cannotDeserialize(field, raw));
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date': {
      if (raw === '') return null;
      if (typeof raw !== 'string') throw new JsonValueError(cannotDeserialize(field, raw));
      const d = parseDate(raw) ?? (parseDateTime(raw) !== undefined ? raw.slice(0, 10) : undefined);
      if (!d) throw new JsonValueError(cannotDeserialize(field, raw));
      return d;
    }
    case 'datetime': {
      if (raw === '') return null;
      if (typeof raw !== 'string') throw new JsonValueError(cannotDeserialize(field, raw));
      const ms = parseDateTime(raw) ?? (parseDate(raw) ? parseDateTime(`${raw}T00:00:00Z`) : undefined);
      if (ms === undefined) throw new JsonValueError(cannotDeserialize(field, raw));
      return toSecond(ms);
    }
    default: {
      const s = typeof raw === 'string' ? raw : String(raw);
      return s === '' ? null : s;
    }
  }
}

function cannotDeserialize(field: FieldDef, raw: unknown): string {
  const javaType = field.type === 'boolean' ? 'boolean' : field.type === 'int' ? 'int' : field.type === 'date' ? 'date' : field.type === 'datetime' ? 'datetime' : field.type === 'double' || field.type === 'currency' || field.type === 'percent' ? 'double' : 'string';
  const token = typeof raw === 'string' ? 'VALUE_STRING' : typeof raw === 'number' ? 'VALUE_NUMBER_INT' : typeof raw === 'boolean' ? 'VALUE_TRUE' : Array.isArray(raw) ? 'START_ARRAY' : 'START_OBJECT';
  return `Cannot deserialize instance of ${javaType} from ${token} value ${typeof raw === 'object' ? JSON.stringify(raw) : String(raw)} or request may be missing a required field`;
}
