import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ScoreWrite, WriteOutcome } from '../types';
import type { HubSpotClients } from './client';
import { BATCH_SIZE, CONTACT_ID } from './fetch-records';
import { HubSpotHttpError } from './hubspot-http-error';
import { outputNames, type HubSpotMapping } from './mapping';
import { CONTACT } from './to-lead';
import { describeHttp } from './to-crm-error';

const log = childLogger('hubspot');

type Outcome = NonNullable<WriteOutcome['error']>;

const standardError = z
  .object({
    category: z.string().optional(),
    message: z.string().optional(),
    context: z.record(z.string(), z.array(z.string())).optional(),
  })
  .loose();
type StandardError = z.infer<typeof standardError>;

const batchUpdateResponse = z.object({
  results: z.array(z.object({ id: z.union([z.string(), z.number().transform(String)]) }).loose()).default([]),
  errors: z.array(standardError).default([]),
});

/** Error categories of a record that a retry cannot fix. */
const PERMANENT = new Set(['VALIDATION_ERROR', 'OBJECT_NOT_FOUND', 'OBJECT_ALREADY_EXISTS', 'CONFLICT', 'INVALID_EMAIL', 'INVALID_AUTHENTICATION', 'MISSING_SCOPES']);

/** The contact properties of one score write. `changedAt` is sent in epoch ms, as HubSpot takes datetime values. */
export function scoreProperties(mapping: HubSpotMapping, write: ScoreWrite): Record<string, string> {
  const n = outputNames(mapping);
  const v = write.values;
  return {
    [n.score]: String(Math.round(v.score)),
    [n.fit]: String(v.fit),
    [n.engagement]: String(v.engagement),
    [n.tier]: v.tier,
    [n.reasons]: v.reasons,
    [n.model]: v.model,
    [n.updatedAt]: String(Math.trunc(write.changedAt)),
  };
}

interface Item {
  id: string;
  properties: Record<string, string>;
}

/**
 * Writes scores with `POST /crm/v3/objects/contacts/batch/update`, 100 contacts a request. Per-record
 * errors (a 207, or a batch HubSpot refuses because of some of its records) become failed outcomes,
 * retryable unless the error is one a retry cannot fix (a deleted contact, an invalid value); the
 * other records are written. A batch refused without naming the culprits is split in halves until
 * they are found. Failures of the whole request (network, 5xx, rate limit, revoked access) are thrown.
 */
export async function writeContactScores(clients: HubSpotClients, mapping: HubSpotMapping, tenant: string, writes: ScoreWrite[], signal?: AbortSignal): Promise<WriteOutcome[]> {
  const results = new Map<string, Outcome | null>();
  const latest = new Map<string, ScoreWrite>();
  for (const w of writes) {
    if (w.objectType !== CONTACT || !CONTACT_ID.test(w.id)) continue;
    const prev = latest.get(w.id);
    if (!prev || w.changedAt >= prev.changedAt) latest.set(w.id, w);
  }
  const items: Item[] = [...latest.values()].map((w) => ({ id: w.id, properties: scoreProperties(mapping, w) }));
  const send = (batch: Item[]) => sendBatch(clients, tenant, batch, signal);
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    for (const [id, outcome] of await writeGroup(send, items.slice(i, i + BATCH_SIZE))) results.set(id, outcome);
  }

  return writes.map((w) => {
    if (w.objectType !== CONTACT) return failed(w, { code: 'INVALID_REQUEST', message: `HubSpot scores contacts, not ${w.objectType}`, retryable: false });
    if (!CONTACT_ID.test(w.id)) return failed(w, { code: 'NOT_FOUND', message: `"${w.id}" is not a HubSpot contact id`, retryable: false });
    const error = results.get(w.id);
    return error ? failed(w, error) : { objectType: w.objectType, id: w.id, ok: true };
  });
}

function failed(w: ScoreWrite, error: Outcome): WriteOutcome {
  return { objectType: w.objectType, id: w.id, ok: false, error };
}

