import type { TaskPriority } from '../../connectors/types';
import type { Tier } from '../scoring/types';
import { isTopTier } from './sla-rules';

export interface SlaTaskFacts {
  tier: Tier;
  score: number;
  /** The score's reasons, one a line, like `+30 Requested a demo` (the labels of the admin's rules). */
  reasons: string;
  /** The SLA, in ms from assignment. */
  slaMs: number;
  dueAt: number;
  /** Why this owner got the lead, for the notes: `pool north-america (rule north-america)`. */
  assignedBecause: string;
}

/**
 * The subject, notes and priority of an SLA task. The subject names the tier, the score and the SLA
 * (`Hot lead (score 82): call within 1h`); the notes list the reasons, biggest first. No personal data
 * beyond what the CRM record already shows.
 */
export function slaTaskText(f: SlaTaskFacts): { subject: string; body: string; priority: TaskPriority } {
  const tier = f.tier.charAt(0).toUpperCase() + f.tier.slice(1);
  const subject = `${tier} lead (score ${Math.round(f.score)}): call within ${formatDuration(f.slaMs)}`;
  const reasons = f.reasons.trim();
  const body = [
    `Lead score ${Math.round(f.score)} (${f.tier}). Why:`,
    reasons === '' ? '(no rule fired)' : reasons,
    '',
    `Due ${new Date(f.dueAt).toISOString()} (SLA ${formatDuration(f.slaMs)}). Assigned by lead routing: ${f.assignedBecause}.`,
  ].join('\n');
  return { subject, body, priority: isTopTier(f.tier) ? 'high' : 'normal' };
}

const UNITS: [string, number][] = [
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** `3600000` → `1h`, `5400000` → `1h 30m`, `90000` → `1m 30s`: the way routing.yaml writes durations. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000) * 1000);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}
