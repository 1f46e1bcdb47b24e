/**
 * An org's daily API allocation: requests in the last 24 hours (counted in hourly buckets), against
 * a maximum. Every REST call that gets past authentication counts one, whatever its answer.
 */
const HOUR = 3_600_000;
const DAY_HOURS = 24;

export class ApiUsage {
  private buckets = new Map<number, number>();

  constructor(public max: number) {}

  used(now: number): number {
    const current = Math.floor(now / HOUR);
    let total = 0;
    for (const [hour, n] of this.buckets) {
      if (hour > current - DAY_HOURS) total += n;
      else this.buckets.delete(hour);
    }
    return total;
  }

  /** Counts one request if the allocation allows it; false (and nothing counted) when it is used up. */
  take(now: number): boolean {
    if (this.used(now) >= this.max) return false;
    const hour = Math.floor(now / HOUR);
    this.buckets.set(hour, (this.buckets.get(hour) ?? 0) + 1);
    return true;
  }

  /** Sets the usage of the last 24 hours to `used` (all of it counted now). */
  set(used: number, now: number): void {
    this.buckets = new Map([[Math.floor(now / HOUR), Math.max(0, Math.floor(used))]]);
  }
}
