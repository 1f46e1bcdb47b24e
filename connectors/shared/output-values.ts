import { OUTPUT_KEYS, type OutputFields, type OutputKey } from '../../src/config/mapping-schema';
import { convertValue } from '../../src/lead/map-record';
import type { Tier } from '../../src/scoring/types';
import type { OutputValues } from '../types';

const TIERS: readonly Tier[] = ['hot', 'warm', 'cold'];

/** The names of the fields the score is written to (a mapping's `output`), in the contract's order. */
export function outputNamesOf(output: Readonly<OutputFields>): Record<OutputKey, string> {
  return Object.fromEntries(OUTPUT_KEYS.map((k) => [k, output[k]])) as Record<OutputKey, string>;
}

/**
 * Our output fields as they stand on a record, read with `read(fieldName)`; empty or unreadable
 * ones are left out (so that a record never scored, or edited by hand, is written again).
 */
export function currentOutputOf(read: (field: string) => unknown, names: Record<OutputKey, string>): Partial<OutputValues> {
  const out: Partial<OutputValues> = {};
  const num = (field: string) => convertValue(read(field), 'number') as number | undefined;
  const text = (field: string) => {
    const v = read(field);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const score = num(names.score);
  if (score !== undefined) out.score = score;
  const fit = num(names.fit);
  if (fit !== undefined) out.fit = fit;
  const engagement = num(names.engagement);
  if (engagement !== undefined) out.engagement = engagement;
  const tier = text(names.tier);
  if (tier && (TIERS as readonly string[]).includes(tier)) out.tier = tier as Tier;
  const reasons = text(names.reasons);
  if (reasons !== undefined) out.reasons = reasons;
  const model = text(names.model);
  if (model !== undefined) out.model = model;
  return out;
}
