/**
 * Batch read, update, create and archive. At most 100 inputs (more is a 400). Ids that do not
 * exist make a 207 Multi-Status whose `errors` name them and whose `results` hold the rest; a
 * value HubSpot would refuse fails the whole batch with a 400 before anything is written.
 */
import type { SandboxResponse } from '../../shared/http-server';
import { propertyValuesInvalid, validationError, type PropertyValueError } from '../errors';
import { renderRecord, renderWritten, selectProperties } from '../render';
import { checkValues } from '../store/check-values';
import type { CrmRecord } from '../store/crm-record';
import { OBJECT_TYPES } from '../store/object-types';
import type { RouteContext, RouteDef } from './context';
import { apiSource, batchResponse, MAX_BATCH_INPUTS, notFoundBatchError, objectTypeOf, portalOf, readScopes, tooManyInputs, writeScopes, type BatchError } from './object-helpers';
import { createOne, findRecord } from './object-routes';
import { BatchArchiveInput, BatchCreateInput, BatchReadInput, BatchUpdateInput, boolParam, parseBody } from './request-input';

export function batchRoutes(): RouteDef[] {
  const base = '/crm/v3/objects/:objectType/batch';
  return [
    { method: 'POST', pattern: `${base}/read`, kind: 'crm', scopes: readScopes(), handle: batchRead },
    { method: 'POST', pattern: `${base}/update`, kind: 'crm', scopes: writeScopes(), handle: batchUpdate },
    { method: 'POST', pattern: `${base}/create`, kind: 'crm', scopes: writeScopes(), handle: batchCreate },
    { method: 'POST', pattern: `${base}/archive`, kind: 'crm', scopes: writeScopes(), handle: batchArchive },
  ];
}

function batchRead(ctx: RouteContext): SandboxResponse {
  const startedAt = Date.now();
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(BatchReadInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const { inputs, properties, idProperty } = parsed.value;
  if (inputs.length > MAX_BATCH_INPUTS) return tooManyInputs(inputs.length);
  const portal = portalOf(ctx);
  const archived = boolParam(ctx.req.query, 'archived');
  const names = selectProperties(OBJECT_TYPES[t.type], portal.properties[t.type], properties);
  const results: unknown[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  for (const { id } of inputs) {
    const record = findRecord(portal, t.type, id, idProperty, archived);
    if (!record) {
      missing.push(id);
      continue;
    }
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    results.push(renderRecord(record, names));
  }
  const errors = missing.length ? [notFoundBatchError(t.type, missing)] : [];
  return batchResponse(results, errors, startedAt, 200);
}

function batchUpdate(ctx: RouteContext): SandboxResponse {
  const startedAt = Date.now();
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(BatchUpdateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const { inputs } = parsed.value;
  if (inputs.length > MAX_BATCH_INPUTS) return tooManyInputs(inputs.length);
  const portal = portalOf(ctx);

  const ids = inputs.map((i) => i.id);
  const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (dupes.length) return validationError(`Duplicate IDs found in batch input: [${dupes.join(', ')}]. IDs must be unique`);

  // Every value is checked before anything is written, as HubSpot refuses the batch as a whole.
  const problems: PropertyValueError[] = [];
  for (const input of inputs) {
    const checked = checkValues(portal.properties[t.type], input.properties, { portalId: portal.portalId, owners: portal.ownerStore, allowReadOnly: false });
    if (!checked.ok) problems.push(...checked.errors);
  }
  if (problems.length) return propertyValuesInvalid(problems);

  const base = portal.stamp();
  const results: unknown[] = [];
  const missing: string[] = [];
  const errors: BatchError[] = [];
  inputs.forEach((input, i) => {
    const record = findRecord(portal, t.type, input.id, input.idProperty, false);
    if (!record) {
      missing.push(input.id);
      return;
    }
    const written = portal.updateRecord(t.type, record.id, input.properties, { source: apiSource(ctx), ts: portal.batchStamp(base, i) });
    if (!written) missing.push(input.id);
    else if (!written.ok) errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${JSON.stringify(written.errors)}`, context: { ids: [input.id] } });
    else results.push(renderWritten(written.record, OBJECT_TYPES[t.type], Object.keys(input.properties)));
  });
  if (missing.length) errors.unshift(notFoundBatchError(t.type, missing));
  return batchResponse(results, errors, startedAt, 200);
}

function batchCreate(ctx: RouteContext): SandboxResponse {
  const startedAt = Date.now();
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(BatchCreateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const { inputs } = parsed.value;
  if (inputs.length > MAX_BATCH_INPUTS) return tooManyInputs(inputs.length);
  const portal = portalOf(ctx);
  const problems: PropertyValueError[] = [];
  for (const input of inputs) {
    const checked = checkValues(portal.properties[t.type], input.properties, { portalId: portal.portalId, owners: portal.ownerStore, allowReadOnly: false });
    if (!checked.ok) problems.push(...checked.errors);
  }
  if (problems.length) return propertyValuesInvalid(problems);
  const base = portal.stamp();
  const made: CrmRecord[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const result = createOne(ctx, t.type, inputs[i]!, portal.batchStamp(base, i));
    if (!result.ok) return result.response;
    made.push(result.record);
  }
  return batchResponse(made.map((r) => renderRecord(r, r.names())), [], startedAt, 201);
}

function batchArchive(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(BatchArchiveInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  if (parsed.value.inputs.length > MAX_BATCH_INPUTS) return tooManyInputs(parsed.value.inputs.length);
  const portal = portalOf(ctx);
  for (const { id } of parsed.value.inputs) portal.archiveRecord(t.type, id, { source: apiSource(ctx) });
  return { status: 204 };
}
