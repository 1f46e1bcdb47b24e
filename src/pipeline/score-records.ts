import type { CrmConnector, CrmRecord, ScoreWrite, WriteOutcome } from '../../connectors/types';
import { childLogger } from '../logging/logger';
import { metrics } from '../metrics';
import { routeScored, type ScoredRecord } from '../routing/route-scored';
import type { RoutingDeps } from '../routing/routing-deps';
import { scoreLead } from '../scoring/score-lead';
import type { ScoreStore } from '../store/score-store';
import type { ServiceContext } from './context';
import { outputValuesOf, sameOutputValues } from './output-values';
import type { PendingStore } from './pending-store';

const log = childLogger('scoring');

/** A failed write that can succeed later is tried again after this delay. */
const RETRY_WRITE_AFTER_MS = 60_000;

export interface ScoringDeps {
  ctx: ServiceContext;
  pending: PendingStore;
  scores: ScoreStore;
  /** Owner routing: eligible leads are queued for an owner and an SLA task once their score is stored. */
  routing?: RoutingDeps;
}

export interface BatchOutcome {
  scored: number;
  written: number;
  unchanged: number;
  failed: number;
}

/**
 * The heart of the pipeline, the same for webhooks and polling: score each record with the model
 * in force, write only the records whose values changed, and schedule each record's next scoring
 * at the moment its score changes by itself (`nextChangeAt`).
 */
export async function scoreAndWrite(
  deps: ScoringDeps,
  connector: CrmConnector,
  tenant: string,
  records: CrmRecord[],
  signal?: AbortSignal,
): Promise<BatchOutcome> {
  const { ctx } = deps;
  const now = ctx.clock();
  const { model } = ctx.config();
  const writes: ScoreWrite[] = [];
  const next = new Map<string, { id: string; at: number }[]>();
  const stored = new Map<string, { id: string; value: { score: number; tier: 'hot' | 'warm' | 'cold'; at: number } }[]>();
  const scored: ScoredRecord[] = [];
  for (const record of records) {
    const result = scoreLead(model, record.lead, now);
    const values = outputValuesOf(result);
    if (!sameOutputValues(values, record.current)) writes.push({ objectType: record.objectType, id: record.id, values, changedAt: now });
    if (result.nextChangeAt !== null) push(next, record.objectType, { id: record.id, at: result.nextChangeAt });
    push(stored, record.objectType, { id: record.id, value: { score: result.score, tier: result.tier, at: now } });
    if (deps.routing) scored.push({ record, score: result.score, tier: result.tier });
  }
  metrics.leadsScored.inc({ crm: connector.crm }, records.length);

  const outcomes: WriteOutcome[] = writes.length ? await connector.writeScores(tenant, writes, signal) : [];
  const retry = new Map<string, string[]>();
  let failed = 0;
  for (const o of outcomes) {
    if (o.ok) continue;
    failed++;
    if (o.error?.retryable) push(retry, o.objectType, o.id);
    log.warn('score write refused', { tenant, objectType: o.objectType, id: o.id, code: o.error?.code, reason: o.error?.message, willRetry: o.error?.retryable ?? false });
  }
  metrics.scoreWrites.inc({ crm: connector.crm, result: 'written' }, writes.length - failed);
  metrics.scoreWrites.inc({ crm: connector.crm, result: 'unchanged' }, records.length - writes.length);
  if (failed) metrics.scoreWrites.inc({ crm: connector.crm, result: 'failed' }, failed);

  await Promise.all([
    ...[...next].map(([type, due]) => deps.pending.addMany(tenant, type, due)),
    ...[...retry].map(([type, ids]) => deps.pending.add(tenant, type, ids, now + RETRY_WRITE_AFTER_MS)),
    ...[...stored].map(([type, s]) => deps.scores.saveMany(tenant, type, s)),
  ]);
  if (deps.routing) await routeScored(deps.routing, tenant, scored);
  return { scored: records.length, written: writes.length - failed, unchanged: records.length - writes.length, failed };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
