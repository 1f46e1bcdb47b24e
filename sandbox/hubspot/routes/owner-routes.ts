/** `GET /crm/v3/owners` (paged, `archived`, `email`) and `GET /crm/v3/owners/{id}`. */
import type { SandboxResponse } from '../../shared/http-server';
import { notFound, validationError } from '../errors';
import { renderOwner } from '../render';
import { json, type RouteContext, type RouteDef } from './context';
import { portalOf } from './object-helpers';
import { boolParam } from './request-input';

const SCOPES = () => ['crm.objects.owners.read'];

export function ownerRoutes(): RouteDef[] {
  return [
    { method: 'GET', pattern: '/crm/v3/owners', kind: 'crm', scopes: SCOPES, handle: listOwners },
    { method: 'GET', pattern: '/crm/v3/owners/:ownerId', kind: 'crm', scopes: SCOPES, handle: getOwner },
  ];
}

function listOwners(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const limitRaw = q.get('limit');
  const limit = limitRaw === null ? 100 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return validationError(`limit must be between 1 and 500, got ${limitRaw}`);
  const after = Number(q.get('after') ?? 0) || 0;
  const archived = boolParam(q, 'archived');
  const email = q.get('email')?.toLowerCase();
  const all = portalOf(ctx)
    .owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email))
    .filter((o) => Number(o.id) >= after);
  const page = all.slice(0, limit);
  const body: Record<string, unknown> = { results: page.map(renderOwner) };
  const next = all[limit];
  if (next) {
    const params = new URLSearchParams(q);
    params.set('after', next.id);
    body.paging = { next: { after: next.id, link: `${ctx.core.baseUrl}/crm/v3/owners/?${params.toString()}` } };
  }
  return json(200, body);
}

function getOwner(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const portal = portalOf(ctx);
  const id = ctx.params.ownerId ?? '';
  const owner = q.get('idProperty') === 'userId' ? portal.ownerStore.byUserId(Number(id)) : portal.ownerStore.get(id);
  if (!owner || owner.archived !== boolParam(q, 'archived')) return notFound();
  return json(200, renderOwner(owner));
}
