/** Request counts per org and route, API usage, limit refusals, concurrency, and a bounded request log. */
import type { IncomingHttpHeaders } from 'node:http';

export interface OrgStats {
  requests: number;
  /** Keyed by route, e.g. `PATCH /services/data/vXX.X/composite/sobjects`. */
  byRoute: Record<string, number>;
  /** REST calls counted against the daily allocation (by this sandbox's stats, since the last reset). */
  apiCalls: number;
  /** The org's allocation now: used in the last 24 hours (setApiUsage included) and the maximum. */
  apiUsage?: { used: number; max: number };
  /** 403 REQUEST_LIMIT_EXCEEDED answers. */
  limitExceeded: number;
  /** 401 INVALID_SESSION_ID answers to a token of this org (expired or revoked). */
  sessionInvalid: number;
  peakConcurrency: number;
}

export interface SandboxStats {
  requests: number;
  peakConcurrency: number;
  /** Keyed by org id (18 characters); requests without an org (OAuth, bad tokens) are under `"none"`. */
  byOrg: Record<string, OrgStats>;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Route name with the version left generic, e.g. `GET /services/data/vXX.X/query`. */
  route: string;
  orgId?: string;
  /** Headers as received (lower-case names), e.g. `sforce-auto-assign`. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, parsed form fields, the raw text (SOAP), or undefined. */
  body: unknown;
  status: number;
}

export class StatsRecorder {
  private stats: SandboxStats = { requests: 0, peakConcurrency: 0, byOrg: {} };
  private inFlight = 0;
  private readonly inFlightByOrg = new Map<string, number>();
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

  beginOrg(orgId: string): void {
    const n = (this.inFlightByOrg.get(orgId) ?? 0) + 1;
    this.inFlightByOrg.set(orgId, n);
    const o = this.org(orgId);
    o.peakConcurrency = Math.max(o.peakConcurrency, n);
  }

  endOrg(orgId: string): void {
    this.inFlightByOrg.set(orgId, (this.inFlightByOrg.get(orgId) ?? 1) - 1);
  }

  countApiCall(orgId: string): void {
    this.org(orgId).apiCalls++;
  }

  record(entry: LoggedRequest, errorCode: string | undefined): void {
    this.stats.requests++;
    const o = this.org(entry.orgId ?? 'none');
    o.requests++;
    o.byRoute[entry.route] = (o.byRoute[entry.route] ?? 0) + 1;
    if (errorCode === 'REQUEST_LIMIT_EXCEEDED') o.limitExceeded++;
    if (errorCode === 'INVALID_SESSION_ID') o.sessionInvalid++;
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
    this.stats = { requests: 0, peakConcurrency: this.inFlight, byOrg: {} };
    this.clearLog();
  }

  clearLog(): void {
    this.log = [];
    this.logStart = 0;
  }

  private org(key: string): OrgStats {
    let o = this.stats.byOrg[key];
    if (!o) {
      o = { requests: 0, byRoute: {}, apiCalls: 0, limitExceeded: 0, sessionInvalid: 0, peakConcurrency: 0 };
      this.stats.byOrg[key] = o;
    }
    return o;
  }
}
