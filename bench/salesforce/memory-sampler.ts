/**
 * The memory and CPU of the process it runs in: `process.memoryUsage()` sampled every 250 ms (peaks
 * of RSS, heap and external memory), a mark that restarts the peaks (the baseline of a scenario), and
 * the CPU time since the mark. The same figures, by the same names, as the HubSpot benchmark's
 * service process reports (bench/hubspot/service-process.ts, `MemStats`).
 */
import type { MemStats } from '../hubspot/service-process';

export type { MemStats };

export const SAMPLE_MS = 250;

export class MemorySampler {
  private readonly mem = { samples: 0, rssPeak: 0, heapUsedPeak: 0, heapTotalPeak: 0, externalPeak: 0, rssAtMark: 0, heapUsedAtMark: 0, rssLifetimePeak: 0 };
  private cpuAtMark = process.cpuUsage();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = SAMPLE_MS) {
    this.timer = setInterval(() => this.sample(), everyMs).unref();
    this.sample();
  }

  sample(): void {
    const m = process.memoryUsage();
    const mem = this.mem;
    mem.samples++;
    mem.rssPeak = Math.max(mem.rssPeak, m.rss);
    mem.heapUsedPeak = Math.max(mem.heapUsedPeak, m.heapUsed);
    mem.heapTotalPeak = Math.max(mem.heapTotalPeak, m.heapTotal);
    mem.externalPeak = Math.max(mem.externalPeak, m.external);
    mem.rssLifetimePeak = Math.max(mem.rssLifetimePeak, m.rss);
  }

  /** Restarts the peaks and the CPU count here: what follows is measured against this baseline. */
  mark(): MemStats {
    this.cpuAtMark = process.cpuUsage();
    const m = process.memoryUsage();
    Object.assign(this.mem, { samples: 0, rssPeak: m.rss, heapUsedPeak: m.heapUsed, heapTotalPeak: m.heapTotal, externalPeak: m.external, rssAtMark: m.rss, heapUsedAtMark: m.heapUsed });
    return { ...this.mem, rssNow: m.rss, heapUsedNow: m.heapUsed, cpuUserMs: 0, cpuSystemMs: 0 };
  }

  /** Peaks since the mark, the values now, and the CPU time since the mark. */
  stats(): MemStats {
    this.sample();
    const m = process.memoryUsage();
    const cpu = process.cpuUsage(this.cpuAtMark);
    return { ...this.mem, rssNow: m.rss, heapUsedNow: m.heapUsed, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
