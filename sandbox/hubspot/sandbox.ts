/**
 * The HubSpot sandbox: an in-memory HubSpot that the real `@hubspot/api-client` can talk to.
 * Each request goes through the same steps as at HubSpot: route, bearer token, scopes, rate
 * limits, handler; then rate-limit headers and a correlation id are added and the request is
 * counted and logged for the test to inspect.
 */
import { randomUUID } from 'node:crypto';
import { Router, startHttpServer, type RunningServer, type SandboxRequest, type SandboxResponse } from '../shared/http-server';
import { TokenRegistry, type AccessToken, type AppCredentials, type IssueOptions, type IssuedTokens } from './auth/token-registry';
import { expiredAuthentication, invalidAuthentication, missingScopes, notFound, validationError } from './errors';
import { FaultInjector, type FailureRule } from './faults';
import { RateLimiter, type RateLimitOptions } from './rate-limits';
import { associationRoutes } from './routes/association-routes';
import { batchRoutes } from './routes/batch-routes';
import type { RouteContext, RouteDef, SandboxCore } from './routes/context';
import { oauthRoutes } from './routes/oauth-routes';
import { objectRoutes } from './routes/object-routes';
import { ownerRoutes } from './routes/owner-routes';
import { propertyRoutes } from './routes/property-routes';
import { searchRoutes } from './routes/search-route';
import { StatsRecorder, type LoggedRequest, type SandboxStats } from './stats';
import type { ChangeEvent } from './store/change-events';
import { parseObjectType } from './store/object-types';
import { Portal } from './store/portal';
import { completeEvents, postSigned, WebhookEmitter, type Delivery, type SendWebhooksOptions, type WebhookEmitOptions } from './webhooks/deliver';
import type { WebhookEventInput } from './webhooks/webhook-events';

export interface HubSpotSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The public app the connector is configured with. */
  clientId: string;
  clientSecret: string;
  appId: number;
  limits?: RateLimitOptions;
  /** How long a write takes to become searchable. Default 0. */
  searchIndexDelayMs?: number;
  /** Where signed webhooks go (both `sendWebhooks` and the sandbox's own change events). */
  webhookTarget?: string;
  /**
   * Send `contact.*` webhooks for the sandbox's own record changes, API writes included (those carry
   * `changeSource: "INTEGRATION"` and the app id as `sourceId`). Needs `webhookTarget`. Default false.
   */
  emitWebhooks?: boolean | WebhookEmitOptions;
  /** Lifetime of OAuth access tokens in seconds. Default 1800. */
  accessTokenTtlSec?: number;
  /** Give each record of a batch write its own millisecond (default: one time per request). */
  distinctTimestamps?: boolean;
  /** How many requests `requestLog` keeps (the latest). Default 2000; 0 keeps none. */
  requestLogLimit?: number;
  /** Time source, for tests that move time. Default `Date.now`. */
  clock?: () => number;
}

export interface CreatePortalOptions {
  /** Active owners to create. Default 5. */
  owners?: number;
  /** Archived owners to create. Default 1. */
  archivedOwners?: number;
  /** Seed for the owners' names. */
  seed?: number | string;
}

export class HubSpotSandbox implements SandboxCore {
  readonly app: AppCredentials;
  readonly tokens: TokenRegistry;
  private server: RunningServer | undefined;
  private readonly router = new Router<RouteDef>();
  private readonly portals = new Map<number, Portal>();
  private readonly limiter: RateLimiter;
  private readonly faults = new FaultInjector();
  private readonly recorder: StatsRecorder;
  private readonly emitter: WebhookEmitter | undefined;
  private searchDelayMs: number;
  private webhookTarget: string | undefined;
  readonly clock: () => number;

  constructor(private readonly options: HubSpotSandboxOptions) {
    this.clock = options.clock ?? Date.now;
    this.app = { appId: options.appId, clientId: options.clientId, clientSecret: options.clientSecret };
    this.tokens = new TokenRegistry(this.app, this.clock, (id) => this.installingUser(id), () => options.accessTokenTtlSec ?? 1800);
    this.limiter = new RateLimiter(options.limits ?? {});
    this.recorder = new StatsRecorder(options.requestLogLimit ?? 2000);
    this.searchDelayMs = options.searchIndexDelayMs ?? 0;
    this.webhookTarget = options.webhookTarget;
    if (options.emitWebhooks) {
      const emitOptions = options.emitWebhooks === true ? {} : options.emitWebhooks;
      this.emitter = new WebhookEmitter(() => this.webhookTarget, () => this.app.clientSecret, this.app.appId, emitOptions);
    }
    for (const route of [...oauthRoutes(), ...searchRoutes(), ...batchRoutes(), ...objectRoutes(), ...associationRoutes(), ...propertyRoutes(), ...ownerRoutes()]) {
      this.router.add(route.method, route.pattern, route);
    }
  }

  async start(): Promise<void> {
    this.server = await startHttpServer((req) => this.handle(req), { port: this.options.port, host: this.options.host });
  }

