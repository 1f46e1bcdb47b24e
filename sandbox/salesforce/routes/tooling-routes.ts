/**
 * The Tooling API's `CustomField`: create (`POST /tooling/sobjects/CustomField` with `FullName` and
 * `Metadata`), read, and update of its metadata (`PATCH`, e.g. new picklist values). A new field has
 * no field-level security: nobody, the admin included, sees it until a permission set grants it.
 * Queries go through `/tooling/query` (see query-routes).
 */
import { parseCustomField } from '../schema/custom-field';
import { sfError } from '../errors';
import { to18 } from '../ids';
import { renderRow } from '../store/render';
import { json, rest, type RouteContext, type RouteDef } from './context';

export function toolingRoutes(): RouteDef[] {
  const v = '/services/data/:version/tooling';
  return [
    { method: 'POST', pattern: `${v}/sobjects/:type`, kind: 'rest', handle: create },
    { method: 'GET', pattern: `${v}/sobjects/:type/:id`, kind: 'rest', handle: read },
    { method: 'PATCH', pattern: `${v}/sobjects/:type/:id`, kind: 'rest', handle: update },
  ];
}

function customFieldOnly(ctx: RouteContext) {
  return (ctx.params.type ?? '').toLowerCase() === 'customfield' ? undefined : sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function create(ctx: RouteContext) {
  const r = rest(ctx);
  const wrong = customFieldOnly(ctx);
  if (wrong) return wrong;
  const body = (ctx.json ?? {}) as { FullName?: unknown; Metadata?: unknown };
  const result = r.org.addCustomField(body.FullName, body.Metadata, r.auth.userId);
  if (!result.ok) return { status: result.status, body: [{ ...result.error, fields: result.error.fields ?? [] }] };
  return json(201, { id: result.id, success: true, errors: [], warnings: [], infos: [] });
}

function read(ctx: RouteContext) {
  const r = rest(ctx);
  const wrong = customFieldOnly(ctx);
  if (wrong) return wrong;
  const schema = r.org.toolingSchema('CustomField');
  const row = r.org.toolingTable('CustomField').get(to18(ctx.params.id ?? '') ?? '');
  if (!schema || !row) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return json(200, renderRow(schema, row, ctx.version, undefined, true));
}

function update(ctx: RouteContext) {
  const r = rest(ctx);
  const wrong = customFieldOnly(ctx);
  if (wrong) return wrong;
  const table = r.org.toolingTable('CustomField');
  const row = table.get(to18(ctx.params.id ?? '') ?? '');
  if (!row) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const body = (ctx.json ?? {}) as { Metadata?: unknown };
  const previous = JSON.parse(String(row.Metadata)) as Record<string, unknown>;
  const metadata = { ...previous, ...((body.Metadata as Record<string, unknown> | undefined) ?? {}) };
  const parsed = parseCustomField(row.FullName, metadata, (name) => r.org.schema(name)?.name);
  if (!parsed.ok) return { status: 400, body: [{ ...parsed.error, fields: parsed.error.fields ?? [] }] };
  if (parsed.value.field.type !== r.org.schemaOf(parsed.value.objectName).field(parsed.value.field.name)?.type) {
    return sfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Changing the type of a field is not supported by this sandbox');
  }
  r.org.schemaOf(parsed.value.objectName).addField(parsed.value.field);
  const now = r.org.now();
  table.put({ ...row, Metadata: JSON.stringify(metadata), LastModifiedDate: now, SystemModstamp: now, LastModifiedById: r.auth.userId });
  return { status: 204 };
}
