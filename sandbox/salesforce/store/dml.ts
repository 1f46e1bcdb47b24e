/**
 * Creates, updates and deletes the way Salesforce's DML does, for the REST routes and the test
 * helpers alike: a write is prepared (deserialized, checked, turned into the new row) before
 * anything is stored, so `allOrNone` can refuse a whole batch, then committed with its side
 * effects (system fields, assignment rules, activity dates, derived fields).
 *
 * Two kinds of failure: a request-level one (a field the user cannot see, a value the JSON
 * deserializer refuses) throws SfRequestError and fails the whole request, as at Salesforce; a
 * record-level one (`INVALID_FIELD_FOR_INSERT_UPDATE`, `STRING_TOO_LONG`, …) is a SaveError of that
 * record only.
 */
import { saveError, sfError, SfRequestError, type SaveError } from '../errors';
import { KEY_PREFIXES, to18 } from '../ids';
import { isTextType, isNumberType, type FieldDef, type FieldValue } from '../schema/field';
import { coerceInput, formatDate, JsonValueError, parseDateTime, toSecond } from '../schema/values';
import type { FieldAccess } from './field-access';
import type { SalesforceOrg } from './org';
import type { Row } from './table';

export interface DmlContext {
  org: SalesforceOrg;
  /** The running user (CreatedById, LastModifiedById, default owner). */
  userId: string;
  access: FieldAccess;
  /** Run the org's active lead assignment rule (no `Sforce-Auto-Assign: FALSE` header). */
  autoAssign: boolean;
  /** Test helpers: read-only fields (CreatedDate, IsConverted, …) may be set, datetimes may be epoch ms. */
  system: boolean;
  /** The save time, whole seconds. */
  now: number;
}

export interface Prepared {
  kind: 'create' | 'update';
  type: string;
  row: Row;
  old?: Row;
}

export type PrepareResult = { ok: true; prepared: Prepared } | { ok: false; errors: SaveError[]; id?: string };

const SKIPPED_KEYS = new Set(['attributes', 'id']);
const SYSTEM_KEYS = new Set(['id', 'isdeleted', 'createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp']);
const CLOSED_TASK_STATUSES = new Set(['completed']);
const RESPONDED_MEMBER_STATUSES = new Set(['responded']);

