import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ScoreWrite, WriteOutcome } from '../types';
import type { SalesforceClients } from './client';
import { BATCH_SIZE } from './fetch-records';
import { isObjectType, outputNames, type SalesforceMapping } from './mapping';
import { isSalesforceId, toId18 } from './tenant';

const log = childLogger('salesforce');

type Outcome = NonNullable<WriteOutcome['error']>;

/**
 * `Sforce-Auto-Assign: FALSE` on every score write. Without it, REST updates of Leads run the
 * org's active assignment rules (the header defaults to TRUE), and a score write could hand the
 * lead to another owner.
 */
export const SCORE_WRITE_HEADERS = { 'content-type': 'application/json', 'Sforce-Auto-Assign': 'FALSE' } as const;

/** Salesforce's Long Text Area holds at most 131,072 characters; ours is created with 32,768. */
const REASONS_MAX = 32_768;
/** Text(255). */
const MODEL_MAX = 255;

const saveResult = z
  .object({
    id: z.string().nullish(),
    success: z.boolean(),
    errors: z.array(z.object({ statusCode: z.string().optional(), message: z.string().optional(), fields: z.array(z.string()).optional() }).loose()).default([]),
  })
  .loose();
const compositeResponse = z.array(saveResult);

/** Per-record status codes a later try can get past (a lock held by another transaction, a busy org). */
const TRANSIENT = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'TXN_SECURITY_METERING_ERROR', 'UNKNOWN_EXCEPTION']);
/** Per-record status codes that mean the record is gone (or is a converted lead that only its contact stands for now). */
const GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'INVALID_ID_FIELD', 'MALFORMED_ID', 'CANNOT_UPDATE_CONVERTED_LEAD']);

/** The fields of one score write: values per the mapping's `output`, the time as an ISO datetime. */
export function scoreFields(mapping: SalesforceMapping, write: ScoreWrite): Record<string, string | number> {
  const n = outputNames(mapping);
  const v = write.values;
  return {
    [n.score]: Math.round(v.score),
    [n.fit]: Math.round(v.fit),
    [n.engagement]: Math.round(v.engagement),
    [n.tier]: v.tier,
    [n.reasons]: v.reasons.slice(0, REASONS_MAX),
    [n.model]: v.model.slice(0, MODEL_MAX),
    [n.updatedAt]: new Date(write.changedAt).toISOString(),
  };
}

/**
 * Writes scores with `PATCH /composite/sobjects` (sObject Collections update), at most 200 records
 * a request, Leads and Contacts mixed, `allOrNone: false` so that one refused record does not hold
 * back the others, and `Sforce-Auto-Assign: FALSE` so that assignment rules do not run. Per-record
 * errors become failed outcomes with Salesforce's statusCode and message, retryable only for
 * transient codes (UNABLE_TO_LOCK_ROW, …). A failure of the whole request (network, 5xx, budget,
 * revoked access) is thrown for the job layer.
 */
export async function writeScores(clients: SalesforceClients, mapping: SalesforceMapping, tenant: string, writes: ScoreWrite[], signal?: AbortSignal): Promise<WriteOutcome[]> {
  const latest = new Map<string, ScoreWrite>();
  for (const w of writes) {
    if (!isObjectType(w.objectType) || !isSalesforceId(w.id)) continue;
    const key = toId18(w.id);
    const prev = latest.get(key);
    if (!prev || w.changedAt >= prev.changedAt) latest.set(key, w);
  }
  const items = [...latest.entries()].map(([id, w]) => ({ attributes: { type: w.objectType }, id, ...scoreFields(mapping, w) }));
  const results = new Map<string, Outcome | null>();
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    const batch = items.slice(i, i + BATCH_SIZE);
    const raw = await clients.request<unknown>(
      tenant,
      'write',
      { method: 'PATCH', url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records: batch }), headers: { ...SCORE_WRITE_HEADERS } },
      signal,
    );
    const parsed = compositeResponse.safeParse(raw);
    if (!parsed.success || parsed.data.length !== batch.length) {
      throw new CrmError(`Salesforce's sObject Collections answer is not one result per record (${batch.length} sent)`, 'UNKNOWN', true, { crm: 'salesforce', tenant });
    }
    let failed = 0;
    batch.forEach((item, j) => {
      const r = parsed.data[j]!;
      if (r.success) return results.set(item.id, null);
      failed++;
      results.set(item.id, outcomeOf(r.errors));
    });
    if (failed) log.warn('Salesforce refused some score writes', { tenant, records: batch.length, failed });
  }

  return writes.map((w) => {
    if (!isObjectType(w.objectType)) return failure(w, { code: 'INVALID_REQUEST', message: `the Salesforce connector scores Leads and Contacts, not ${w.objectType}`, retryable: false });
    if (!isSalesforceId(w.id)) return failure(w, { code: 'NOT_FOUND', message: `"${w.id}" is not a Salesforce id`, retryable: false });
    const error = results.get(toId18(w.id));
    return error ? failure(w, error) : { objectType: w.objectType, id: w.id, ok: true };
  });
}

function failure(w: ScoreWrite, error: Outcome): WriteOutcome {
  return { objectType: w.objectType, id: w.id, ok: false, error };
}

/** `UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record` → retryable; a deleted record → NOT_FOUND; the rest → INVALID_REQUEST. */
function outcomeOf(errors: z.infer<typeof saveResult>['errors']): Outcome {
  const first = errors[0];
  const statusCode = first?.statusCode ?? 'UNKNOWN';
  const message = `${statusCode}: ${first?.message ?? 'no message'}${first?.fields?.length ? ` (fields ${first.fields.join(', ')})` : ''}`;
  if (TRANSIENT.has(statusCode)) return { code: 'UNAVAILABLE', message, retryable: true };
  if (GONE.has(statusCode)) return { code: 'NOT_FOUND', message, retryable: false };
  return { code: 'INVALID_REQUEST', message, retryable: false };
}
