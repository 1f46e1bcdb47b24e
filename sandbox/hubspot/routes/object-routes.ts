/** Single-record CRM object routes: list, read, create, update, archive and merge. */
import type { SandboxResponse } from '../../shared/http-server';
import { notFound, propertyValuesInvalid, validationError } from '../errors';
import { renderRecord, renderWritten, selectProperties } from '../render';
import { associationDefinition, associationLabel } from '../store/associations';
import type { CrmRecord } from '../store/crm-record';
import { OBJECT_TYPES, parseObjectType, type ObjectType } from '../store/object-types';
import type { Portal, WriteOptions } from '../store/portal';
import { json, type RouteContext, type RouteDef } from './context';
import { apiSource, objectTypeOf, portalOf, readScopes, writeScopes } from './object-helpers';
import { boolParam, CreateInput, listParam, MergeInput, parseBody, UpdateInput } from './request-input';

const MAX_PAGE = 100;

export function objectRoutes(): RouteDef[] {
  const base = '/crm/v3/objects/:objectType';
  return [
    { method: 'GET', pattern: base, kind: 'crm', scopes: readScopes(), handle: list },
    { method: 'POST', pattern: base, kind: 'crm', scopes: writeScopes(), handle: create },
    { method: 'POST', pattern: `${base}/merge`, kind: 'crm', scopes: writeScopes(), handle: merge },
    { method: 'GET', pattern: `${base}/:id`, kind: 'crm', scopes: readScopes(), handle: getOne },
    { method: 'PATCH', pattern: `${base}/:id`, kind: 'crm', scopes: writeScopes(), handle: update },
    { method: 'DELETE', pattern: `${base}/:id`, kind: 'crm', scopes: writeScopes(), handle: archive },
  ];
}

function list(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const portal = portalOf(ctx);
  const q = ctx.req.query;
  const limitRaw = q.get('limit');
  const limit = limitRaw === null ? 10 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) return validationError(`limit must be a positive integer, got ${limitRaw}`);
  const afterRaw = q.get('after');
  const after = afterRaw === null || afterRaw === '' ? 0 : Number(afterRaw);
  if (!Number.isFinite(after)) return validationError(`Invalid after: ${afterRaw}`);
  const store = portal.stores[t.type];
  const pageSize = Math.min(limit, MAX_PAGE);
  const page = boolParam(q, 'archived') ? store.archivedPage(after, pageSize) : store.page(after, pageSize);
  const names = selectProperties(store.info, portal.properties[t.type], listParam(q, 'properties'));
  const assoc = associationTypes(q);
  const body: Record<string, unknown> = { results: page.records.map((r) => renderRecord(r, names, associationsField(portal, r, assoc))) };
  if (page.nextAfter !== undefined) {
    const next = new URLSearchParams(q);
    next.set('after', String(page.nextAfter));
    body.paging = { next: { after: String(page.nextAfter), link: `${ctx.core.baseUrl}${ctx.req.path}?${next.toString()}` } };
  }
  return json(200, body);
}

function getOne(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const portal = portalOf(ctx);
  const q = ctx.req.query;
  const record = findRecord(portal, t.type, ctx.params.id ?? '', q.get('idProperty'), boolParam(q, 'archived'));
  if (!record) return notFound();
  const names = selectProperties(OBJECT_TYPES[t.type], portal.properties[t.type], listParam(q, 'properties'));
  return json(200, renderRecord(record, names, associationsField(portal, record, associationTypes(q))));
}

export function findRecord(portal: Portal, type: ObjectType, id: string, idProperty: string | null | undefined, archived: boolean): CrmRecord | undefined {
  const store = portal.stores[type];
  if (idProperty && idProperty !== 'hs_object_id') return archived ? undefined : store.findByUnique(idProperty, id);
  return archived ? store.getArchived(id) : store.get(id);
}

