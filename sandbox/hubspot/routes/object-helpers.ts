/** Pieces the object routes share: object type from the path, scopes, change source, batch bodies. */
import type { SandboxResponse } from '../../shared/http-server';
import { validationError } from '../errors';
import type { ChangeSource } from '../store/change-events';
import { OBJECT_TYPES, parseObjectType, type ObjectType } from '../store/object-types';
import type { Portal } from '../store/portal';
import type { RouteContext } from './context';

export const MAX_BATCH_INPUTS = 100;

export function objectTypeOf(ctx: RouteContext, param = 'objectType'): { ok: true; type: ObjectType } | { ok: false; response: SandboxResponse } {
  const raw = ctx.params[param] ?? '';
  const type = parseObjectType(raw);
  return type ? { ok: true, type } : { ok: false, response: validationError(`Unable to infer object type from: ${raw}`) };
}

export function readScopes(param = 'objectType') {
  return (ctx: RouteContext) => {
    const t = parseObjectType(ctx.params[param] ?? '');
    return t ? [OBJECT_TYPES[t].readScope, OBJECT_TYPES[t].writeScope] : undefined;
  };
}

export function writeScopes(param = 'objectType') {
  return (ctx: RouteContext) => {
    const t = parseObjectType(ctx.params[param] ?? '');
    return t ? [OBJECT_TYPES[t].writeScope] : undefined;
  };
}

/** API writes by an app carry `INTEGRATION` and the app's id, as in HubSpot's webhook payloads. */
export function apiSource(ctx: RouteContext): ChangeSource {
  return { changeSource: 'INTEGRATION', sourceId: String(ctx.auth?.appId ?? '') };
}

export function portalOf(ctx: RouteContext): Portal {
  if (!ctx.portal) throw new Error('route needs a portal');
  return ctx.portal;
}

export function tooManyInputs(count: number): SandboxResponse {
  return validationError(`Batch input limit exceeded: ${count} inputs were sent and at most ${MAX_BATCH_INPUTS} are allowed.`, {
    context: { maxInputs: [String(MAX_BATCH_INPUTS)] },
  });
}

export interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context?: Record<string, string[]>;
  errors?: unknown[];
}

export function notFoundBatchError(type: ObjectType, ids: string[]): BatchError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${OBJECT_TYPES[type].label} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

/** HubSpot's batch answer; 207 Multi-Status when some inputs failed. */
export function batchResponse(results: unknown[], errors: BatchError[], startedAt: number, okStatus: number): SandboxResponse {
  const body: Record<string, unknown> = { status: 'COMPLETE', results };
  if (errors.length) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  body.startedAt = new Date(startedAt).toISOString();
  body.completedAt = new Date().toISOString();
  return { status: errors.length ? 207 : okStatus, body };
}
