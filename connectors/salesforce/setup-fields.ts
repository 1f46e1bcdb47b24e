import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import { sleep } from '../../src/rate-limit/sliding-window-limiter';
import type { SalesforceClients } from './client';
import { isObjectType, linkFieldOf, type SalesforceMapping, type SalesforceObjectType } from './mapping';
import { SalesforceHttpError } from './salesforce-http-error';
import { SCORE_TIERS, scoreFieldDefinitions, type ScoreFieldDefinition } from './score-fields';
import { eventFieldsToSelect } from './to-lead';
import { inList, queryAll, soqlString } from './soql';

const log = childLogger('salesforce');

/** The permission set that grants the connector's user field-level security on the score fields. */
export const PERMISSION_SET = { Name: 'Lead_Scoring_Connector', Label: 'Lead Scoring Connector', Description: 'Read and edit access to the lead score fields, for the lead-scoring connector' } as const;

export interface SetupDeps {
  clients: SalesforceClients;
  mapping: SalesforceMapping;
  /** Waits before describing again when fields are not visible yet (default 1 s, then 3 s). */
  verifyRetryDelaysMs?: readonly number[];
}

const saveResult = z.object({ id: z.string().nullish(), success: z.boolean(), errors: z.array(z.object({ statusCode: z.string().optional(), message: z.string().optional() }).loose()).default([]) }).loose();
const describeResult = z.object({
  name: z.string(),
  fields: z.array(
    z
      .object({
        name: z.string(),
        type: z.string(),
        updateable: z.boolean().optional(),
        relationshipName: z.string().nullish(),
        picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().optional() }).loose()).optional(),
      })
      .loose(),
  ),
});
type Describe = z.infer<typeof describeResult>;

/**
 * Makes an org ready to be scored, idempotently:
 * 1. creates the score fields on Lead and Contact through the Tooling API (CustomField), those that
 *    do not exist yet;
 * 2. grants field-level security, which fields created through the API do not get: a permission
 *    set `Lead_Scoring_Connector` (created or reused) with read and edit FieldPermissions on every
 *    score field of every object, assigned to the user the connector acts as;
 * 3. checks with fresh describes that every score field is visible and updateable with a type our
 *    values fit, and that every field the mapping reads exists (object fields and event sources).
 * Every problem is reported at once, in a non-retryable CrmError that names object, field and fix.
 */