type Sent = { ok: true; failures: Map<string, Outcome> } | { ok: false; error: Outcome; namedIds: string[] };

/** Writes a group, isolating the records a refused batch is refused for. */
async function writeGroup(send: (batch: Item[]) => Promise<Sent>, items: Item[]): Promise<Map<string, Outcome | null>> {
  const out = new Map<string, Outcome | null>();
  if (items.length === 0) return out;
  const sent = await send(items);
  if (sent.ok) {
    for (const item of items) out.set(item.id, sent.failures.get(item.id) ?? null);
    return out;
  }
  if (items.length === 1) {
    out.set(items[0]!.id, sent.error);
    return out;
  }
  const named = new Set(sent.namedIds.filter((id) => items.some((i) => i.id === id)));
  if (named.size > 0) {
    for (const id of named) out.set(id, sent.error);
    for (const [id, o] of await writeGroup(send, items.filter((i) => !named.has(i.id)))) out.set(id, o);
    return out;
  }
  const half = Math.ceil(items.length / 2);
  for (const part of [items.slice(0, half), items.slice(half)]) {
    for (const [id, o] of await writeGroup(send, part)) out.set(id, o);
  }
  return out;
}

async function sendBatch(clients: HubSpotClients, tenant: string, items: Item[], signal?: AbortSignal): Promise<Sent> {
  let raw: unknown;
  try {
    raw = await clients.call(tenant, 'general', (c) => c.crm.contacts.batchApi.update({ inputs: items }), signal);
  } catch (err) {
    const http = err instanceof CrmError && err.cause instanceof HubSpotHttpError ? err.cause : undefined;
    if (!http || ![400, 404, 409, 422].includes(http.status)) throw err;
    const error = outcomeOf({ category: http.body.category ?? (http.status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR'), message: http.body.message ?? describeHttp(http) });
    log.warn('HubSpot refused a score batch', { tenant, records: items.length, status: http.status, category: http.body.category });
    return { ok: false, error, namedIds: idsOf(http.body.context) };
  }
  const parsed = batchUpdateResponse.safeParse(raw);
  if (!parsed.success) {
    throw new CrmError(`HubSpot's batch update answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  }
  const written = new Set(parsed.data.results.map((r) => r.id));
  const failures = new Map<string, Outcome>();
  for (const item of items) {
    if (written.has(item.id)) continue;
    const e = parsed.data.errors.find((x) => idsOf(x.context).includes(item.id)) ?? (parsed.data.errors.length === 1 ? parsed.data.errors[0] : undefined);
    failures.set(item.id, e ? outcomeOf(e) : { code: 'UNKNOWN', message: 'HubSpot did not confirm this update', retryable: true });
  }
  if (failures.size) log.warn('HubSpot refused some score writes', { tenant, records: items.length, failed: failures.size });
  return { ok: true, failures };
}

/** The record ids an error's context names (`ids`, `id`, `objectIds`). */
function idsOf(context: Record<string, unknown> | undefined): string[] {
  if (!context) return [];
  const ids: string[] = [];
  for (const key of ['ids', 'id', 'objectIds', 'objectId']) {
    const v = context[key];
    if (Array.isArray(v)) ids.push(...v.map(String));
    else if (typeof v === 'string' || typeof v === 'number') ids.push(String(v));
  }
  return ids;
}

function outcomeOf(e: StandardError): Outcome {
  const category = e.category ?? 'UNKNOWN';
  const message = `${category}: ${e.message ?? 'no message'}`;
  if (category === 'OBJECT_NOT_FOUND') return { code: 'NOT_FOUND', message, retryable: false };
  if (PERMANENT.has(category)) return { code: 'INVALID_REQUEST', message, retryable: false };
  if (category === 'RATE_LIMITS') return { code: 'RATE_LIMITED', message, retryable: true };
  return { code: 'UNAVAILABLE', message, retryable: true };
}
