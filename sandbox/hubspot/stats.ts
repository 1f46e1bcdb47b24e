/** Request counts per portal and route, 429s, search calls, concurrency, and a bounded request log. */

export interface PortalStats {
  requests: number;
  /** Keyed by route, e.g. `POST /crm/v3/objects/contacts/batch/update`. */
  byRoute: Record<string, number>;
  /** 429s sent (any policy, injected ones included). */
  rateLimited: number;
  searchRequests: number;
  searchRateLimited: number;
  /** Most requests in flight at once for this portal. */
  peakConcurrency: number;
}

export interface SandboxStats {
  requests: number;
  rateLimited: number;
  peakConcurrency: number;
  /** Keyed by portal id; requests without a portal (OAuth, bad tokens) are under `"none"`. */
  byPortal: Record<string, PortalStats>;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The route's name with the object type filled in, e.g. `GET /crm/v3/objects/contacts/{id}`. */
  route: string;
  portalId?: number;
  /** Parsed JSON body, parsed form fields, or undefined. */
  body: unknown;
  status: number;
}

export class StatsRecorder {
  private stats: SandboxStats = { requests: 0, rateLimited: 0, peakConcurrency: 0, byPortal: {} };
  private inFlight = 0;
  private readonly inFlightByPortal = new Map<string, number>();
  private log: LoggedRequest[] = [];
  private logStart = 0;

  constructor(private readonly logLimit: number) {}

  begin(): void {
    this.inFlight++;
    this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.inFlight);
  }

  end(): void {
    this.inFlight--;
  }

  beginPortal(portalId: number): void {
    const key = String(portalId);
    const n = (this.inFlightByPortal.get(key) ?? 0) + 1;
    this.inFlightByPortal.set(key, n);
    const p = this.portal(key);
    p.peakConcurrency = Math.max(p.peakConcurrency, n);
  }

  endPortal(portalId: number): void {
    const key = String(portalId);
    this.inFlightByPortal.set(key, (this.inFlightByPortal.get(key) ?? 1) - 1);
  }

  record(entry: LoggedRequest, kind: 'crm' | 'search' | 'oauth' | 'unknown'): void {
    this.stats.requests++;
    const p = this.portal(entry.portalId === undefined ? 'none' : String(entry.portalId));
    p.requests++;
    p.byRoute[entry.route] = (p.byRoute[entry.route] ?? 0) + 1;
    if (kind === 'search') p.searchRequests++;
    if (entry.status === 429) {
      this.stats.rateLimited++;
      p.rateLimited++;
      if (kind === 'search') p.searchRateLimited++;
    }
    if (this.logLimit <= 0) return;
    this.log.push(entry);
    if (this.log.length - this.logStart > this.logLimit) this.logStart++;
    if (this.logStart > 4096 && this.logStart * 2 > this.log.length) {
      this.log = this.log.slice(this.logStart);
      this.logStart = 0;
    }
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  requests(): LoggedRequest[] {
    return this.log.slice(this.logStart);
  }

  reset(): void {
    this.stats = { requests: 0, rateLimited: 0, peakConcurrency: this.inFlight, byPortal: {} };
    this.log = [];
    this.logStart = 0;
  }

  clearLog(): void {
    this.log = [];
    this.logStart = 0;
  }

  private portal(key: string): PortalStats {
    let p = this.stats.byPortal[key];
    if (!p) {
      p = { requests: 0, byRoute: {}, rateLimited: 0, searchRequests: 0, searchRateLimited: 0, peakConcurrency: 0 };
      this.stats.byPortal[key] = p;
    }
    return p;
  }
}
