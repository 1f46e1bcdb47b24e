/**
 * Checks property values the way HubSpot does before a write, and normalizes what it accepts:
 * unknown property → PROPERTY_DOESNT_EXIST, read-only → READ_ONLY_VALUE, a value outside an
 * enumeration → INVALID_OPTION, an owner that does not exist → INVALID_OWNER_ID, and so on.
 * Datetimes are stored as ISO strings with milliseconds, whether sent as ISO or as epoch ms.
 */
import type { PropertyValueError } from '../errors';
import type { PropertyDefinition } from './default-properties';
import type { OwnerStore } from './owners';
import type { PropertyRegistry } from './property-registry';

export interface CheckOptions {
  portalId: number;
  owners: OwnerStore;
  /** Test helpers write computed properties (page views, e-mail opens) as HubSpot itself would. */
  allowReadOnly: boolean;
}

export type CheckResult = { ok: true; values: Record<string, string | null> } | { ok: false; errors: PropertyValueError[] };

export function checkValues(registry: PropertyRegistry, input: Record<string, unknown>, opts: CheckOptions): CheckResult {
  const values: Record<string, string | null> = {};
  const errors: PropertyValueError[] = [];
  const fail = (name: string, error: string, message: string) =>
    errors.push({ isValid: false, message, error, name, localizedErrorMessage: message, portalId: opts.portalId });

  for (const [name, raw] of Object.entries(input)) {
    const def = registry.get(name);
    if (!def) {
      fail(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      continue;
    }
    if (def.readOnlyValue && !opts.allowReadOnly) {
      fail(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    if (raw === null || raw === undefined || raw === '') {
      values[name] = null;
      continue;
    }
    const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
    const checked = checkOne(def, text, opts);
    if ('error' in checked) fail(name, checked.error, checked.message);
    else values[name] = checked.value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

function checkOne(def: PropertyDefinition, text: string, opts: CheckOptions): { value: string } | { error: string; message: string } {
  switch (def.type) {
    case 'number': {
      const trimmed = text.trim();
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return { error: 'INVALID_FLOAT', message: `${text} is not a valid number` };
      return { value: trimmed };
    }
    case 'datetime': {
      const t = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (!Number.isFinite(t)) return { error: 'INVALID_DATE', message: `${text} is not a valid datetime; use epoch milliseconds or ISO 8601` };
      return { value: new Date(t).toISOString() };
    }
    case 'date': {
      const t = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (!Number.isFinite(t)) return { error: 'INVALID_DATE', message: `${text} is not a valid date` };
      if (t % 86_400_000 !== 0) return { error: 'INVALID_DATE', message: `${text} is not at midnight UTC; date properties only take midnight UTC` };
      return { value: new Date(t).toISOString().slice(0, 10) };
    }
    case 'bool': {
      const v = text.toLowerCase();
      if (v !== 'true' && v !== 'false') return { error: 'INVALID_BOOLEAN', message: `${text} is not a valid boolean` };
      return { value: v };
    }
    case 'enumeration': {
      if (def.referencedObjectType === 'OWNER') {
        if (!opts.owners.isAssignable(text)) return { error: 'INVALID_OWNER_ID', message: `${text} is not a valid owner id` };
        return { value: text };
      }
      if (def.options.length === 0) return { value: text };
      const allowed = new Set(def.options.map((o) => o.value));
      const parts = def.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = parts.find((p) => !allowed.has(p));
      if (bad !== undefined) {
        return { error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]` };
      }
      return { value: text };
    }
    default:
      if (text.length > 65536) return { error: 'INVALID_STRING', message: `value of ${def.name} is too long` };
      return { value: text };
  }
}
