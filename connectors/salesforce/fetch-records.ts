import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import type { CrmRecord, FetchResult } from '../types';
import type { SalesforceClients } from './client';
import { CONTACT, LEAD, objectMapping, type SalesforceMapping } from './mapping';
import type { ResolvedOptions } from './options';
import { fetchRelated } from './related';
import { chunkIds, inList, queryAll } from './soql';
import { isSalesforceId, toId18 } from './tenant';
import { fieldsToSelect, salesforceRecordToCrmRecord, type SalesforceRecord } from './to-lead';

const log = childLogger('salesforce');

/** Composite collections and our id lists: at most 200 records a request. */
export const BATCH_SIZE = 200;

export interface RecordDeps {
  ctx: ServiceContext;
  clients: SalesforceClients;
  mapping: SalesforceMapping;
  options: ResolvedOptions;
}

/**
 * Reads Leads or Contacts by id: `SELECT … FROM Lead WHERE Id IN (…)`, at most 200 ids a query,
 * then their related records in bulk (events). Ids Salesforce does not return (deleted, merged
 * away, or not ids at all) are `missing`; so are converted Leads, whose contact is queued for
 * scoring instead (see `handOverConverted`).
 */
export async function fetchRecords(deps: RecordDeps, tenant: string, objectType: string, ids: string[], signal?: AbortSignal): Promise<FetchResult> {
  const o = objectMapping(deps.mapping, objectType);
  const wanted = [...new Set(ids)];
  const byId18 = new Map<string, string>();
  for (const id of wanted) if (isSalesforceId(id)) byId18.set(toId18(id), id);
  const fields = fieldsToSelect(deps.mapping, o.objectType);
  const build = (list: string) => `SELECT ${fields.join(', ')} FROM ${o.objectType} WHERE Id IN (${list})`;

  const rows: SalesforceRecord[] = [];
  for (const chunk of chunkIds([...byId18.keys()], build, deps.options.maxQueryUrlLength, BATCH_SIZE)) {
    rows.push(...(await queryAll(deps.clients, tenant, build(inList(chunk)), { signal })).records);
  }
  const { live, converted } = await handOverConverted(deps.ctx, tenant, rows);
  const related = await fetchRelated(deps.clients, deps.options, tenant, o, live.map((r) => r.Id), signal);
  const records: CrmRecord[] = live.map((r) => salesforceRecordToCrmRecord(tenant, r, deps.mapping, related.get(r.Id)));
  const found = new Set(live.map((r) => toId18(r.Id)));
  const missing = wanted.filter((id) => !isSalesforceId(id) || !found.has(toId18(id)));
  if (converted.length) log.info('converted leads are scored as their contacts from now on', { tenant, leads: converted.length });
  return { records, missing };
}

/**
 * Splits rows into live records and converted Leads. A converted Lead is not scored any more (it
 * is reported missing or deleted, and forgotten); its contact (`ConvertedContactId`) is queued
 * for scoring, so the person keeps a score. Resolves once the contacts are queued.
 */
export async function handOverConverted(ctx: ServiceContext, tenant: string, rows: SalesforceRecord[], options: { enqueue?: boolean } = {}): Promise<{ live: SalesforceRecord[]; converted: SalesforceRecord[] }> {
  const live: SalesforceRecord[] = [];
  const converted: SalesforceRecord[] = [];
  for (const r of rows) (r.attributes.type === LEAD && r.IsConverted === true ? converted : live).push(r);
  const contacts = converted.map((r) => r.ConvertedContactId).filter(isSalesforceId).map(toId18);
  if (contacts.length && options.enqueue !== false) {
    try {
      await ctx.ingest.enqueue(tenant, CONTACT, [...new Set(contacts)]);
    } catch (err) {
      throw new CrmError(`could not queue the contacts of converted leads: ${err instanceof Error ? err.message : String(err)}`, 'UNAVAILABLE', true, { crm: 'salesforce', tenant }, { cause: err });
    }
  }
  return { live, converted };
}
