/**
 * `/services/data/vXX.X/…`: the resource list, limits, describeGlobal and describe, single-record
 * create/read/update/delete, and the replication resources `/sobjects/{type}/deleted` and
 * `/updated` (windows to the minute, 15 and 30 days back).
 */
import { fromSaveError, notFound, saveError, sfError, SfRequestError } from '../errors';
import { to18 } from '../ids';
import { describeGlobalEntry, describeObject } from '../schema/describe';
import type { FieldDef } from '../schema/field';
import { formatDateTime, parseDateTime } from '../schema/values';
import { commit, deleteRecord, prepareCreate, prepareUpdate, type DmlContext } from '../store/dml';
import { renderRow } from '../store/render';
import { autoAssign, json, rest, type RestContext, type RouteContext, type RouteDef } from './context';

export function sobjectRoutes(): RouteDef[] {
  const v = '/services/data/:version';
  return [
    { method: 'GET', pattern: '/services/data', kind: 'public', handle: versions },
    { method: 'GET', pattern: v, kind: 'rest', handle: resources },
    { method: 'GET', pattern: `${v}/limits`, kind: 'rest', handle: limits },
    { method: 'GET', pattern: `${v}/sobjects`, kind: 'rest', handle: describeGlobal },
    { method: 'GET', pattern: `${v}/sobjects/:type`, kind: 'rest', handle: objectInfo },
    { method: 'POST', pattern: `${v}/sobjects/:type`, kind: 'rest', handle: create },
    { method: 'GET', pattern: `${v}/sobjects/:type/describe`, kind: 'rest', handle: describe },
    { method: 'GET', pattern: `${v}/sobjects/:type/deleted`, kind: 'rest', handle: deleted },
    { method: 'GET', pattern: `${v}/sobjects/:type/updated`, kind: 'rest', handle: updated },
    { method: 'GET', pattern: `${v}/sobjects/:type/:id`, kind: 'rest', handle: read },
    { method: 'PATCH', pattern: `${v}/sobjects/:type/:id`, kind: 'rest', handle: update },
    { method: 'DELETE', pattern: `${v}/sobjects/:type/:id`, kind: 'rest', handle: remove },
  ];
}

/** Versions from 31.0 up to the newest the sandbox serves. */
export function servedVersions(newest: string): string[] {
  const top = Math.floor(Number(newest));
  const out: string[] = [];
  for (let n = 31; n <= top; n++) out.push(`${n}.0`);
  return out;
}

function versions(ctx: RouteContext) {
  return json(200, servedVersions(ctx.core.apiVersion).map((v) => ({ label: `Version ${v}`, url: `/services/data/v${v}`, version: v })));
}

function resources(ctx: RouteContext) {
  const r = rest(ctx);
  const base = `/services/data/v${ctx.version}`;
  return json(200, {
    tooling: `${base}/tooling`,
    metadata: `${base}/metadata`,
    eclair: `${base}/eclair`,
    folders: `${base}/folders`,
    prechatForms: `${base}/prechatForms`,
    'async-queries': `${base}/async-queries`,
    query: `${base}/query`,
    serviceTemplates: `${base}/serviceTemplates`,
    recent: `${base}/recent`,
    limits: `${base}/limits`,
    sobjects: `${base}/sobjects`,
    composite: `${base}/composite`,
    queryAll: `${base}/queryAll`,
    search: `${base}/search`,
    identity: `${ctx.core.url}/id/${r.org.id}/${r.auth.userId}`,
  });
}

function limits(ctx: RouteContext) {
  const { org } = rest(ctx);
  const usage = org.apiUsage;
  const pair = (max: number, used = 0) => ({ Max: max, Remaining: Math.max(0, max - used) });
  return json(200, {
    ActiveScratchOrgs: pair(3),
    ConcurrentAsyncGetReportInstances: pair(200),
    ConcurrentSyncReportRuns: pair(20),
    DailyApiRequests: pair(usage.max, usage.used),
    DailyAsyncApexExecutions: pair(250000),
    DailyBulkApiBatches: pair(15000),
    DailyBulkV2QueryFileStorageMB: pair(976562),
    DailyBulkV2QueryJobs: pair(10000),
    DailyGenericStreamingApiEvents: pair(10000),
    DailyStreamingApiEvents: pair(10000),
    DailyWorkflowEmails: pair(1000),
    DataStorageMB: pair(5, Math.ceil(org.count('Lead') / 500)),
    FileStorageMB: pair(20),
    HourlyAsyncReportRuns: pair(1200),
    HourlyODataCallout: pair(10000),
    HourlyPublishedPlatformEvents: pair(50000),
    HourlyTimeBasedWorkflow: pair(50),
    MassEmail: pair(10),
    SingleEmail: pair(15),
  });
}

function describeGlobal(ctx: RouteContext) {
  const { org } = rest(ctx);
  return json(200, {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: org.objectNames().map((n) => describeGlobalEntry(org.schemaOf(n), ctx.version)),
  });
}

function schemaFor(r: RestContext) {
  const schema = r.org.schema(r.params.type ?? '');
  if (!schema) throw new SfRequestError(notFound());
  return schema;
}

function objectInfo(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  return json(200, { objectDescribe: describeGlobalEntry(schema, ctx.version), recentItems: [] });
}

function describe(ctx: RouteContext) {
  const r = rest(ctx);
  return json(200, describeObject(schemaFor(r), r.access, ctx.version));
}

