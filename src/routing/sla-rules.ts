import type { LeadCondition, RoutingConfig } from '../config/routing-schema';
import type { Tier } from '../scoring/types';

/** Tiers from the top down: `{tier: warm}` in `eligible` takes warm and hot leads. */
const RANK: Record<Tier, number> = { hot: 2, warm: 1, cold: 0 };

/** The stored outcome of scoring that routing decides on. */
export interface ScoreFacts {
  score: number;
  tier: Tier;
}

/**
 * Whether a lead gets an owner: `{tier: hot}` takes hot leads, `{tier: warm}` warm and hot ones
 * (a tier and every tier above it), `{minScore: 70}` leads scoring at least 70.
 */
export function isEligible(condition: LeadCondition, facts: ScoreFacts): boolean {
  if (condition.minScore !== undefined) return facts.score >= condition.minScore;
  return condition.tier !== undefined && RANK[facts.tier] >= RANK[condition.tier];
}

/** The SLA that applies to a lead: the first `sla` rule whose tier is the lead's tier or whose minScore it reaches. */
export interface SlaChoice {
  /** Index in `routing.sla`. */
  index: number;
  /** Milliseconds from assignment to the task's due time. */
  dueMs: number;
}

export function slaRuleFor(config: Pick<RoutingConfig, 'sla'>, facts: ScoreFacts): SlaChoice | null {
  const index = config.sla.findIndex((r) => (r.tier !== undefined ? r.tier === facts.tier : facts.score >= (r.minScore ?? Infinity)));
  const rule = index >= 0 ? config.sla[index] : undefined;
  return rule ? { index, dueMs: rule.due } : null;
}

/** The top tier gets high-priority tasks. */
export function isTopTier(tier: Tier): boolean {
  return tier === 'hot';
}
