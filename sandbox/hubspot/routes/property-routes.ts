/** Property definitions and groups: list, read, create (409 when the name is taken), update. */
import type { SandboxResponse } from '../../shared/http-server';
import { hubspotError, notFound, validationError } from '../errors';
import { renderGroup, renderProperty } from '../render';
import type { PropertyDefinition } from '../store/default-properties';
import { OBJECT_TYPES, parseObjectType } from '../store/object-types';
import { json, type RouteContext, type RouteDef } from './context';
import { objectTypeOf, portalOf } from './object-helpers';
import { boolParam, GroupCreateInput, parseBody, PropertyCreateInput, PropertyUpdateInput } from './request-input';

const NAME = /^[a-z][a-z0-9_]*$/;

function schemaScopes(write: boolean) {
  return (ctx: RouteContext) => {
    const t = parseObjectType(ctx.params.objectType ?? '');
    if (!t) return undefined;
    const info = OBJECT_TYPES[t];
    return write ? [info.schemaWriteScope] : [info.schemaReadScope, info.schemaWriteScope];
  };
}

export function propertyRoutes(): RouteDef[] {
  const base = '/crm/v3/properties/:objectType';
  return [
    { method: 'GET', pattern: `${base}/groups`, kind: 'crm', scopes: schemaScopes(false), handle: listGroups },
    { method: 'POST', pattern: `${base}/groups`, kind: 'crm', scopes: schemaScopes(true), handle: createGroup },
    { method: 'GET', pattern: `${base}/groups/:groupName`, kind: 'crm', scopes: schemaScopes(false), handle: getGroup },
    { method: 'GET', pattern: base, kind: 'crm', scopes: schemaScopes(false), handle: listProperties },
    { method: 'POST', pattern: base, kind: 'crm', scopes: schemaScopes(true), handle: createProperty },
    { method: 'GET', pattern: `${base}/:propertyName`, kind: 'crm', scopes: schemaScopes(false), handle: getProperty },
    { method: 'PATCH', pattern: `${base}/:propertyName`, kind: 'crm', scopes: schemaScopes(true), handle: updateProperty },
  ];
}

function listProperties(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const registry = portalOf(ctx).properties[t.type];
  return json(200, { results: registry.list(boolParam(ctx.req.query, 'archived')).map(renderProperty) });
}

function getProperty(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const p = portalOf(ctx).properties[t.type].get(ctx.params.propertyName ?? '');
  return p ? json(200, renderProperty(p)) : notFound(`Unable to find property ${ctx.params.propertyName} for object type ${OBJECT_TYPES[t.type].typeId}`);
}

function createProperty(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(PropertyCreateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const input = parsed.value;
  const portal = portalOf(ctx);
  const registry = portal.properties[t.type];
  if (!NAME.test(input.name)) return validationError(`Property name "${input.name}" is invalid: it must start with a lower-case letter and hold only lower-case letters, digits and underscores`);
  if (registry.get(input.name)) {
    return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`, { subCategory: 'PropertyValidationError.PROPERTY_EXISTS', context: { name: [input.name] } });
  }
  if (!registry.group(input.groupName)) return validationError(`Property group '${input.groupName}' does not exist`, { context: { groupName: [input.groupName] } });
  if (input.type === 'enumeration' && !(input.options?.length) && input.fieldType !== 'booleancheckbox') {
    return validationError(`Enumeration property ${input.name} needs at least one option`);
  }
  const now = ctx.core.clock();
  const definition: PropertyDefinition = {
    name: input.name,
    label: input.label,
    type: input.type,
    fieldType: input.fieldType,
    groupName: input.groupName,
    description: input.description ?? '',
    options: (input.options ?? []).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, description: o.description })),
    displayOrder: input.displayOrder ?? -1,
    hubspotDefined: false,
    readOnlyValue: false,
    hasUniqueValue: input.hasUniqueValue ?? false,
    calculated: false,
    externalOptions: false,
    hidden: input.hidden ?? false,
    formField: input.formField ?? false,
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  registry.put(definition);
  return json(201, renderProperty(definition));
}

function updateProperty(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(PropertyUpdateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const registry = portalOf(ctx).properties[t.type];
  const current = registry.get(ctx.params.propertyName ?? '');
  if (!current) return notFound(`Unable to find property ${ctx.params.propertyName}`);
  if (current.hubspotDefined && (parsed.value.type || parsed.value.fieldType)) return validationError(`${current.name} is a HubSpot-defined property; its type cannot change`);
  const { options, ...rest } = parsed.value;
  const next: PropertyDefinition = {
    ...current,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(options ? { options: options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, description: o.description })) } : {}),
    updatedAt: ctx.core.clock(),
  };
  registry.put(next);
  return json(200, renderProperty(next));
}

function listGroups(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  return json(200, { results: portalOf(ctx).properties[t.type].listGroups().map(renderGroup) });
}

function getGroup(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const g = portalOf(ctx).properties[t.type].group(ctx.params.groupName ?? '');
  return g && !g.archived ? json(200, renderGroup(g)) : notFound(`Unable to find property group ${ctx.params.groupName}`);
}

function createGroup(ctx: RouteContext): SandboxResponse {
  const t = objectTypeOf(ctx);
  if (!t.ok) return t.response;
  const parsed = parseBody(GroupCreateInput, ctx.json);
  if (!parsed.ok) return parsed.response;
  const registry = portalOf(ctx).properties[t.type];
  const { name, label, displayOrder } = parsed.value;
  if (!NAME.test(name)) return validationError(`Property group name "${name}" is invalid`);
  if (registry.group(name)) {
    return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${name}' already exists.`, { context: { name: [name] } });
  }
  const group = { name, label, displayOrder: displayOrder ?? -1, archived: false };
  registry.putGroup(group);
  return json(201, renderGroup(group));
}