  /** Base URL to give the SDK as `basePath`, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    if (!this.server) throw new Error('sandbox not started');
    return this.server.url;
  }

  get baseUrl(): string {
    return this.url;
  }

  get port(): number {
    if (!this.server) throw new Error('sandbox not started');
    return this.server.port;
  }

  async close(): Promise<void> {
    this.emitter?.close();
    await this.server?.close();
    this.server = undefined;
  }

  // ---- portals and tokens ---------------------------------------------------------------------

  /** Creates a portal (with 5 active and 1 archived owner unless told otherwise), or returns the existing one. */
  createPortal(portalId: number, opts: CreatePortalOptions = {}): Portal {
    const existing = this.portals.get(portalId);
    if (existing) return existing;
    const portal = new Portal(portalId, {
      clock: this.clock,
      indexDelayMs: () => this.searchDelayMs,
      onChange: (e: ChangeEvent) => this.emitter?.onChange(e),
      distinctTimestamps: () => this.options.distinctTimestamps ?? false,
    });
    this.portals.set(portalId, portal);
    portal.seedOwners(opts.owners ?? 5, opts.archivedOwners ?? 1, opts.seed);
    return portal;
  }

  portal(portalId: number): Portal | undefined {
    return this.portals.get(portalId);
  }

  /** Access and refresh token for a portal (created if needed), as after an install. */
  issueToken(portalId: number, opts: IssueOptions = {}): IssuedTokens {
    this.createPortal(portalId);
    return this.tokens.issue(portalId, opts);
  }

  /** A private-app token (`pat-na1-…`) for a portal. */
  createPrivateAppToken(portalId: number, opts: { scopes?: readonly string[] } = {}): string {
    this.createPortal(portalId);
    return this.tokens.createPrivateAppToken(portalId, opts);
  }

  /** Revokes an access or refresh token (a refresh token takes its access tokens with it). */
  revokeToken(token: string): boolean {
    return this.tokens.revoke(token);
  }

  /** Makes an access token expired from now on. */
  expireToken(accessToken: string): boolean {
    return this.tokens.expire(accessToken);
  }

  /** The `code` HubSpot would hand the app's redirect URI after a user approves the install. */
  authorizeCode(portalId: number, opts: { redirectUri?: string; scopes?: readonly string[] } = {}): string {
    this.createPortal(portalId);
    return this.tokens.authorizeCode(portalId, opts);
  }

  /** The full redirect back to the app after approval: `redirectUri?code=…&state=…`. */
  approveInstall(portalId: number, opts: { redirectUri: string; state?: string; scopes?: readonly string[] }): string {
    const code = this.authorizeCode(portalId, opts);
    const url = new URL(opts.redirectUri);
    url.searchParams.set('code', code);
    if (opts.state !== undefined) url.searchParams.set('state', opts.state);
    return url.toString();
  }

  // ---- test controls ---------------------------------------------------------------------------

  get stats(): SandboxStats {
    return this.recorder.snapshot();
  }

  resetStats(): void {
    this.recorder.reset();
  }

  /** The latest requests (bounded by `requestLogLimit`), oldest first. */
  get requestLog(): LoggedRequest[] {
    return this.recorder.requests();
  }

  clearRequestLog(): void {
    this.recorder.clearLog();
  }

  /** The next `times` (default 1) matching requests answer with the given status and body. */
  failNext(rule: FailureRule): void {
    this.faults.add(rule);
  }

  clearFailures(): void {
    this.faults.clear();
  }

  /** Changes the limits (and empties the windows). */
  setLimits(limits: RateLimitOptions): void {
    this.limiter.configure(limits);
  }

  setSearchIndexDelay(ms: number): void {
    this.searchDelayMs = ms;
  }

  setWebhookTarget(url: string | undefined): void {
    this.webhookTarget = url;
  }

  /**
   * Signs (v3) and POSTs the events as one JSON array, like HubSpot. Missing fields (eventId,
   * appId, occurredAt, attemptNumber, subscriptionId) are filled in. Returns the HTTP status.
   */
  async sendWebhooks(events: readonly WebhookEventInput[], opts: SendWebhooksOptions = {}): Promise<number> {
    const url = opts.url ?? this.webhookTarget;
    if (!url) throw new Error('no webhook URL: pass opts.url or set webhookTarget');
    return postSigned(url, completeEvents(events, this.app.appId, this.clock()), opts.clientSecret ?? this.app.clientSecret, opts);
  }

  /** Webhook batches the sandbox sent for its own changes, with their answers. */
  get webhookDeliveries(): readonly Delivery[] {
    return this.emitter?.deliveries ?? [];
  }

  /** Waits until the sandbox's own queued webhooks have been delivered (or given up on). */
  async flushWebhooks(): Promise<void> {
    await this.emitter?.drain();
  }

  // ---- the request pipeline ------------------------------------------------------------------

