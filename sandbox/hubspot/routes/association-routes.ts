/** v4 associations: list a record's associations of one type, and create a default association. */
import type { SandboxResponse } from '../../shared/http-server';
import { notFound, validationError } from '../errors';
import { defaultAssociationTypeId } from '../store/associations';
import { json, type RouteContext, type RouteDef } from './context';
import { objectTypeOf, portalOf, readScopes, writeScopes } from './object-helpers';

export function associationRoutes(): RouteDef[] {
  return [
    { method: 'GET', pattern: '/crm/v4/objects/:objectType/:id/associations/:toObjectType', kind: 'crm', scopes: readScopes(), handle: listAssociations },
    {
      method: 'PUT',
      pattern: '/crm/v4/objects/:objectType/:id/associations/default/:toObjectType/:toId',
      kind: 'crm',
      scopes: writeScopes(),
      handle: createDefault,
    },
  ];
}

function listAssociations(ctx: RouteContext): SandboxResponse {
  const from = objectTypeOf(ctx);
  if (!from.ok) return from.response;
  const to = objectTypeOf(ctx, 'toObjectType');
  if (!to.ok) return to.response;
  const portal = portalOf(ctx);
  const id = portal.stores[from.type].resolveId(ctx.params.id ?? '');
  const limit = Math.min(Number(ctx.req.query.get('limit') ?? 500) || 500, 500);
  const after = Number(ctx.req.query.get('after') ?? 0) || 0;
  const edges = portal.associations.list(from.type, id, to.type).filter((e) => Number(e.toId) >= after);
  const body: Record<string, unknown> = {
    results: edges.slice(0, limit).map((e) => ({
      toObjectId: Number(e.toId),
      associationTypes: e.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: typeId === 1 || typeId === 2 ? 'Primary' : null })),
    })),
  };
  const next = edges[limit];
  if (next) body.paging = { next: { after: next.toId, link: `${ctx.core.baseUrl}${ctx.req.path}?after=${next.toId}` } };
  return json(200, body);
}

function createDefault(ctx: RouteContext): SandboxResponse {
  const from = objectTypeOf(ctx);
  if (!from.ok) return from.response;
  const to = objectTypeOf(ctx, 'toObjectType');
  if (!to.ok) return to.response;
  const portal = portalOf(ctx);
  const a = portal.stores[from.type].get(ctx.params.id ?? '');
  const b = portal.stores[to.type].get(ctx.params.toId ?? '');
  if (!a || !b) return notFound();
  const typeId = defaultAssociationTypeId(from.type, to.type);
  if (typeId === undefined) return validationError(`No default association from ${from.type} to ${to.type}`);
  portal.associations.add(from.type, a.id, to.type, b.id, typeId);
  const now = new Date().toISOString();
  return json(200, {
    status: 'COMPLETE',
    results: [{ from: { id: a.id }, to: { id: b.id }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
    startedAt: now,
    completedAt: now,
  });
}
