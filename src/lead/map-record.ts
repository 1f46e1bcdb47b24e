import type { AttributeMapping, AttributeType } from '../config/mapping-schema';
import { emailDomainOf, type AttributeValue } from './lead';

/** Reads a field of a raw CRM record by its path (`jobtitle`, `Account.Industry`). */
export type FieldGetter = (path: string) => unknown;

/**
 * Maps a raw CRM record to Lead attributes through the `attributes` section of a mapping file:
 * each canonical attribute is read from its field and converted to its type. Values that cannot be
 * read (`numemployees: "abc"`, an empty field) are left out, never thrown: CRM data is not ours to
 * validate. `emailDomain` is derived from `email` unless the mapping fills it.
 */
export function mapRecord(attributes: Readonly<Record<string, AttributeMapping>>, get: FieldGetter): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, mapping] of Object.entries(attributes)) {
    let raw: unknown;
    try {
      raw = get(mapping.field);
    } catch {
      raw = undefined;
    }
    const value = convertValue(raw, mapping.type);
    if (value !== undefined) out[name] = value;
  }
  if (typeof out.email === 'string' && out.emailDomain === undefined) {
    const domain = emailDomainOf(out.email);
    if (domain) out.emailDomain = domain;
  }
  return out;
}

/**
 * A getter over a plain record that follows dotted paths: `Account.Industry` reads
 * `record.Account.Industry` (a Salesforce relationship); a HubSpot contact passes its `properties`.
 */
export function pathGetter(record: unknown): FieldGetter {
  return (path) => {
    let v: unknown = record;
    for (const key of path.split('.')) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[key];
    }
    return v;
  };
}

/** Converts one raw CRM value to an attribute type; undefined when it cannot be read. */
export function convertValue(raw: unknown, type: AttributeType): AttributeValue {
  switch (type) {
    case 'string':
      return toText(raw);
    case 'number':
      return toNumber(raw);
    case 'range':
      return toRangeStart(raw);
    case 'date':
      return toEpochMs(raw);
    case 'boolean':
      return toBoolean(raw);
    case 'email':
      return toEmail(raw);
    case 'presence':
      return toText(raw) !== undefined;
  }
}

function toText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim() || undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw === 'boolean') return String(raw);
  return undefined;
}

const NUMBER = /^[-+]?(\d+(\.\d+)?|\.\d+|\d{1,3}(,\d{3})+(\.\d+)?)([eE][-+]?\d+)?$/;

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** `"25-50"` -> 25, `"25 to 50"` -> 25, `"1000+"` -> 1000, `"250"` -> 250, `"1,000-5,000"` -> 1000. */
function toRangeStart(raw: unknown): number | undefined {
  if (typeof raw === 'number') return toNumber(raw);
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const range = /^(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)$/i.exec(text);
  if (range?.[1] !== undefined && range[2] !== undefined) {
    const low = toNumber(range[1]);
    return low !== undefined && toNumber(range[2]) !== undefined ? low : undefined;
  }
  const plus = /^(.+?)\s*\+$/.exec(text);
  if (plus?.[1] !== undefined) return toNumber(plus[1]);
  return toNumber(text);
}

/** ISO 8601 text or epoch milliseconds (as a number or digits, as HubSpot sends them) -> epoch ms. */
function toEpochMs(raw: unknown): number | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.getTime();
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.trunc(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function toBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(text)) return true;
  if (['false', 'no', '0', 'n'].includes(text)) return false;
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function toEmail(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().toLowerCase();
  return EMAIL.test(text) ? text : undefined;
}