  private async handle(req: SandboxRequest): Promise<SandboxResponse> {
    this.recorder.begin();
    let portalId: number | undefined;
    let routeName = `${req.method} ${req.path}`;
    let kind: RouteDef['kind'] | 'unknown' = 'unknown';
    let body: unknown;
    let response: SandboxResponse;
    try {
      const match = this.router.match(req.method, req.path);
      const parsed = parseRequestBody(req);
      body = parsed.json ?? (parsed.form ? Object.fromEntries(parsed.form) : undefined);
      if (!match) {
        response = notFound();
      } else {
        kind = match.handler.kind;
        routeName = concreteRouteName(match.name, match.params);
        const ctx: RouteContext = { req, params: match.params, json: parsed.json, form: parsed.form, core: this };
        response = await this.run(match.handler, ctx, routeName, parsed.invalidJson, (id) => {
          portalId = id;
          this.recorder.beginPortal(id);
        });
      }
    } finally {
      this.recorder.end();
      if (portalId !== undefined) this.recorder.endPortal(portalId);
    }
    response.headers = { ...(response.headers ?? {}), 'X-HubSpot-Correlation-Id': correlationOf(response) };
    this.recorder.record(
      { at: this.clock(), method: req.method, path: req.path, query: queryObject(req.query), route: routeName, portalId, body, status: response.status },
      kind,
    );
    return response;
  }

  private async run(route: RouteDef, ctx: RouteContext, routeName: string, invalidJson: boolean, onPortal: (id: number) => void): Promise<SandboxResponse> {
    if (route.kind !== 'oauth') {
      const auth = this.authenticate(ctx.req);
      if ('status' in auth) return auth;
      ctx.auth = auth;
      ctx.portal = this.createPortal(auth.portalId);
      onPortal(auth.portalId);
    }
    const fault = this.faults.take(routeName, ctx.req.method, ctx.req.path, ctx.auth?.portalId);
    if (fault) {
      if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.response.status === 429 && route.kind === 'crm') {
        const max = String(this.options.limits?.perTenSeconds ?? 110);
        fault.response.headers = {
          'X-HubSpot-RateLimit-Max': max,
          'X-HubSpot-RateLimit-Remaining': '0',
          'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.options.limits?.windowMs ?? 10_000),
          ...(fault.response.headers ?? {}),
        };
      }
      return fault.response;
    }
    if (invalidJson) return validationError('Invalid input JSON: the body is not valid JSON');
    if (ctx.auth) {
      const required = route.scopes?.(ctx);
      if (required && !required.some((s) => ctx.auth?.scopes.includes(s))) return missingScopes(required);
      const taken = this.limiter.take(ctx.auth, route.kind === 'search' ? 'search' : 'crm', this.clock());
      if (!taken.ok) return taken.response;
      const response = await route.handle(ctx);
      response.headers = { ...taken.headers, ...(response.headers ?? {}) };
      return response;
    }
    return route.handle(ctx);
  }

  private authenticate(req: SandboxRequest): AccessToken | SandboxResponse {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return invalidAuthentication();
    const token = this.tokens.lookupAccess((match[1] as string).trim());
    if (!token || token.revoked) return invalidAuthentication();
    const now = this.clock();
    if (token.expiresAt <= now) return expiredAuthentication(token.expiresAt, now);
    return token;
  }

  private installingUser(portalId: number): { userId: number; user: string } {
    const owner = this.portals.get(portalId)?.owners.find((o) => !o.archived);
    return owner ? { userId: owner.userId, user: owner.email } : { userId: 1, user: `admin@portal-${portalId}.sandbox.example` };
  }
}

/** Starts a sandbox on a loopback port. Close it with `await sandbox.close()`. */
export async function startHubSpotSandbox(options: HubSpotSandboxOptions): Promise<HubSpotSandbox> {
  const sandbox = new HubSpotSandbox(options);
  await sandbox.start();
  return sandbox;
}

function parseRequestBody(req: SandboxRequest): { json?: unknown; form?: URLSearchParams; invalidJson: boolean } {
  if (req.rawBody.length === 0) return { invalidJson: false };
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const text = req.rawBody.toString('utf8');
  if (type.startsWith('application/x-www-form-urlencoded')) return { form: new URLSearchParams(text), invalidJson: false };
  try {
    return { json: JSON.parse(text) as unknown, invalidJson: false };
  } catch {
    return { invalidJson: true };
  }
}

/** `POST /crm/v3/objects/{objectType}/batch/update` → `POST /crm/v3/objects/contacts/batch/update`. */
function concreteRouteName(name: string, params: Record<string, string>): string {
  return name.replace(/\{(objectType|toObjectType)\}/g, (whole, key: string) => parseObjectType(params[key] ?? '') ?? whole);
}

function correlationOf(response: SandboxResponse): string {
  const body = response.body as { correlationId?: unknown } | undefined;
  return typeof body?.correlationId === 'string' ? body.correlationId : randomUUID();
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}
