import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Percentiles of a set of durations (nanoseconds), reported in microseconds. */
export interface Latency {
  /** How many calls were timed. */
  timed: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  meanUs: number;
}

/** Nearest-rank percentiles of `ns` (sorted in place). */
export function latencyOf(ns: Float64Array): Latency {
  ns.sort();
  const n = ns.length;
  const at = (p: number) => (n === 0 ? NaN : ns[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]! / 1000);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ns[i]!;
  return { timed: n, p50Us: at(0.5), p90Us: at(0.9), p99Us: at(0.99), p999Us: at(0.999), maxUs: n === 0 ? NaN : ns[n - 1]! / 1000, meanUs: n === 0 ? NaN : sum / n / 1000 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let gcFn: (() => void) | null | undefined;
/** A full GC between phases (so one phase's garbage is not collected on the next one's clock), when V8 allows it. */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtUs = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(us < 10 ? 2 : 1)} µs`);
