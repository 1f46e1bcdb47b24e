/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) with the helpers the data generator needs.
 * Deterministic across runs and Node versions: the same seed always gives the same sequence.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer from lo to hi, both included, uniformly. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks from `[weight, value]` pairs (weights need not add up to anything in particular). */
  weighted<T>(table: Weighted<T>): T {
    let x = this.next() * table.total;
    for (const [w, v] of table.entries) {
      x -= w;
      if (x < 0) return v;
    }
    return table.entries[table.entries.length - 1]![1];
  }

  /** Exponentially distributed, with this mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

export interface Weighted<T> {
  entries: readonly (readonly [number, T])[];
  total: number;
}

export function weighted<T>(entries: readonly (readonly [number, T])[]): Weighted<T> {
  return { entries, total: entries.reduce((s, [w]) => s + w, 0) };
}
