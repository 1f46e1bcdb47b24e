import type { OutputValues } from '../../connectors/types';
import type { Reason, ScoreResult } from '../scoring/types';

/** One reason a line, biggest first, like `+30 Requested a demo` or `-20 Email hard-bounced`. */
export function formatReasons(reasons: Reason[]): string {
  return reasons.map((r) => `${r.points > 0 ? '+' : ''}${r.points} ${r.label}`).join('\n');
}

/** The values written to the CRM for a score. */
export function outputValuesOf(result: ScoreResult): OutputValues {
  return {
    score: result.score,
    fit: result.fit,
    engagement: result.engagement,
    tier: result.tier,
    reasons: formatReasons(result.reasons),
    model: result.model,
  };
}

const KEYS: (keyof OutputValues)[] = ['score', 'fit', 'engagement', 'tier', 'reasons', 'model'];

/** True when the record already holds exactly these values (so nothing is written). */
export function sameOutputValues(next: OutputValues, current: Partial<OutputValues>): boolean {
  for (const k of KEYS) {
    const a = next[k];
    const b = current[k];
    if (typeof a === 'string' ? normalizeText(a) !== normalizeText(String(b ?? '')) : a !== b) return false;
  }
  return true;
}

function normalizeText(s: string): string {
  return s.replace(/\r\n/g, '\n').trim();
}
