/**
 * sObject Collections (`/composite/sobjects`): create (POST), update (PATCH), delete (DELETE) of up
 * to 200 records, and retrieve (GET with `ids` and `fields`, or POST to `/composite/sobjects/{type}`
 * as jsforce's `retrieve` does) of up to 2,000. Per-record results `{id, success, errors}` in input
 * order; `allOrNone` (default false) rolls every record back when one fails. A field the user cannot
 * see fails the whole request, as a deserialization error does at Salesforce.
 */
import { saveError, sfError, SfRequestError, type SaveError } from '../errors';
import { to18 } from '../ids';
import type { FieldDef } from '../schema/field';
import { commit, deleteRecord, prepareCreate, prepareUpdate, readInput, type Prepared } from '../store/dml';
import { renderRow } from '../store/render';
import { json, rest, type RestContext, type RouteContext, type RouteDef } from './context';
import { dmlContext } from './sobject-routes';

export function compositeRoutes(): RouteDef[] {
  const v = '/services/data/:version';
  return [
    { method: 'POST', pattern: `${v}/composite/sobjects`, kind: 'rest', handle: (ctx) => save(ctx, 'create') },
    { method: 'PATCH', pattern: `${v}/composite/sobjects`, kind: 'rest', handle: (ctx) => save(ctx, 'update') },
    { method: 'DELETE', pattern: `${v}/composite/sobjects`, kind: 'rest', handle: removeMany },
    { method: 'GET', pattern: `${v}/composite/sobjects/:type`, kind: 'rest', handle: (ctx) => retrieve(ctx, ctx.req.query.get('ids')?.split(','), ctx.req.query.get('fields')?.split(',')) },
    { method: 'POST', pattern: `${v}/composite/sobjects/:type`, kind: 'rest', handle: retrievePost },
  ];
}

const MAX_RECORDS = 200;
const ROLLED_BACK = (): SaveError => saveError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');
const tooMany = () => sfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');

interface Outcome {
  id?: string;
  prepared?: Prepared;
  errors?: SaveError[];
}