/** Reads the input's fields; throws SfRequestError for fields the user cannot see or values the deserializer refuses. */
export function readInput(ctx: DmlContext, type: string, input: Record<string, unknown>): Map<FieldDef, FieldValue> {
  const schema = ctx.org.schemaOf(type);
  const values = new Map<FieldDef, FieldValue>();
  for (const [key, raw] of Object.entries(input)) {
    if (SKIPPED_KEYS.has(key.toLowerCase()) && !(ctx.system && key.toLowerCase() === 'id')) continue;
    const field = schema.field(key);
    if (!field || !ctx.access.canRead(type, field)) {
      throw new SfRequestError(sfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${type}`));
    }
    try {
      if (ctx.system && field.type === 'datetime' && typeof raw === 'number') values.set(field, toSecond(raw));
      else values.set(field, coerceInput(field, raw));
    } catch (e) {
      if (e instanceof JsonValueError) throw new SfRequestError(sfError(400, 'JSON_PARSER_ERROR', `${e.message} at [line:1, column:1]`));
      throw e;
    }
  }
  return values;
}

function idErrorLabel(type: string): string {
  return `${type} ID`;
}

/** Prepares the update of one record. `id` may be 15 or 18 characters. */
export function prepareUpdate(ctx: DmlContext, type: string, rawId: unknown, input: Record<string, unknown>): PrepareResult {
  const id = typeof rawId === 'string' ? to18(rawId) : undefined;
  if (!id) return { ok: false, errors: [saveError('MALFORMED_ID', `${idErrorLabel(type)}: id value of incorrect type: ${String(rawId)}`, ['Id'])] };
  if (id.slice(0, 3) !== KEY_PREFIXES[type]) return { ok: false, errors: [saveError('MALFORMED_ID', `${idErrorLabel(type)}: id value of incorrect type: ${id}`, ['Id'])] };
  const values = readInput(ctx, type, input);
  const old = ctx.org.table(type).get(id);
  if (!old) return { ok: false, errors: [saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')] };
  if (old.IsDeleted) return { ok: false, id, errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted')] };
  if (type === 'Lead' && old.IsConverted === true && !ctx.system) {
    return { ok: false, id, errors: [saveError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead')] };
  }
  const errors = checkValues(ctx, type, values, 'update');
  if (errors.length > 0) return { ok: false, id, errors };
  const next: Record<string, FieldValue> = { ...old };
  for (const [field, value] of values) next[field.name] = value;
  const required = missingRequired(ctx, type, next);
  if (required) return { ok: false, id, errors: [required] };
  if (!ctx.system || !values.has(fieldOf(ctx, type, 'LastModifiedDate'))) next.LastModifiedDate = ctx.now;
  if (!ctx.system || !values.has(fieldOf(ctx, type, 'SystemModstamp'))) next.SystemModstamp = ctx.now;
  if (!ctx.system || !values.has(fieldOf(ctx, type, 'LastModifiedById'))) next.LastModifiedById = ctx.userId;
  derive(ctx, type, next, old);
  if (type === 'Lead' && ctx.autoAssign) assign(ctx, next);
  return { ok: true, prepared: { kind: 'update', type, row: next, old } };
}

/** Prepares the creation of one record. */
export function prepareCreate(ctx: DmlContext, type: string, input: Record<string, unknown>): PrepareResult {
  const schema = ctx.org.schemaOf(type);
  const values = readInput(ctx, type, input);
  const errors = checkValues(ctx, type, values, 'create');
  if (errors.length > 0) return { ok: false, errors };
  const next: Record<string, FieldValue> = {};
  for (const field of schema.fields) {
    if (field.defaultValue !== null) next[field.name] = field.defaultValue;
    const def = field.picklistValues.find((p) => p.defaultValue);
    if (def) next[field.name] = def.value;
  }
  for (const [field, value] of values) next[field.name] = value;
  if (schema.field('OwnerId') && (next.OwnerId === undefined || next.OwnerId === null)) next.OwnerId = ctx.userId;
  const required = missingRequired(ctx, type, next);
  if (required) return { ok: false, errors: [required] };
  const unique = uniquenessProblem(ctx, type, next);
  if (unique) return { ok: false, errors: [unique] };
  next.Id = (ctx.system && typeof next.Id === 'string' ? next.Id : undefined) ?? ctx.org.newId(type);
  next.IsDeleted = false;
  next.CreatedDate ??= ctx.now;
  next.CreatedById ??= ctx.userId;
  next.LastModifiedDate ??= next.CreatedDate;
  next.LastModifiedById ??= ctx.userId;
  next.SystemModstamp ??= Math.max(next.LastModifiedDate as number, next.CreatedDate as number);
  derive(ctx, type, next, undefined);
  if (type === 'Lead' && ctx.autoAssign) assign(ctx, next);
  return { ok: true, prepared: { kind: 'create', type, row: next } };
}

function fieldOf(ctx: DmlContext, type: string, name: string): FieldDef {
  return ctx.org.schemaOf(type).field(name) as FieldDef;
}

/** Record-level checks of the values a write sets. */
function checkValues(ctx: DmlContext, type: string, values: Map<FieldDef, FieldValue>, kind: 'create' | 'update'): SaveError[] {
  const notWritable: string[] = [];
  const errors: SaveError[] = [];
  for (const [field, value] of values) {
    const writable = ctx.system
      ? !(field.name === 'Id' && kind === 'update')
      : (kind === 'create' ? field.createable : field.updateable) && ctx.access.canEdit(type, field) && !SYSTEM_KEYS.has(field.name.toLowerCase());
    if (!writable) {
      notWritable.push(field.name);
      continue;
    }
    const problem = checkValue(ctx, type, field, value);
    if (problem) errors.push(problem);
  }
  if (notWritable.length > 0) {
    return [
      saveError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        notWritable,
      ),
    ];
  }
  return errors;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkValue(ctx: DmlContext, type: string, field: FieldDef, value: FieldValue): SaveError | undefined {
  if (value === null) return undefined;
  if (isTextType(field.type) && field.type !== 'picklist' && field.type !== 'multipicklist' && typeof value === 'string' && value.length > field.length) {
    return saveError('STRING_TOO_LONG', `${field.label}: data value too large: ${value.length > 80 ? value.slice(0, 80) + '...' : value} (max length=${field.length})`, [field.name]);
  }
  if (field.type === 'email' && typeof value === 'string' && !EMAIL.test(value)) {
    return saveError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
  }
  if ((field.type === 'picklist' || field.type === 'multipicklist') && field.restrictedPicklist) {
    const allowed = new Set(field.picklistValues.filter((p) => p.active).map((p) => p.value));
    const parts = field.type === 'multipicklist' ? String(value).split(';') : [String(value)];
    if (parts.some((p) => !allowed.has(p))) {
      return saveError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${String(value)}`, [field.name]);
    }
  }
  if (isNumberType(field.type) && typeof value === 'number' && field.type !== 'int') {
    const intDigits = field.precision - field.scale;
    if (Math.abs(roundTo(value, field.scale)) >= Math.pow(10, intDigits)) {
      return saveError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${value}`, [field.name]);
    }
  }
  if (field.type === 'reference' && typeof value === 'string') return checkReference(ctx, type, field, value);
  return undefined;
}

function checkReference(ctx: DmlContext, type: string, field: FieldDef, value: string): SaveError | undefined {
  const id = to18(value);
  if (!id) return saveError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  const target = field.referenceTo.find((t) => KEY_PREFIXES[t] === id.slice(0, 3));
  if (!target) return saveError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [field.name]);
  if (!ctx.org.hasTable(target)) return undefined;
  const row = ctx.org.table(target).get(id);
  if (!row || row.IsDeleted) return saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  if (field.name === 'OwnerId' && target === 'User' && row.IsActive !== true && !ctx.system) {
    return saveError('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${id}] as owner of ${type.toLowerCase()}`);
  }
  if (field.name === 'OwnerId' && target === 'Group' && row.Type !== 'Queue') {
    return saveError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [field.name]);
  }
  return undefined;
}

