import { CrmError } from '../../src/errors/crm-error';
import type { CrmOwner } from '../types';
import type { SalesforceClients } from './client';
import { isObjectType, LEAD } from './mapping';
import { queryAll, soqlString } from './soql';
import { isSalesforceId, toId18 } from './tenant';
import { SCORE_WRITE_HEADERS } from './write-scores';

/**
 * Every owner of the org: Users who can own records (`UserType = 'Standard'`, inactive ones with
 * `active: false`) and the queues that can own Leads (a Contact, and a Task, cannot be owned by a queue).
 */
export async function listOwners(clients: SalesforceClients, tenant: string, signal?: AbortSignal): Promise<CrmOwner[]> {
  const users = await queryAll(clients, tenant, "SELECT Id, IsActive FROM User WHERE UserType = 'Standard' ORDER BY Id", { signal });
  const queues = await queryAll(clients, tenant, "SELECT Id FROM Group WHERE Type = 'Queue' AND Id IN (SELECT QueueId FROM QueueSobject WHERE SobjectType = 'Lead') ORDER BY Id", { signal });
  return [
    // aliases: the 15-character form of each id, so ids copied from the Salesforce UI into routing.yaml match
    ...users.records.map((u): CrmOwner => ({ id: u.Id, active: u.IsActive === true, kind: 'user', aliases: [String(u.Id).slice(0, 15)] })),
    ...queues.records.map((q): CrmOwner => ({ id: q.Id, active: true, kind: 'queue', aliases: [String(q.Id).slice(0, 15)] })),
  ];
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** The host of an Account's Website (`https://www.Acme.example/about` → `acme.example`), or undefined. */
export function websiteDomain(website: unknown): string | undefined {
  if (typeof website !== 'string' || !website.trim()) return undefined;
  const text = website.trim();
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`).hostname.toLowerCase();
    return host.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The owner of the Account whose Website is on `domain` (most recently changed first), or null.
 * SOQL narrows with `LIKE`; the host is then compared exactly, so `acme.example` does not match
 * `notacme.example`.
 */
export async function findAccountOwner(clients: SalesforceClients, tenant: string, domain: string, signal?: AbortSignal): Promise<string | null> {
  const d = domain.trim().toLowerCase();
  if (!DOMAIN.test(d)) return null;
  const soql = `SELECT Id, OwnerId, Website FROM Account WHERE Website LIKE ${soqlString(`%${d}%`)} ORDER BY LastModifiedDate DESC LIMIT 50`;
  const { records } = await queryAll(clients, tenant, soql, { maxRows: 50, signal });
  const hit = records.find((a) => websiteDomain(a.Website) === d && typeof a.OwnerId === 'string');
  return hit ? (hit.OwnerId as string) : null;
}

/** Sets `OwnerId` of a Lead or Contact, with `Sforce-Auto-Assign: FALSE` so that assignment rules do not move it again. */
export async function assignOwner(clients: SalesforceClients, tenant: string, objectType: string, id: string, ownerId: string, signal?: AbortSignal): Promise<void> {
  if (!isObjectType(objectType)) throw new CrmError(`the Salesforce connector assigns Leads and Contacts, not ${objectType}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  if (!isSalesforceId(id) || !isSalesforceId(ownerId)) throw new CrmError(`not Salesforce ids: ${id}, ${ownerId}`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  if (objectType !== LEAD && ownerId.startsWith('00G')) throw new CrmError(`a ${objectType} cannot be owned by a queue (${ownerId})`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
  await clients.request(tenant, 'write', { method: 'PATCH', url: `/sobjects/${objectType}/${toId18(id)}`, body: JSON.stringify({ OwnerId: ownerId }), headers: { ...SCORE_WRITE_HEADERS } }, signal);
}
