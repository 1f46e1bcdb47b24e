import type { EventSource } from '../../src/config/mapping-schema';
import { childLogger } from '../../src/logging/logger';
import type { SalesforceClients } from './client';
import { linkFieldOf, type SalesforceObjectMapping } from './mapping';
import type { ResolvedOptions } from './options';
import { chunkIds, inList, queryAll } from './soql';
import { toId18 } from './tenant';
import { eventFieldsToSelect, type RelatedRecords, type SalesforceRecord } from './to-lead';

const log = childLogger('salesforce');

/** Most ids in one `IN (…)` list of a related-records query (the URL length usually decides first). */
const MAX_IDS_PER_QUERY = 300;

/**
 * The related records (CampaignMember, Task, Event, … per the mapping's `events`) of a page of
 * scored records, fetched in bulk: one SOQL per event source per chunk of ids
 * (`WHERE LeadId IN (…)` / `WhoId IN (…)`, chunked to keep the URL under the limit), newest first,
 * at most `maxEventRowsPerQuery` rows per query. Never one query per record. A `when` condition on a
 * checkbox (`HasResponded: true`) is also sent to Salesforce to read fewer rows; every `when` is
 * checked again when the rows become events.
 */
export async function fetchRelated(
  clients: SalesforceClients,
  options: ResolvedOptions,
  tenant: string,
  o: SalesforceObjectMapping,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, RelatedRecords>> {
  const byRecord = new Map<string, SalesforceRecord[][]>(ids.map((id) => [toId18(id), o.events.map(() => [])]));
  if (ids.length === 0 || o.events.length === 0) return byRecord;
  for (const [i, source] of o.events.entries()) {
    const link = linkFieldOf(source, o.objectType);
    const build = (list: string) => relatedQuery(source, o, list, options.maxEventRowsPerQuery + 1);
    for (const chunk of chunkIds(ids, build, options.maxQueryUrlLength, MAX_IDS_PER_QUERY)) {
      const { records, truncated } = await queryAll(clients, tenant, build(inList(chunk)), { kind: 'query', maxRows: options.maxEventRowsPerQuery, signal });
      if (truncated) log.warn('more related records than one query reads; the oldest are left out', { tenant, from: source.from, records: chunk.length, kept: records.length });
      for (const r of records) {
        const owner = r[link];
        if (typeof owner !== 'string') continue;
        byRecord.get(safeId18(owner))?.[i]?.push(r);
      }
    }
  }
  return byRecord;
}

/** `SELECT Id, WhoId, CreatedDate, … FROM Task WHERE WhoId IN (…) AND IsClosed = true ORDER BY CreatedDate DESC NULLS LAST LIMIT n`. */
export function relatedQuery(source: EventSource, o: SalesforceObjectMapping, list: string, limit: number): string {
  const link = linkFieldOf(source, o.objectType);
  const checkboxes = Object.entries(source.when ?? {})
    .filter((e): e is [string, boolean] => typeof e[1] === 'boolean')
    .map(([field, value]) => ` AND ${field} = ${value}`)
    .join('');
  return `SELECT ${eventFieldsToSelect(source, o.objectType).join(', ')} FROM ${source.from} WHERE ${link} IN (${list})${checkboxes} ORDER BY ${source.at} DESC NULLS LAST LIMIT ${limit}`;
}

function safeId18(id: string): string {
  try {
    return toId18(id);
  } catch {
    return id;
  }
}
