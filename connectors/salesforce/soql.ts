import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { CallKind, SalesforceClients } from './client';
import { salesforceRecord, type SalesforceRecord } from './to-lead';

/** A SOQL string literal: single quotes, with backslashes and quotes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A SOQL dateTime literal in UTC, unquoted: `2026-11-02T09:30:05Z`. Salesforce keeps datetimes to
 * the second; a value with milliseconds keeps them (`…05.250Z`) so that equality still holds.
 */
export function soqlDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
}

/** The path of a SOQL query, relative to `/services/data/vXX.X` (the Tooling API's under `/tooling`). */
export function queryPath(soql: string, tooling = false): string {
  return `${tooling ? '/tooling' : ''}/query?q=${encodeURIComponent(soql)}`;
}

/** What the instance URL and API version add to a query path, with room to spare. */
const URL_BASE_ALLOWANCE = 120;

/**
 * Splits ids into `IN (…)` lists so that each query's URL stays under `maxUrlLength` bytes and each
 * list holds at most `maxIds`. `build` writes the whole query for one list.
 */
export function chunkIds(ids: readonly string[], build: (inList: string) => string, maxUrlLength: number, maxIds: number): string[][] {
  const fixed = queryPath(build('')).length + URL_BASE_ALLOWANCE;
  if (fixed > maxUrlLength) throw new Error(`the query is ${fixed} bytes long before any id: select fewer fields`);
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = fixed;
  for (const id of ids) {
    const cost = encodeURIComponent(`${soqlString(id)},`).length;
    if (current.length > 0 && (current.length >= maxIds || length + cost > maxUrlLength)) {
      chunks.push(current);
      current = [];
      length = fixed;
    }
    current.push(id);
    length += cost;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** `'a','b','c'` for an IN list. */
export function inList(ids: readonly string[]): string {
  return ids.map(soqlString).join(',');
}

const queryResponse = z.object({
  totalSize: z.number().optional(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.unknown()),
});

/**
 * Runs a SOQL query and reads its batches (`nextRecordsUrl`), each batch one `call` (one request,
 * one unit of budget), up to `maxRows` rows (`truncated` says there were more; the locator left
 * open then expires on its own). A row that is not a record is an error.
 */
export async function queryAll(
  clients: SalesforceClients,
  tenant: string,
  soql: string,
  options: { kind?: CallKind; maxRows?: number; tooling?: boolean; signal?: AbortSignal } = {},
): Promise<{ records: SalesforceRecord[]; truncated: boolean }> {
  const records: SalesforceRecord[] = [];
  let path: string | undefined = queryPath(soql, options.tooling);
  const max = options.maxRows ?? Number.POSITIVE_INFINITY;
  while (path) {
    const raw: unknown = await clients.request<unknown>(tenant, options.kind ?? 'query', { method: 'GET', url: path }, options.signal);
    const page = queryResponse.safeParse(raw);
    if (!page.success) throw new CrmError(`Salesforce's query answer is not what its API documents: ${page.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'salesforce', tenant });
    for (const r of page.data.records) {
      const parsed = salesforceRecord.safeParse(r);
      if (!parsed.success) throw new CrmError(`Salesforce returned a row that is not a record (${parsed.error.issues[0]?.message})`, 'UNKNOWN', false, { crm: 'salesforce', tenant });
      records.push(parsed.data);
    }
    if (records.length >= max) return { records: records.slice(0, max), truncated: !page.data.done || records.length > max };
    path = page.data.done ? undefined : page.data.nextRecordsUrl;
  }
  return { records, truncated: false };
}
