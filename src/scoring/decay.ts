import type { Decay } from '../config/scoring-schema';

/** At or below this share of its points a decayed signal counts for nothing (six half-lives). */
export const NEGLIGIBLE = 1 / 64;

/**
 * A compiled decay. Steps sit on a fixed grid (multiples of `step` since the epoch, UTC), so every
 * signal of a lead steps at the same instants: at most one rescoring per step, whatever the event
 * times. `shares[k]` is the share of its points a signal keeps after k steps; past the end it is 0.
 */
export interface CompiledDecay {
  /** False for `type: none`. */
  decays: boolean;
  /** Grid step in ms (Infinity when it does not decay). */
  step: number;
  shares: Float64Array;
}

export const NO_DECAY: CompiledDecay = { decays: false, step: Infinity, shares: new Float64Array([1]) };

/** Steps are capped here; a signal this old (over 11 years at daily steps) counts for nothing anyway. */
const MAX_STEPS = 4096;

export function compileDecay(decay: Decay): CompiledDecay {
  if (decay.type === 'none') return NO_DECAY;
  const step = decay.step;
  const shareAfter =
    decay.type === 'halfLife' ? (k: number) => Math.pow(0.5, (k * step) / decay.halfLife) : (k: number) => Math.max(0, 1 - (k * step) / decay.zeroAfter);
  const shares: number[] = [];
  for (let k = 0; k < MAX_STEPS; k++) {
    const s = k === 0 ? 1 : shareAfter(k);
    if (s <= NEGLIGIBLE) break;
    shares.push(s);
  }
  return { decays: true, step, shares: Float64Array.from(shares) };
}

/** Steps between a signal at `at` and `now` on the decay's grid. */
export function stepsBetween(decay: CompiledDecay, at: number, now: number): number {
  return Math.floor(now / decay.step) - Math.floor(at / decay.step);
}

/** The share a signal dated `at` keeps at `now`. */
export function shareAt(decay: CompiledDecay, at: number, now: number): number {
  if (!decay.decays) return 1;
  const k = stepsBetween(decay, at, now);
  return k <= 0 ? 1 : k < decay.shares.length ? decay.shares[k]! : 0;
}

/** The next grid instant after `now` at which a signal dated `at` loses points, or Infinity. */
export function nextStep(decay: CompiledDecay, at: number, now: number): number {
  if (!decay.decays) return Infinity;
  const k = stepsBetween(decay, at, now);
  if (k >= decay.shares.length) return Infinity;
  return (Math.floor(now / decay.step) + 1) * decay.step;
}
