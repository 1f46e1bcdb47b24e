/**
 * Field paths of a query (`Email`, `Account.Industry`, `Owner.IsActive`) resolved against the org's
 * schema as the running user sees it (a custom field without read access is "No such column"),
 * and turned into getters over rows.
 */
import type { FieldDef, FieldValue } from '../schema/field';
import type { FieldAccess } from '../store/field-access';
import type { ObjectSchema } from '../store/object-schema';
import type { SalesforceOrg } from '../store/org';
import type { Row } from '../store/table';
import { soqlError } from './soql-error';

export interface QueryEnv {
  org: SalesforceOrg;
  access: FieldAccess;
  /** API version of the request, for record URLs. */
  version: string;
  /** Tooling API queries read the tooling objects. */
  tooling: boolean;
  /** Whole text of the top-level query, for error positions. */
  soql: string;
  now: number;
}

export interface Step {
  /** The lookup field followed (`AccountId`). */
  via: FieldDef;
  /** Canonical relationship name (`Account`). */
  relationship: string;
  /** The parent's schema (`Name` for polymorphic lookups). */
  schema: ObjectSchema;
  polymorphic: boolean;
}

export interface ResolvedPath {
  steps: Step[];
  field: FieldDef;
  /** Canonical path, e.g. `Account.Industry`. */
  canonical: string;
}

export function objectSchema(env: QueryEnv, name: string): ObjectSchema | undefined {
  return env.tooling ? env.org.toolingSchema(name) : env.org.schema(name);
}

export function lookupRow(env: QueryEnv, type: string, id: string): Row | undefined {
  return env.tooling ? env.org.toolingTable(type).get(id) : env.org.table(type).get(id);
}

/** Resolves a path from `schema`; `alias` (or the object's name) may prefix it. */
export function resolvePath(env: QueryEnv, schema: ObjectSchema, path: string, pos: number, alias?: string): ResolvedPath {
  let parts = path.split('.');
  if (parts.length > 1 && (parts[0]?.toLowerCase() === alias?.toLowerCase() || parts[0]?.toLowerCase() === schema.name.toLowerCase()) && !schema.relationship(parts[0] as string)) {
    parts = parts.slice(1);
  }
  const steps: Step[] = [];
  let current = schema;
  const canonical: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const name = parts[i] as string;
    const via = current.relationship(name);
    if (!via || !env.access.canRead(current.name, via) || i >= 5) {
      throw soqlError(
        'INVALID_FIELD',
        env.soql,
        pos,
        `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const polymorphic = via.referenceTo.length > 1;
    const target = polymorphic ? env.org.nameSchema : objectSchema(env, via.referenceTo[0] as string);
    if (!target) throw soqlError('INVALID_FIELD', env.soql, pos, `Didn't understand relationship '${name}' in field path.`);
    steps.push({ via, relationship: via.relationshipName as string, schema: target, polymorphic });
    canonical.push(via.relationshipName as string);
    current = target;
  }
  const last = parts[parts.length - 1] as string;
  const field = current.field(last);
  if (!field || !env.access.canRead(current.name, field)) {
    throw soqlError(
      'INVALID_FIELD',
      env.soql,
      pos,
      `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  canonical.push(field.name);
  return { steps, field, canonical: canonical.join('.') };
}

/** The parent row a lookup points at (undefined when empty or deleted), with its real type. */
export function parentOf(env: QueryEnv, step: Step, row: Row): { type: string; row: Row } | undefined {
  const id = row[step.via.name];
  if (typeof id !== 'string') return undefined;
  const found = env.tooling ? undefined : env.org.findRow(id);
  if (!found || found.row.IsDeleted) return undefined;
  return found;
}

/** The value of `field` on a (possibly polymorphic) parent. */
export function valueOn(step: Step | undefined, parent: { type: string; row: Row }, field: FieldDef): FieldValue {
  if (step?.polymorphic) {
    if (field.name === 'Type') return parent.type === 'Group' ? String(parent.row.Type ?? 'Queue') : parent.type;
    if (field.name === 'IsActive') return parent.type === 'User' ? parent.row.IsActive === true : false;
  }
  return parent.row[field.name] ?? null;
}

/** A getter for a resolved path: the value, or null when a lookup on the way is empty. */
export function getter(env: QueryEnv, resolved: ResolvedPath): (row: Row) => FieldValue {
  const { steps, field } = resolved;
  if (steps.length === 0) return (row) => row[field.name] ?? null;
  return (row) => {
    let current: { type: string; row: Row } | undefined = { type: '', row };
    let step: Step | undefined;
    for (const s of steps) {
      current = parentOf(env, s, current.row);
      if (!current) return null;
      step = s;
    }
    return valueOn(step, current, field);
  };
}