export async function setupTenant(deps: SetupDeps, tenant: string, userId: string): Promise<void> {
  const defs = scoreFieldDefinitions(deps.mapping);
  const objects = (Object.keys(deps.mapping.objects) as string[]).filter(isObjectType);
  await createMissingFields(deps.clients, tenant, objects, defs);
  const permissionSetId = await ensurePermissionSet(deps.clients, tenant);
  await ensureFieldPermissions(deps.clients, tenant, permissionSetId, objects, defs);
  await ensureAssignment(deps.clients, tenant, permissionSetId, userId);

  let problems: Problem[] = [];
  for (const delay of [0, ...(deps.verifyRetryDelaysMs ?? [1_000, 3_000])]) {
    if (delay) await sleep(delay);
    problems = await verify(deps, tenant, objects, defs);
    // field-level security can take a moment to reach describe; other problems will not go away
    if (!problems.some((p) => p.transient)) break;
  }
  if (problems.length) {
    throw new CrmError(`cannot score ${tenant}: ${problems.map((p) => p.text).join('; ')}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  }
  log.info('Salesforce score fields are in place and writable', { tenant, objects, fields: defs.length });
}

/** Custom fields are named by object and developer name (`Lead_Score` for `Lead_Score__c`). */
function developerName(field: string): string {
  return field.replace(/__c$/, '');
}

async function createMissingFields(clients: SalesforceClients, tenant: string, objects: SalesforceObjectType[], defs: ScoreFieldDefinition[]): Promise<void> {
  const soql = `SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId IN (${inList(objects)}) AND DeveloperName IN (${inList(defs.map((d) => developerName(d.name)))})`;
  const { records } = await queryAll(clients, tenant, soql, { kind: 'setup', tooling: true });
  const existing = new Set(records.map((r) => `${String(r.TableEnumOrId)}.${String(r.DeveloperName)}`.toLowerCase()));
  for (const object of objects) {
    for (const def of defs) {
      if (existing.has(`${object}.${developerName(def.name)}`.toLowerCase())) continue;
      try {
        await clients.request(tenant, 'setup', { method: 'POST', url: '/tooling/sobjects/CustomField', body: JSON.stringify({ FullName: `${object}.${def.name}`, Metadata: def.metadata }), headers: { 'content-type': 'application/json' } });
        log.info('created a score field', { tenant, field: `${object}.${def.name}` });
      } catch (err) {
        const http = err instanceof CrmError && err.cause instanceof SalesforceHttpError ? err.cause : undefined;
        if (http && /^DUPLICATE_/.test(http.errorCode)) continue; // created meanwhile: fine
        throw explainSetupError(err, tenant, `creating the field ${object}.${def.name}`);
      }
    }
  }
}

async function ensurePermissionSet(clients: SalesforceClients, tenant: string): Promise<string> {
  const find = async () => (await queryAll(clients, tenant, `SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET.Name)}`, { kind: 'setup' })).records[0]?.Id;
  const found = await find();
  if (found) return found;
  try {
    const created = saveResult.parse(await clients.request(tenant, 'setup', { method: 'POST', url: '/sobjects/PermissionSet', body: JSON.stringify(PERMISSION_SET), headers: { 'content-type': 'application/json' } }));
    if (created.id) {
      log.info('created the permission set', { tenant, permissionSet: PERMISSION_SET.Name });
      return created.id;
    }
  } catch (err) {
    const http = err instanceof CrmError && err.cause instanceof SalesforceHttpError ? err.cause : undefined;
    if (!(http && /^DUPLICATE_/.test(http.errorCode))) throw explainSetupError(err, tenant, `creating the permission set ${PERMISSION_SET.Name}`);
  }
  const again = await find();
  if (!again) throw new CrmError(`creating the permission set ${PERMISSION_SET.Name} in ${tenant} did not give it an id`, 'UNKNOWN', true, { crm: 'salesforce', tenant });
  return again;
}

async function ensureFieldPermissions(clients: SalesforceClients, tenant: string, permissionSetId: string, objects: SalesforceObjectType[], defs: ScoreFieldDefinition[]): Promise<void> {
  const soql = `SELECT Id, Field, SobjectType, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${soqlString(permissionSetId)} AND SobjectType IN (${inList(objects)})`;
  const { records } = await queryAll(clients, tenant, soql, { kind: 'setup' });
  const have = new Map(records.map((r) => [String(r.Field).toLowerCase(), r]));
  const create: Record<string, unknown>[] = [];
  const update: Record<string, unknown>[] = [];
  for (const object of objects) {
    for (const def of defs) {
      const field = `${object}.${def.name}`;
      const current = have.get(field.toLowerCase());
      if (!current) create.push({ attributes: { type: 'FieldPermissions' }, ParentId: permissionSetId, SobjectType: object, Field: field, PermissionsRead: true, PermissionsEdit: true });
      else if (current.PermissionsRead !== true || current.PermissionsEdit !== true) update.push({ attributes: { type: 'FieldPermissions' }, id: current.Id, PermissionsRead: true, PermissionsEdit: true });
    }
  }
  const problems: string[] = [];
  for (const [method, records] of [
    ['POST', create],
    ['PATCH', update],
  ] as const) {
    if (records.length === 0) continue;
    let raw: unknown;
    try {
      raw = await clients.request(tenant, 'setup', { method, url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
    } catch (err) {
      throw explainSetupError(err, tenant, 'granting field-level security on the score fields');
    }
    const results = z.array(saveResult).safeParse(raw);
    if (!results.success) throw new CrmError(`granting field-level security in ${tenant}: Salesforce's answer is not one result per record`, 'UNKNOWN', true, { crm: 'salesforce', tenant });
    results.data.forEach((r, i) => {
      if (r.success) return;
      const e = r.errors[0];
      if (e?.statusCode && /^DUPLICATE_/.test(e.statusCode)) return;
      const rec = records[i]!;
      problems.push(`${String(rec.Field ?? rec.id)}: ${e?.statusCode ?? 'UNKNOWN'} ${e?.message ?? ''}`.trim());
    });
  }
  if (problems.length) {
    throw new CrmError(`could not grant field-level security on the score fields in ${tenant} (permission set ${PERMISSION_SET.Name}): ${problems.join('; ')}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  }
  if (create.length + update.length) log.info('granted field-level security on the score fields', { tenant, created: create.length, updated: update.length });
}

async function ensureAssignment(clients: SalesforceClients, tenant: string, permissionSetId: string, userId: string): Promise<void> {
  const soql = `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(permissionSetId)} AND AssigneeId = ${soqlString(userId)}`;
  if ((await queryAll(clients, tenant, soql, { kind: 'setup' })).records.length) return;
  try {
    await clients.request(tenant, 'setup', { method: 'POST', url: '/sobjects/PermissionSetAssignment', body: JSON.stringify({ PermissionSetId: permissionSetId, AssigneeId: userId }), headers: { 'content-type': 'application/json' } });
    log.info('assigned the permission set to the connector user', { tenant, permissionSet: PERMISSION_SET.Name, userId });
  } catch (err) {
    const http = err instanceof CrmError && err.cause instanceof SalesforceHttpError ? err.cause : undefined;
    if (http && /^DUPLICATE_/.test(http.errorCode)) return;
    throw explainSetupError(err, tenant, `assigning the permission set ${PERMISSION_SET.Name} to user ${userId}`);
  }
}

interface Problem {
  text: string;
  /** Field-level security not visible yet: worth describing again. */
  transient: boolean;
}

/** Fresh describes (never jsforce's cache) of every scored object and every event source object. */
async function verify(deps: SetupDeps, tenant: string, objects: SalesforceObjectType[], defs: ScoreFieldDefinition[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const describes = new Map<string, Describe>();
  const describe = async (object: string): Promise<Describe> => {
    const hit = describes.get(object);
    if (hit) return hit;
    const raw = await deps.clients.request<unknown>(tenant, 'describe', { method: 'GET', url: `/sobjects/${object}/describe` });
    const parsed = describeResult.safeParse(raw);
    if (!parsed.success) throw new CrmError(`the describe of ${object} in ${tenant} is not what Salesforce documents`, 'UNKNOWN', true, { crm: 'salesforce', tenant });
    describes.set(object, parsed.data);
    return parsed.data;
  };

  for (const object of objects) {
    const d = await describe(object);
    const byName = new Map(d.fields.map((f) => [f.name.toLowerCase(), f]));
    for (const def of defs) {
      const f = byName.get(def.name.toLowerCase());
      const name = `${object}.${def.name}`;
      if (!f) {
        problems.push({ text: `${name} is not visible to the connector's user (field-level security: check the permission set ${PERMISSION_SET.Name})`, transient: true });
        continue;
      }
      if (!def.acceptedTypes.includes(f.type)) {
        problems.push({ text: `${name} is a ${f.type} field but must be ${def.acceptedTypes.join(' or ')}: delete it or name another field in config/mappings/salesforce.yaml (output)`, transient: false });
        continue;
      }
      if (f.updateable !== true) problems.push({ text: `${name} is visible but not editable by the connector's user (field-level security or the object's edit permission)`, transient: true });
      if (def.key === 'tier' && f.type === 'picklist') {
        const values = new Set((f.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value));
        const lacking = SCORE_TIERS.filter((t) => !values.has(t));
        if (lacking.length) problems.push({ text: `the picklist ${name} lacks the values ${lacking.join(', ')}: add them in Setup`, transient: false });
      }
    }
    const o = deps.mapping.objects[object]!;
    for (const a of Object.values(o.attributes)) {
      const problem = missingField(d, a.field);
      if (problem) problems.push({ text: `${object}: ${problem} (config/mappings/salesforce.yaml, objects.${object}.attributes)`, transient: false });
    }
    for (const source of o.events) {
      let ed: Describe;
      try {
        ed = await describe(source.from);
      } catch (err) {
        if (err instanceof CrmError && err.code === 'NOT_FOUND') {
          problems.push({ text: `${object} events: the object ${source.from} does not exist or is not visible to the connector's user`, transient: false });
          continue;
        }
        throw err;
      }
      for (const field of eventFieldsToSelect(source, object)) {
        const problem = missingField(ed, field);
        if (problem) problems.push({ text: `${object} events from ${source.from}: ${problem}${field === linkFieldOf(source, object) ? ' (set linkedBy)' : ''}`, transient: false });
      }
    }
  }
  return problems;
}