function missingRequired(ctx: DmlContext, type: string, row: Record<string, FieldValue>): SaveError | undefined {
  const missing = ctx.org
    .schemaOf(type)
    .fields.filter((f) => f.required && (row[f.name] === undefined || row[f.name] === null))
    .map((f) => f.name);
  if (type === 'CampaignMember' && !row.LeadId && !row.ContactId) missing.push('LeadId');
  return missing.length > 0 ? saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing) : undefined;
}

/** Unique keys Salesforce enforces on the objects a connector creates. */
function uniquenessProblem(ctx: DmlContext, type: string, row: Record<string, FieldValue>): SaveError | undefined {
  const dup = saveError('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>');
  const table = ctx.org.table(type);
  const live = (ids: ReadonlySet<string>) => [...ids].map((id) => table.get(id) as Row).filter((r) => !r.IsDeleted);
  switch (type) {
    case 'PermissionSetAssignment':
      return live(table.idsWhere('AssigneeId', String(row.AssigneeId))).some((r) => r.PermissionSetId === to18(String(row.PermissionSetId))) ? dup : undefined;
    case 'FieldPermissions': {
      const field = String(row.Field ?? '');
      const [objectName, fieldName] = field.split('.', 2);
      const schema = objectName ? ctx.org.schema(objectName) : undefined;
      const def = fieldName ? schema?.field(fieldName) : undefined;
      if (!schema || !def || schema.name !== row.SobjectType || `${schema.name}.${def.name}` !== field) {
        return saveError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Field Name: bad value for restricted picklist field: ${field}`, ['Field']);
      }
      if (row.PermissionsEdit === true && row.PermissionsRead !== true) {
        return saveError('FIELD_INTEGRITY_EXCEPTION', `Permission Edit ${field} depends on permission(s): Read ${field}`, []);
      }
      return live(table.idsWhere('ParentId', String(row.ParentId))).some((r) => String(r.Field).toLowerCase() === field.toLowerCase()) ? dup : undefined;
    }
    case 'PermissionSet':
      return [...table.values()].some((r) => !r.IsDeleted && String(r.Name).toLowerCase() === String(row.Name).toLowerCase())
        ? saveError('DUPLICATE_DEVELOPER_NAME', 'The API Name you entered is already in use. Enter a unique API Name.', ['Name'])
        : undefined;
    case 'User':
      return [...table.values()].some((r) => String(r.Username).toLowerCase() === String(row.Username).toLowerCase())
        ? saveError('DUPLICATE_USERNAME', `Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address).`, ['Username'])
        : undefined;
    case 'CampaignMember': {
      const key = row.ContactId ? 'ContactId' : 'LeadId';
      return live(table.idsWhere('CampaignId', String(row.CampaignId))).some((r) => r[key] === row[key]) ? saveError('DUPLICATE_VALUE', 'Already a campaign member.') : undefined;
    }
    default:
      return undefined;
  }
}

function roundTo(value: number, scale: number): number {
  const p = Math.pow(10, scale);
  return Math.round(value * p) / p;
}

/** Fields Salesforce computes from others. */
function derive(ctx: DmlContext, type: string, row: Record<string, FieldValue>, old: Row | undefined): void {
  const schema = ctx.org.schemaOf(type);
  for (const field of schema.fields) {
    const v = row[field.name];
    if (typeof v === 'string' && field.type === 'reference') row[field.name] = to18(v) ?? v;
    if (typeof v === 'number' && (field.type === 'double' || field.type === 'currency' || field.type === 'percent')) row[field.name] = roundTo(v, field.scale);
  }
  if (type === 'Lead' || type === 'Contact' || type === 'User') {
    row.Name = [row.FirstName, row.LastName].filter((s) => typeof s === 'string' && s !== '').join(' ');
  }
  if (type === 'Task') {
    const closed = typeof row.Status === 'string' && CLOSED_TASK_STATUSES.has(row.Status.toLowerCase());
    row.IsClosed = closed;
    row.IsHighPriority = row.Priority === 'High';
    if (closed && !old?.IsClosed) row.CompletedDateTime ??= ctx.now;
    if (!closed) row.CompletedDateTime = null;
    row.TaskSubtype ??= 'Task';
  }
  if (type === 'Event') {
    const start = (row.StartDateTime ?? row.ActivityDateTime) as number | null | undefined;
    if (typeof start === 'number') {
      row.StartDateTime = start;
      row.ActivityDateTime = start;
      row.ActivityDate = formatDate(start);
      const minutes = typeof row.DurationInMinutes === 'number' ? row.DurationInMinutes : typeof row.EndDateTime === 'number' ? Math.round((row.EndDateTime - start) / 60_000) : 60;
      row.DurationInMinutes = minutes;
      row.EndDateTime = start + minutes * 60_000;
    }
    row.EventSubtype ??= 'Event';
  }
  if (type === 'CampaignMember') {
    const responded = typeof row.Status === 'string' && RESPONDED_MEMBER_STATUSES.has(row.Status.toLowerCase());
    row.HasResponded = responded;
    if (responded && !row.FirstRespondedDate) row.FirstRespondedDate = formatDate(ctx.now);
    row.LeadOrContactId = (row.ContactId ?? row.LeadId ?? null) as FieldValue;
  }
  if (type === 'PermissionSet') {
    row.IsOwnedByProfile ??= false;
    row.IsCustom ??= !row.IsOwnedByProfile;
  }
  if (type === 'PermissionSetAssignment') row.IsActive = true;
}

/** The org's active lead assignment rule, if any, sets the owner. */
function assign(ctx: DmlContext, row: Record<string, FieldValue>): void {
  const owner = ctx.org.assignmentRuleOwner();
  if (owner) row.OwnerId = to18(owner) ?? owner;
}

/** Stores prepared writes and runs their side effects. */
export function commit(ctx: DmlContext, prepared: Prepared): void {
  const { org } = ctx;
  org.table(prepared.type).put(prepared.row);
  if (['User', 'PermissionSet', 'PermissionSetAssignment', 'FieldPermissions'].includes(prepared.type)) org.fieldAccess.invalidate();
  if (prepared.type === 'Task' || prepared.type === 'Event') touchActivityParent(ctx, prepared.type, prepared.row);
}

/** Closing a task (or logging a past event) moves its Lead's or Contact's LastActivityDate. */
function touchActivityParent(ctx: DmlContext, type: string, row: Row): void {
  const whoId = row.WhoId;
  if (typeof whoId !== 'string') return;
  const today = formatDate(ctx.now);
  let date: string | undefined;
  if (type === 'Task' && row.IsClosed === true) date = typeof row.ActivityDate === 'string' ? row.ActivityDate : today;
  if (type === 'Event' && typeof row.ActivityDate === 'string' && row.ActivityDate <= today) date = row.ActivityDate;
  if (!date) return;
  const parentType = whoId.startsWith(KEY_PREFIXES.Lead as string) ? 'Lead' : 'Contact';
  const table = ctx.org.table(parentType);
  const parent = table.get(whoId);
  if (!parent || parent.IsDeleted) return;
  const current = parent.LastActivityDate;
  if (typeof current === 'string' && current >= date) return;
  table.put({ ...parent, LastActivityDate: date, SystemModstamp: Math.max(ctx.now, parent.SystemModstamp as number) });
}

/** Deletes one record (and the children a delete takes with it), recording it for `/deleted`. */
export function deleteRecord(ctx: DmlContext, type: string, rawId: unknown): { ok: true; id: string } | { ok: false; errors: SaveError[] } {
  const id = typeof rawId === 'string' ? to18(rawId) : undefined;
  if (!id || id.slice(0, 3) !== KEY_PREFIXES[type]) {
    return { ok: false, errors: [saveError('MALFORMED_ID', `${idErrorLabel(type)}: id value of incorrect type: ${String(rawId)}`, ['Id'])] };
  }
  const table = ctx.org.table(type);
  const row = table.get(id);
  if (!row) return { ok: false, errors: [saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')] };
  if (row.IsDeleted) return { ok: false, errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted')] };
  if (!ctx.org.schemaOf(type).def.deletable) return { ok: false, errors: [saveError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id')] };
  table.put({ ...row, IsDeleted: true, SystemModstamp: ctx.now, LastModifiedDate: ctx.now, LastModifiedById: ctx.userId });
  ctx.org.recordDeletion(type, id, ctx.now);
  for (const child of ctx.org.schemaOf(type).childRelationships) {
    if (!child.cascadeDelete || !ctx.org.hasTable(child.childSObject)) continue;
    const childTable = ctx.org.table(child.childSObject);
    for (const childId of [...childTable.idsWhere(child.field, id)]) {
      const c = childTable.get(childId);
      if (c && !c.IsDeleted) deleteRecord(ctx, child.childSObject, childId);
    }
  }
  if (['User', 'PermissionSet', 'PermissionSetAssignment', 'FieldPermissions'].includes(type)) ctx.org.fieldAccess.invalidate();
  return { ok: true, id };
}

/** Helper writes (tests, seeding) take epoch ms or ISO strings for date-times. */
export function isoOrMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseDateTime(value);
  return undefined;
}
