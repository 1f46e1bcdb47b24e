import type { Decay } from '../config/scoring-schema';

/** At or below this share of its points a decayed signal counts for nothing (six half-lives). */
export const NEGLIGIBLE = 1 / 64;

/**
 * A compiled decay. Steps sit on a fixed grid (multiples of `step` since the epoch, UTC), so every
 * signal of a lead steps at the same instants: at most one rescoring per step, whatever the event times.
 */
export interface CompiledDecay {
  /** The share (0–1) of its points a signal dated `at` keeps at `now`. */
  factor(at: number, now: number): number;
  /** The next grid instant after `now` at which a signal dated `at` loses points, or undefined. */
  nextChange(at: number, now: number): number | undefined;
}

export const NO_DECAY: CompiledDecay = { factor: () => 1, nextChange: () => undefined };

export function compileDecay(decay: Decay): CompiledDecay {
  if (decay.type === 'none') return NO_DECAY;
  const step = decay.step;
  const stepsToZero = decay.type === 'linear' ? decay.zeroAfter / step : Infinity;
  const shareAfterSteps =
    decay.type === 'halfLife'
      ? (k: number) => Math.pow(0.5, (k * step) / decay.halfLife)
      : (k: number) => Math.max(0, 1 - k / stepsToZero);
  const cache = new Float64Array(4096).fill(-1);
  const share = (k: number): number => {
    if (k <= 0) return 1;
    if (k < cache.length) {
      const c = cache[k]!;
      if (c >= 0) return c;
      const f = clampNegligible(shareAfterSteps(k));
      cache[k] = f;
      return f;
    }
    return clampNegligible(shareAfterSteps(k));
  };
  const stepsBetween = (at: number, now: number) => Math.floor(now / step) - Math.floor(at / step);
  return {
    factor: (at, now) => share(stepsBetween(at, now)),
    nextChange(at, now) {
      const k = stepsBetween(at, now);
      if (share(k) === 0) return undefined;
      return (Math.floor(now / step) + 1) * step;
    },
  };
}

function clampNegligible(f: number): number {
  return f <= NEGLIGIBLE ? 0 : f;
}
