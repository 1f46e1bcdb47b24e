/**
 * The HubSpot sandbox as the benchmark runs it: in the bench's own process (the service runs in
 * another), at HubSpot's public-app limits (110 requests per rolling 10 s, 5 searches per second on
 * their own budget), with the request log drained every 100 ms into a compact timeline (time,
 * portal, route, status, records) and, for batch updates, which contacts each one wrote and when.
 */
import { startHubSpotSandbox, type HubSpotSandbox, type LoggedRequest } from '../../sandbox/hubspot';

/** HubSpot's public (OAuth) app limits. The final figures use exactly these. */
export const HUBSPOT_PUBLIC_APP_LIMITS = { perTenSeconds: 110, windowMs: 10_000, searchPerSecond: 5, searchWindowMs: 1_000 } as const;

export const ROUTES = {
  search: 'POST /crm/v3/objects/contacts/search',
  batchUpdate: 'POST /crm/v3/objects/contacts/batch/update',
  batchRead: 'POST /crm/v3/objects/contacts/batch/read',
} as const;

export interface TimelineEntry {
  at: number;
  portal: number | undefined;
  route: string;
  status: number;
  /** Inputs of a batch request, results of a search. */
  records: number;
}

export interface BenchApp {
  clientId: string;
  clientSecret: string;
  appId: number;
}

export class SandboxHost {
  readonly timeline: TimelineEntry[] = [];
  /** Per watched portal: contact id → times (sandbox clock, ms) of the batch updates that wrote it. */
  private readonly writes = new Map<number, Map<string, number[]>>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly sb: HubSpotSandbox,
    readonly app: BenchApp,
  ) {
    this.timer = setInterval(() => this.drain(), 100);
  }

  static async start(app: BenchApp, limits: typeof HUBSPOT_PUBLIC_APP_LIMITS | Record<string, number> = HUBSPOT_PUBLIC_APP_LIMITS): Promise<SandboxHost> {
    const sb = await startHubSpotSandbox({ ...app, limits, requestLogLimit: 100_000 });
    return new SandboxHost(sb, app);
  }

  get url(): string {
    return this.sb.url;
  }

  /** Starts recording which contacts of the portal each batch update wrote. */
  watchWrites(portalId: number): void {
    if (!this.writes.has(portalId)) this.writes.set(portalId, new Map());
  }

  /** Contacts of a watched portal written at least once. */
  writtenCount(portalId: number): number {
    this.drain();
    return this.writes.get(portalId)?.size ?? 0;
  }

  /** Times the contact was written by a batch update (sandbox clock). */
  writesOf(portalId: number, id: string): readonly number[] {
    this.drain();
    return this.writes.get(portalId)?.get(id) ?? [];
  }

  /** The time of the batch update that wrote the last of `ids` for the first time, if all are written. */
  lastFirstWrite(portalId: number): number {
    this.drain();
    let last = 0;
    for (const times of this.writes.get(portalId)?.values() ?? []) last = Math.max(last, times[0]!);
    return last;
  }

  /** Moves the sandbox's request log into the compact timeline (keeps no request bodies). */
  drain(): void {
    const log = this.sb.requestLog;
    if (log.length === 0) return;
    this.sb.clearRequestLog();
    for (const r of log) this.record(r);
  }

  private record(r: LoggedRequest): void {
    const body = r.body as { inputs?: { id?: string }[]; limit?: number } | undefined;
    const records = Array.isArray(body?.inputs) ? body.inputs.length : 0;
    this.timeline.push({ at: r.at, portal: r.portalId, route: r.route, status: r.status, records });
    if (r.route !== ROUTES.batchUpdate || r.portalId === undefined || (r.status !== 200 && r.status !== 207)) return;
    const watched = this.writes.get(r.portalId);
    if (!watched || !body?.inputs) return;
    for (const input of body.inputs) {
      if (!input.id) continue;
      const list = watched.get(input.id);
      if (list) list.push(r.at);
      else watched.set(input.id, [r.at]);
    }
  }

  /** Timeline entries of a portal between two times (inclusive). */
  entries(portalId: number, from = -Infinity, to = Infinity): TimelineEntry[] {
    this.drain();
    return this.timeline.filter((e) => e.portal === portalId && e.at >= from && e.at <= to);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sb.close();
  }
}