export function dmlContext(r: RestContext): DmlContext {
  return { org: r.org, userId: r.auth.userId, access: r.access, autoAssign: autoAssign(r), system: false, now: r.org.now() };
}

function bodyObject(r: RestContext): Record<string, unknown> {
  if (typeof r.json !== 'object' || r.json === null || Array.isArray(r.json)) {
    throw new SfRequestError(sfError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from START_ARRAY value [line:1, column:1]'));
  }
  return r.json as Record<string, unknown>;
}

function create(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  if (!schema.def.createable) return sfError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support create`);
  const body = bodyObject(r);
  const dml = dmlContext(r);
  if (Object.keys(body).some((k) => k.toLowerCase() === 'id')) return sfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', ['Id']);
  const result = prepareCreate(dml, schema.name, body);
  if (!result.ok) return fromSaveError(400, result.errors[0] ?? saveError('UNKNOWN_EXCEPTION', 'create failed'));
  commit(dml, result.prepared);
  return json(201, { id: result.prepared.row.Id, success: true, errors: [] });
}

/** Fields of a record the user may read, or the ones `?fields=` names. */
function readableFields(r: RestContext, fieldsParam: string | null): FieldDef[] {
  const schema = schemaFor(r);
  if (!fieldsParam) return schema.fields.filter((f) => r.access.canRead(schema.name, f));
  return fieldsParam.split(',').map((name) => {
    const f = schema.field(name.trim());
    if (!f || !r.access.canRead(schema.name, f)) {
      throw new SfRequestError(sfError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
    }
    return f;
  });
}

function read(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  const raw = r.params.id ?? '';
  const id = to18(raw);
  if (!id) return sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${raw}`);
  const row = r.org.table(schema.name).get(id);
  if (!row || row.IsDeleted) return notFound();
  return json(200, renderRow(schema, row, ctx.version, readableFields(r, ctx.req.query.get('fields'))));
}

function update(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  const body = bodyObject(r);
  const dml = dmlContext(r);
  const result = prepareUpdate(dml, schema.name, r.params.id, body);
  if (!result.ok) {
    const first = result.errors[0];
    if (!first) return notFound();
    if (first.statusCode === 'INVALID_CROSS_REFERENCE_KEY' && result.id === undefined) return notFound();
    if (first.statusCode === 'ENTITY_IS_DELETED') return fromSaveError(404, first);
    if (first.statusCode === 'MALFORMED_ID') return sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${r.params.id ?? ''}`);
    return fromSaveError(400, first);
  }
  commit(dml, result.prepared);
  return { status: 204 };
}

function remove(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  const result = deleteRecord(dmlContext(r), schema.name, r.params.id);
  if (!result.ok) {
    const first = result.errors[0];
    if (!first || first.statusCode === 'INVALID_CROSS_REFERENCE_KEY' || first.statusCode === 'MALFORMED_ID') return notFound();
    return fromSaveError(first.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400, first);
  }
  return { status: 204 };
}

const MINUTE = 60_000;

/** `start`/`end` of a replication request, seconds ignored. */
function window(r: RestContext, maxDays: number): { start: number; end: number; latest: number } {
  const schema = schemaFor(r);
  if (!schema.def.replicateable) throw new SfRequestError(sfError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support replication`));
  const read = (name: 'start' | 'end') => {
    const raw = r.req.query.get(name);
    if (raw === null) throw new SfRequestError(sfError(400, 'MISSING_ARGUMENT', `${name} parameter is required`));
    // A `+00:00` sent without URL-encoding arrives as ` 00:00`.
    const ms = parseDateTime(raw.replace(/ (\d{2}:?\d{2})$/, '+$1'));
    if (ms === undefined) throw new SfRequestError(sfError(400, 'INVALID_REPLICATION_DATE', `${name} date is invalid: ${raw}`));
    return Math.floor(ms / MINUTE) * MINUTE;
  };
  const start = read('start');
  const end = read('end');
  const now = r.org.clock();
  if (start >= end) throw new SfRequestError(sfError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute'));
  const earliestDay = Math.floor(now / 86_400_000) * 86_400_000 - maxDays * 86_400_000;
  if (start < earliestDay) throw new SfRequestError(sfError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${maxDays} days ago`));
  const latest = Math.min(end, Math.floor(now / MINUTE) * MINUTE);
  return { start, end, latest };
}

function deleted(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  const { start, latest } = window(r, 15);
  const entries = r.org.deletions(schema.name, start, latest);
  const purged = r.org.purgedBefore(schema.name);
  const earliest = Math.floor((purged ?? r.org.createdAt) / MINUTE) * MINUTE;
  if (purged !== undefined && purged >= start) {
    return sfError(400, 'INVALID_REPLICATION_DATE', `startDate is before the earliest date available: ${formatDateTime(earliest)}`);
  }
  return json(200, {
    deletedRecords: entries.map((d) => ({ id: d.id, deletedDate: formatDateTime(d.deletedDate) })),
    earliestDateAvailable: formatDateTime(earliest),
    latestDateCovered: formatDateTime(latest),
  });
}

function updated(ctx: RouteContext) {
  const r = rest(ctx);
  const schema = schemaFor(r);
  const { start, latest } = window(r, 30);
  const ids: string[] = [];
  for (const row of r.org.table(schema.name).fromStamp(start)) {
    if ((row.SystemModstamp as number) >= latest) break;
    if (!row.IsDeleted) ids.push(row.Id as string);
  }
  return json(200, { ids, latestDateCovered: formatDateTime(latest) });
}