/** Why a mapped field path cannot be read from an object, or undefined when it can (a relationship path checks its first step). */
function missingField(d: Describe, path: string): string | undefined {
  const [first, ...rest] = path.split('.');
  if (!first) return undefined;
  if (rest.length === 0) return d.fields.some((f) => f.name.toLowerCase() === first.toLowerCase()) ? undefined : `${d.name}.${first} does not exist or is not visible to the connector's user`;
  return d.fields.some((f) => f.relationshipName?.toLowerCase() === first.toLowerCase()) ? undefined : `${d.name} has no relationship ${first} (in ${path})`;
}

/** A setup call Salesforce refused, with what the installing user needs when it is a permission problem. */
function explainSetupError(err: unknown, tenant: string, what: string): CrmError {
  const crm = err instanceof CrmError ? err : new CrmError(`${what} failed: ${String(err)}`, 'UNKNOWN', false, { crm: 'salesforce', tenant }, { cause: err });
  const http = crm.cause instanceof SalesforceHttpError ? crm.cause : undefined;
  if (http && /INSUFFICIENT_ACCESS|NOT_API_ENABLED|API_DISABLED|CANNOT_MODIFY_MANAGED/.test(http.errorCode)) {
    return new CrmError(
      `${what} in ${tenant} was refused (${http.errorCode}: ${http.detail}): install the connector as a user with "Customize Application", "Manage Profiles and Permission Sets" and "Assign Permission Sets", or create the fields and permission set ${PERMISSION_SET.Name} by hand`,
      'INVALID_REQUEST',
      false,
      { crm: 'salesforce', tenant, status: http.status },
      { cause: http },
    );
  }
  return crm;
}