function save(ctx: RouteContext, kind: 'create' | 'update') {
  const r = rest(ctx);
  const body = r.json as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    return sfError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of SObjectCollection: the request needs a records array');
  }
  const records = body.records as unknown[];
  if (records.length > MAX_RECORDS) return tooMany();
  const allOrNone = body.allOrNone === true || body.allOrNone === 'true';
  const dml = dmlContext(r);
  const types = new Set<string>();
  // Resolve every record's type first: an unknown type fails the request.
  const typed = records.map((rec, index) => {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new SfRequestError(sfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of sObject at index ${index}`));
    const attrs = (rec as { attributes?: { type?: unknown } }).attributes;
    const typeName = typeof attrs?.type === 'string' ? attrs.type : undefined;
    if (!typeName) throw new SfRequestError(sfError(400, 'INVALID_TYPE', `Must specify a type in attributes for the sObject at index ${index}`));
    const schema = r.org.schema(typeName);
    if (!schema) throw new SfRequestError(sfError(400, 'INVALID_TYPE', `sObject type '${typeName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`));
    types.add(schema.name);
    // Deserialize every record before saving any: an unknown field or a bad value fails the request.
    readInput(dml, schema.name, rec as Record<string, unknown>);
    return { type: schema.name, fields: rec as Record<string, unknown> };
  });
  if (types.size > 10) return sfError(400, 'INVALID_BATCH_REQUEST', 'Too many sObject types in the request: at most 10');

  const outcomes: Outcome[] = [];
  for (const { type, fields } of typed) {
    if (kind === 'update') {
      const idKey = Object.keys(fields).find((k) => k.toLowerCase() === 'id');
      if (!idKey) {
        outcomes.push({ errors: [saveError('MISSING_ARGUMENT', 'Id not specified in an update call', [])] });
        continue;
      }
      const result = prepareUpdate(dml, type, fields[idKey], fields);
      outcomes.push(result.ok ? { id: result.prepared.row.Id as string, prepared: result.prepared } : { id: result.id, errors: result.errors });
      // Without allOrNone, each record is saved before the next is checked (later ones see it).
      if (result.ok && !allOrNone) commit(dml, result.prepared);
    } else {
      if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
        outcomes.push({ errors: [saveError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id'])] });
        continue;
      }
      const result = prepareCreate(dml, type, fields);
      outcomes.push(result.ok ? { id: result.prepared.row.Id as string, prepared: result.prepared } : { errors: result.errors });
      if (result.ok && !allOrNone) commit(dml, result.prepared);
    }
  }
  const failed = outcomes.some((o) => o.errors);
  if (allOrNone) {
    if (failed) {
      return json(200, outcomes.map((o) => (o.errors ? failure(o) : { ...(kind === 'update' && o.id ? { id: o.id } : {}), success: false, errors: [ROLLED_BACK()] })));
    }
    for (const o of outcomes) if (o.prepared) commit(dml, o.prepared);
  }
  return json(200, outcomes.map((o) => (o.errors ? failure(o) : { id: o.id, success: true, errors: [] })));
}

function failure(o: Outcome) {
  return o.id ? { id: o.id, success: false, errors: o.errors } : { success: false, errors: o.errors };
}

function removeMany(ctx: RouteContext) {
  const r = rest(ctx);
  const ids = (ctx.req.query.get('ids') ?? '').split(',').filter((s) => s.length > 0);
  if (ids.length === 0) return sfError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) return tooMany();
  const allOrNone = ctx.req.query.get('allOrNone') === 'true';
  const dml = dmlContext(r);
  const plan = ids.map((raw) => {
    const found = r.org.findRow(raw);
    return { raw, type: found?.type, exists: !!found && !found.row.IsDeleted };
  });
  if (allOrNone && plan.some((p) => !p.exists)) {
    return json(200, plan.map((p) => (p.exists ? { id: to18(p.raw), success: false, errors: [ROLLED_BACK()] } : { success: false, errors: [notFoundError(r, p)] })));
  }
  return json(
    200,
    plan.map((p) => {
      if (!p.type) return { success: false, errors: [notFoundError(r, p)] };
      const result = deleteRecord(dml, p.type, p.raw);
      return result.ok ? { id: result.id, success: true, errors: [] } : { id: to18(p.raw), success: false, errors: result.errors };
    }),
  );
}

function notFoundError(r: RestContext, p: { raw: string; type?: string }): SaveError {
  if (!to18(p.raw)) return saveError('MALFORMED_ID', `malformed id ${p.raw}`, []);
  const row = r.org.findRow(p.raw);
  return row?.row.IsDeleted ? saveError('ENTITY_IS_DELETED', 'entity is deleted') : saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
}

function retrievePost(ctx: RouteContext) {
  const body = ctx.json as { ids?: unknown; fields?: unknown } | undefined;
  const ids = Array.isArray(body?.ids) ? (body.ids as unknown[]).map(String) : undefined;
  const fields = Array.isArray(body?.fields) ? (body.fields as unknown[]).map(String) : undefined;
  return retrieve(ctx, ids, fields);
}

function retrieve(ctx: RouteContext, ids: string[] | undefined, fieldNames: string[] | undefined) {
  const r = rest(ctx);
  const schema = r.org.schema(ctx.params.type ?? '');
  if (!schema) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (!ids || ids.length === 0) return sfError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (!fieldNames || fieldNames.length === 0) return sfError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  if (ids.length > 2000) return sfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 records into this call');
  const fields: FieldDef[] = fieldNames.map((name) => {
    const f = schema.field(name.trim());
    if (!f || !r.access.canRead(schema.name, f)) {
      throw new SfRequestError(sfError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
    }
    return f;
  });
  const table = r.org.table(schema.name);
  return json(
    200,
    ids.map((raw) => {
      const id = to18(raw.trim());
      const row = id ? table.get(id) : undefined;
      return row && !row.IsDeleted ? renderRow(schema, row, ctx.version, fields) : null;
    }),
  );
}
