import type { Lead } from '../../src/lead/lead';
import { scoreLead, type CompiledModel } from '../../src/scoring';
import { evaluationCount, MAX_LOOKAHEAD } from '../../src/scoring/score-lead';

/** The most evaluations `scoreLead` does for one lead: the first, plus MAX_LOOKAHEAD future change points. */
export const MAX_EVALUATIONS = 1 + MAX_LOOKAHEAD;

export interface EvaluationCounts {
  leads: number;
  evaluations: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
  /** Leads by evaluation count: index = evaluations (1..33). */
  histogram: number[];
  /** Leads that used the whole lookahead (33 evaluations). */
  atCap: number;
  /** Leads whose nextChangeAt is null (the score never changes by itself). */
  neverChanges: number;
}

/**
 * Counts how many times `scoreLead` evaluates the model per lead (the first evaluation plus the
 * lookahead for `nextChangeAt`), with the engine's own evaluation counter. Not timed.
 */
export function countEvaluations(model: CompiledModel, leads: readonly Lead[], now: number): EvaluationCounts {
  const histogram = new Array<number>(MAX_EVALUATIONS + 1).fill(0);
  const perLead = new Uint8Array(leads.length);
  let neverChanges = 0;
  for (let i = 0; i < leads.length; i++) {
    const before = evaluationCount();
    const r = scoreLead(model, leads[i]!, now);
    const n = evaluationCount() - before;
    if (n < 1 || n > MAX_EVALUATIONS) {
      throw new Error(`evaluation counter read ${n} evaluations for one lead: more than MAX_EVALUATIONS: src/scoring/score-lead.ts broke its budget`);
    }
    perLead[i] = n;
    histogram[n]!++;
    if (r.nextChangeAt === null) neverChanges++;
  }
  perLead.sort();
  const total = perLead.reduce((s, n) => s + n, 0);
  const at = (p: number) => perLead[Math.min(perLead.length - 1, Math.max(0, Math.ceil(p * perLead.length) - 1))] ?? 0;
  return {
    leads: leads.length,
    evaluations: total,
    mean: total / Math.max(1, leads.length),
    p50: at(0.5),
    p99: at(0.99),
    max: perLead[perLead.length - 1] ?? 0,
    histogram,
    atCap: histogram[MAX_EVALUATIONS]!,
    neverChanges,
  };
}
