/**
 * A rolling-window request counter: at most `max` requests in any `windowMs`. It keeps the
 * timestamps of the last `max` accepted requests in a ring, so a check is O(1) and memory is O(max).
 */
export class RollingWindow {
  private readonly stamps: Float64Array;
  private head = 0;
  private count = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {
    this.stamps = new Float64Array(Math.max(1, max));
  }

  /** Counts the request if there is room; returns false (and counts nothing) when the window is full. */
  tryTake(now: number): boolean {
    if (this.max <= 0) return false;
    if (this.count < this.max) {
      this.stamps[(this.head + this.count) % this.max] = now;
      this.count++;
      return true;
    }
    const oldest = this.stamps[this.head] as number;
    if (now - oldest < this.windowMs) return false;
    this.stamps[this.head] = now;
    this.head = (this.head + 1) % this.max;
    return true;
  }

  /** Requests still allowed right now. */
  remaining(now: number): number {
    let used = 0;
    for (let i = 0; i < this.count; i++) {
      if (now - (this.stamps[(this.head + i) % this.max] as number) < this.windowMs) used++;
    }
    return Math.max(0, this.max - used);
  }

  /** Milliseconds until one more request would be allowed (0 when there is room). */
  retryAfterMs(now: number): number {
    if (this.count < this.max) return 0;
    return Math.max(0, (this.stamps[this.head] as number) + this.windowMs - now);
  }
}
