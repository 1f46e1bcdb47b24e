import { scoringConfig, type ScoringConfigInput } from '../config/scoring-schema';
import type { Lead, LeadEvent } from '../lead/lead';
import { compileModel, type CompiledModel } from './compile-model';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** A fixed "now" for tests: 2026-11-02T12:00:00Z. */
export const NOW = Date.UTC(2026, 10, 2, 12);

type Partial2<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** A model from a partial scoring config (defaults: thresholds 60/40, weights 0.5/0.5, no rules). */
export function model(cfg: Partial2<ScoringConfigInput> = {}): CompiledModel {
  return compileModel(
    scoringConfig.parse({
      model: 'test',
      thresholds: { hot: 60, warm: 40 },
      ...cfg,
      fit: { rules: [], ...cfg.fit },
      engagement: { rules: [], ...cfg.engagement },
    }),
  );
}

export function lead(attributes: Lead['attributes'] = {}, events: LeadEvent[] = []): Lead {
  return { tenant: 'test:1', objectType: 'lead', id: '1', attributes, events };
}

export function ev(type: string, ageMs: number, properties?: LeadEvent['properties']): LeadEvent {
  return properties ? { type, at: NOW - ageMs, properties } : { type, at: NOW - ageMs };
}