function create(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(CreateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const result = createOne(ctx, t.type, parsed.value);
  return result.ok ? json(201, renderRecord(result.record, result.record.names())) : result.response;
}

type CreateValue = { properties: Record<string, string | number | boolean | null>; associations?: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[] };

/** Creates one record with its inline associations; nothing is written when anything is invalid. */
export function createOne(ctx: RouteContext, type: ObjectType, input: CreateValue, ts?: number): { ok: true; record: CrmRecord } | { ok: false; response: SandboxResponse } {
  const portal = portalOf(ctx);
  const links: { to: ObjectType; id: string; typeId: number }[] = [];
  for (const a of input.associations ?? []) {
    for (const spec of a.types) {
      const def = associationDefinition(type, spec.associationTypeId);
      if (!def || spec.associationCategory !== 'HUBSPOT_DEFINED') {
        return { ok: false, response: validationError(`${spec.associationCategory} association type ${spec.associationTypeId} is not a valid association from ${OBJECT_TYPES[type].label}`) };
      }
      if (!portal.stores[def.to].get(a.to.id)) {
        return { ok: false, response: validationError(`One or more associations are invalid: no ${OBJECT_TYPES[def.to].label} with id ${a.to.id}`, { context: { ids: [a.to.id] } }) };
      }
      links.push({ to: def.to, id: portal.stores[def.to].resolveId(a.to.id), typeId: spec.associationTypeId });
    }
  }
  const values: Record<string, unknown> = { ...input.properties };
  if (type === 'tasks') {
    const due = values.hs_timestamp;
    if (due === undefined || due === null || due === '') {
      return { ok: false, response: validationError('Error creating TASK. Some required properties were not set.', { context: { properties: ['hs_timestamp'] } }) };
    }
    values.hs_task_status ??= 'NOT_STARTED';
    values.hs_task_type ??= 'TODO';
  }
  const opts: WriteOptions = { source: apiSource(ctx), ts };
  const result = portal.createRecord(type, values, opts);
  if (!result.ok) return { ok: false, response: propertyValuesInvalid(result.errors) };
  let record = result.record;
  if (type === 'tasks' && record.get('hs_task_status') === 'COMPLETED') record = markCompleted(portal, record, opts);
  for (const l of links) portal.associations.add(type, record.id, l.to, l.id, l.typeId);
  return { ok: true, record };
}

function markCompleted(portal: Portal, record: CrmRecord, opts: WriteOptions): CrmRecord {
  if (record.get('hs_task_completion_date')) return record;
  const done = portal.updateRecord('tasks', record.id, { hs_task_completion_date: String(record.updatedAt) }, { ...opts, ts: record.updatedAt, allowReadOnly: true });
  return done?.ok ? done.record : record;
}

function update(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(UpdateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const portal = portalOf(ctx);
  const target = findRecord(portal, t.type, ctx.params.id ?? '', ctx.req.query.get('idProperty'), false);
  if (!target) return notFound();
  const opts: WriteOptions = { source: apiSource(ctx) };
  const result = portal.updateRecord(t.type, target.id, parsed.value.properties, opts);
  if (!result) return notFound();
  if (!result.ok) return propertyValuesInvalid(result.errors);
  let record = result.record;
  if (t.type === 'tasks' && record.get('hs_task_status') === 'COMPLETED') record = markCompleted(portal, record, opts);
  return json(200, renderWritten(record, OBJECT_TYPES[t.type], Object.keys(parsed.value.properties)));
}

function archive(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  portalOf(ctx).archiveRecord(t.type, ctx.params.id ?? '', { source: apiSource(ctx) });
  return { status: 204 };
}

function merge(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(MergeInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const { primaryObjectId, objectIdToMerge } = parsed.value;
  const portal = portalOf(ctx);
  if (portal.stores[t.type].resolveId(primaryObjectId) === portal.stores[t.type].resolveId(objectIdToMerge)) {
    return validationError('Cannot merge an object with itself');
  }
  const merged = portal.mergeRecords(t.type, primaryObjectId, objectIdToMerge, { source: apiSource(ctx) });
  if (!merged) return notFound();
  return json(200, renderRecord(merged, OBJECT_TYPES[t.type].defaultProperties));
}

function associationTypes(q: URLSearchParams): ObjectType[] {
  return (listParam(q, 'associations') ?? []).map((s) => parseObjectType(s)).filter((t): t is ObjectType => t !== undefined);
}

/** The v3 `associations` field: `{tasks: {results: [{id, type: "contact_to_task"}]}}`. */
export function associationsField(portal: Portal, record: CrmRecord, types: readonly ObjectType[]): Record<string, unknown> {
  if (types.length === 0) return {};
  const out: Record<string, unknown> = {};
  for (const to of types) {
    const results = portal.associations
      .list(record.objectType, record.id, to)
      .flatMap((e) => e.typeIds.map((typeId) => ({ id: e.toId, type: associationLabel(record.objectType, typeId) ?? String(typeId) })));
    if (results.length) out[to] = { results };
  }
  return Object.keys(out).length ? { associations: out } : {};
}
