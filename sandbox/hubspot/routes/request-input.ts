/** Reading query parameters and validating JSON bodies, with HubSpot-style 400s. */
import { z } from 'zod';
import type { SandboxResponse } from '../../shared/http-server';
import { validationError } from '../errors';

/** `properties=a,b&properties=c` → `[a, b, c]`; undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): { ok: true; value: z.infer<T> } | { ok: false; response: SandboxResponse } {
  if (body === undefined) return { ok: false, response: validationError('Invalid input JSON: the request body is empty') };
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, response: validationError(`Invalid input JSON${where}: ${issue?.message ?? 'invalid'}`) };
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const id = z.union([z.string(), z.number()]).transform((v) => String(v));

export const PropertyValues = z.record(z.string(), z.union([scalar, z.null()]));

export const AssociationInput = z.object({
  to: z.object({ id }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1),
});

export const CreateInput = z.object({ properties: PropertyValues, associations: z.array(AssociationInput).optional() });
export const UpdateInput = z.object({ properties: PropertyValues });

export const BatchReadInput = z.object({
  inputs: z.array(z.object({ id })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export const BatchUpdateInput = z.object({
  inputs: z.array(z.object({ id, idProperty: z.string().optional(), objectWriteTraceId: z.string().optional(), properties: PropertyValues })),
});

export const BatchCreateInput = z.object({ inputs: z.array(CreateInput.extend({ objectWriteTraceId: z.string().optional() })) });
export const BatchArchiveInput = z.object({ inputs: z.array(z.object({ id })) });

const operator = z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);
const filterValue = scalar.transform((v) => String(v));

export const SearchInput = z.object({
  filterGroups: z.array(z.object({ filters: z.array(z.object({ propertyName: z.string(), operator, value: filterValue.optional(), highValue: filterValue.optional(), values: z.array(filterValue).optional() })) })).optional(),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).optional() })])).optional(),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).optional(),
  after: z.union([z.string(), z.number()]).optional(),
});

export const MergeInput = z.object({ primaryObjectId: id, objectIdToMerge: id });

export const PropertyCreateInput = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
  fieldType: z.enum(['text', 'textarea', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'date', 'file', 'html', 'phonenumber', 'calculation_equation']),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string(), displayOrder: z.number().int().optional(), hidden: z.boolean().optional(), description: z.string().optional() })).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});

export const PropertyUpdateInput = PropertyCreateInput.partial().omit({ name: true });

export const GroupCreateInput = z.object({ name: z.string(), label: z.string(), displayOrder: z.number().int().optional() });
