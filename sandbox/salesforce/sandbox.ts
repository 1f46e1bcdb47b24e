/**
 * The Salesforce sandbox: in-memory orgs that the real jsforce can talk to. Each request goes
 * through the steps it takes at Salesforce: route; for REST calls the API version, the access
 * token (401 INVALID_SESSION_ID), the org's daily allocation (403 REQUEST_LIMIT_EXCEEDED, and
 * `Sforce-Limit-Info` on every answer); then the handler. Every request is counted and logged
 * (bounded) for the test to inspect.
 */
import { Router, startHttpServer, type RunningServer, type SandboxRequest, type SandboxResponse } from '../shared/http-server';
import { callbackUrl, checkAuthorizeRequest } from './auth/authorize';
import { TokenRegistry, type TokenResponse } from './auth/token-registry';
import { jsonParserError, methodNotAllowed, notFound, requestLimitExceeded, sessionInvalid, SfRequestError, type ApiError } from './errors';
import { FaultInjector, type FailureRule } from './faults';
import { IdGenerator, isWellFormedId, KEY_PREFIXES, caseSuffix } from './ids';
import { buildOutboundEnvelope, postOutboundMessage, type OutboundDelivery, type OutboundMessageOptions } from './outbound/outbound-message';
import { compositeRoutes } from './routes/composite-routes';
import type { AppSettings, RouteContext, RouteDef, SandboxCore } from './routes/context';
import { oauthRoutes } from './routes/oauth-routes';
import { queryRoutes } from './routes/query-routes';
import { servedVersions, sobjectRoutes } from './routes/sobject-routes';
import { toolingRoutes } from './routes/tooling-routes';
import { CursorStore } from './soql/cursors';
import { StatsRecorder, type LoggedRequest, type SandboxStats } from './stats';
import { SalesforceOrg, type CreateOrgOptions } from './store/org';

export interface SalesforceSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The connected app (consumer key and secret). */
  clientId: string;
  clientSecret: string;
  /** The connected app's callback URLs; when set, `redirect_uri` must be one of them. Default: any. */
  redirectUris?: readonly string[];
  /** Newest API version served (older ones down to 31.0 answer too). Default `62.0`. */
  apiVersion?: string;
  /** Daily API requests per org (Developer Edition: 15,000). Default 15000. */
  dailyApiLimit?: number;
  /**
   * The active lead assignment rule of new orgs: `{}` assigns to the org's "Unassigned Leads" queue
   * (the default), `{ ownerId }` to that user or queue, `false` means no active rule.
   */
  assignmentRule?: { ownerId?: string } | false;
  /** Every refresh returns a new refresh token; reusing an old one revokes the family. Default true. */
  rotateRefreshTokens?: boolean;
  /** Authorize requests must carry an S256 `code_challenge`. Default true. */
  requirePkce?: boolean;
  /** Scopes granted when the authorize request names none. Default `api refresh_token`. */
  defaultScopes?: readonly string[];
  /** Access tokens stop working after this many seconds without use. Default 7200. */
  sessionTimeoutSec?: number;
  /** Most approvals (code grants) per user; the oldest family is revoked past it. Default 5. */
  maxGrantsPerUser?: number;
  /** Days deleted records stay for `/deleted` and queryAll. Default 15. */
  deletedRetentionDays?: number;
  /** How many requests `requestLog` keeps (the latest, bodies included). Default 1000; benchmarks: 0 keeps none. */
  requestLogLimit?: number;
  /** Time source, for tests that move time. Default `Date.now`. */
  clock?: () => number;
}

export interface ApproveInstallOptions {
  /** The authorize URL the connector redirected the browser to (checked as Salesforce would). */
  authorizeUrl?: string;
  /** Or the parts, without an authorize URL. */
  redirectUri?: string;
  state?: string;
  codeChallenge?: string;
  scope?: string;
  /** The approving user; default the org's admin. */
  userId?: string;
}

export class SalesforceSandbox implements SandboxCore {
  readonly app: AppSettings;
  readonly tokens: TokenRegistry;
  readonly cursors: CursorStore;
  readonly ids = new IdGenerator();
  readonly apiVersion: string;
  readonly clock: () => number;
  private server: RunningServer | undefined;
  private readonly router = new Router<RouteDef>();
  private readonly orgMap = new Map<string, SalesforceOrg>();
  private readonly faults = new FaultInjector();
  private readonly recorder: StatsRecorder;
  private readonly actionIds = new Map<string, string>();

  constructor(private readonly options: SalesforceSandboxOptions) {
    this.clock = options.clock ?? Date.now;
    this.apiVersion = options.apiVersion ?? '62.0';
    this.app = {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUris: options.redirectUris,
      requirePkce: options.requirePkce ?? true,
      defaultScopes: options.defaultScopes ?? ['api', 'refresh_token'],
    };
    this.tokens = new TokenRegistry({
      clientSecret: options.clientSecret,
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      sessionTimeoutMs: (options.sessionTimeoutSec ?? 7200) * 1000,
      maxGrantsPerUser: options.maxGrantsPerUser ?? 5,
      defaultScopes: this.app.defaultScopes,
      loginUrl: () => this.url,
      instanceUrl: () => this.url,
      clock: () => this.clock(),
    });
    this.cursors = new CursorStore(() => this.clock());
    this.recorder = new StatsRecorder(options.requestLogLimit ?? 1000);
    for (const route of [...oauthRoutes(), ...queryRoutes(), ...compositeRoutes(), ...toolingRoutes(), ...sobjectRoutes()]) {
      this.router.add(route.method, route.pattern, route);
    }
  }

  async start(): Promise<void> {
    this.server = await startHttpServer((req) => this.handle(req), { port: this.options.port, host: this.options.host });
  }

  /** Base URL: the login URL (authorize, token, identity) and the instance URL (REST) at once. */
  get url(): string {
    if (!this.server) throw new Error('sandbox not started');
    return this.server.url;
  }

  get loginUrl(): string {
    return this.url;
  }

  get instanceUrl(): string {
    return this.url;
  }

  get port(): number {
    if (!this.server) throw new Error('sandbox not started');
    return this.server.port;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  // ---- orgs and tokens ------------------------------------------------------------------------

  /**
   * Creates an org (or returns the existing one) with an admin, active and inactive users, two
   * lead queues and the default lead assignment rule. `orgId` is a 15- or 18-character `00D…` id.
   */
  createOrg(orgId: string, opts: CreateOrgOptions = {}): SalesforceOrg {
    const id = normalizeOrgId(orgId);
    const existing = this.orgMap.get(id);
    if (existing) return existing;
    const org = new SalesforceOrg(
      { ids: this.ids, clock: () => this.clock(), apiVersion: this.apiVersion, deletedRetentionDays: this.options.deletedRetentionDays ?? 15 },
      id,
      {
        ...opts,
        dailyApiLimit: opts.dailyApiLimit ?? this.options.dailyApiLimit ?? 15000,
        assignmentRule: opts.assignmentRule ?? this.options.assignmentRule ?? {},
        index: this.orgMap.size + 1,
      },
    );
    this.orgMap.set(id, org);
    return org;
  }

  org(orgId: string): SalesforceOrg | undefined {
    try {
      return this.orgMap.get(normalizeOrgId(orgId));
    } catch {
      return undefined;
    }
  }

  orgs(): SalesforceOrg[] {
    return [...this.orgMap.values()];
  }

  private requireOrg(orgId: string): SalesforceOrg {
    const org = this.org(orgId);
    if (!org) throw new Error(`no org ${orgId}: create it with sb.createOrg()`);
    return org;
  }

  /** The raw authorization code a user's approval produces (a test then exchanges it). */
  authorizeCode(orgId: string, opts: { redirectUri: string; codeChallenge?: string; userId?: string; scope?: string }): string {
    const org = this.requireOrg(orgId);
    return this.tokens.authorizeCode({ orgId: org.id, userId: opts.userId ?? org.adminUserId, redirectUri: opts.redirectUri, codeChallenge: opts.codeChallenge, scope: opts.scope ?? this.app.defaultScopes.join(' ') });
  }

  /**
   * Simulates the user approving the app in the browser: the URL Salesforce redirects back to,
   * `redirect_uri?code=…&state=…`, or `redirect_uri?error=…` for a request Salesforce would bounce.
   * Throws for a request Salesforce would answer with an error page (unknown client, bad redirect URI).
   */
  approveInstall(orgId: string, opts: ApproveInstallOptions): string {
    const org = this.requireOrg(orgId);
    let params: URLSearchParams;
    if (opts.authorizeUrl) {
      const url = new URL(opts.authorizeUrl);
      if (url.pathname !== '/services/oauth2/authorize') throw new Error(`not an authorize URL: ${opts.authorizeUrl}`);
      params = url.searchParams;
    } else {
      if (!opts.redirectUri) throw new Error('approveInstall needs authorizeUrl or redirectUri');
      params = new URLSearchParams({ response_type: 'code', client_id: this.app.clientId, redirect_uri: opts.redirectUri });
      if (opts.state !== undefined) params.set('state', opts.state);
      if (opts.codeChallenge !== undefined) {
        params.set('code_challenge', opts.codeChallenge);
        params.set('code_challenge_method', 'S256');
      }
      if (opts.scope !== undefined) params.set('scope', opts.scope);
    }
    const check = checkAuthorizeRequest(this.app, params);
    if (!check.ok) {
      if (check.kind === 'redirect') return check.location;
      throw new Error(`OAuth error page: error=${check.error}&error_description=${check.description}`);
    }
    const code = this.tokens.authorizeCode({ orgId: org.id, userId: opts.userId ?? org.adminUserId, redirectUri: check.redirectUri, codeChallenge: check.codeChallenge, scope: check.scope });
    return callbackUrl(check.redirectUri, { code, state: check.state });
  }

  /** Tokens for a user of an org (default the admin), as after an install: the token endpoint's response. */
  issueTokens(orgId: string, opts: { userId?: string; scope?: string } = {}): TokenResponse {
    const org = this.requireOrg(orgId);
    return this.tokens.grant(org.id, opts.userId ?? org.adminUserId, opts.scope ?? this.app.defaultScopes.join(' '), false);
  }

  /** From now on the access token is expired (401 INVALID_SESSION_ID); its refresh token still works. */
  expireAccessToken(accessToken: string): boolean {
    return this.tokens.expire(accessToken);
  }

  /** Revokes an access token, or a refresh token with its whole family. */
  revokeToken(token: string): boolean {
    return this.tokens.revoke(token);
  }

  tokenInfo(token: string) {
    return this.tokens.info(token);
  }

  // ---- test controls ---------------------------------------------------------------------------

  get stats(): SandboxStats {
    const snapshot = this.recorder.snapshot();
    for (const org of this.orgMap.values()) {
      const entry = snapshot.byOrg[org.id];
      if (entry) entry.apiUsage = org.apiUsage;
    }
    return snapshot;
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

  /** POSTs one Outbound Message (≤ 100 records) to the listener; the answer, and whether it acknowledged. */
  async sendOutboundMessage(orgId: string, opts: OutboundMessageOptions): Promise<OutboundDelivery> {
    const org = this.requireOrg(orgId);
    if (opts.ids.length === 0 || opts.ids.length > 100) throw new Error(`an outbound message carries 1 to 100 notifications, got ${opts.ids.length}`);
    const key = `${org.id}:${org.schemaOf(opts.objectType).name}`;
    let actionId = opts.actionId ?? this.actionIds.get(key);
    if (!actionId) {
      actionId = this.ids.next(KEY_PREFIXES.OutboundMessageAction as string);
      this.actionIds.set(key, actionId);
    }
    const notificationIds = opts.notificationIds?.slice() ?? opts.ids.map(() => this.ids.next(KEY_PREFIXES.OutboundNotification as string));
    const sessionId = opts.sessionId === true ? this.issueTokens(org.id).access_token : typeof opts.sessionId === 'string' ? opts.sessionId : undefined;
    const envelope = buildOutboundEnvelope(org, this.url, this.apiVersion, { ...opts, actionId, notificationIds, sessionId });
    const result = await postOutboundMessage(opts.url, envelope, opts.timeoutMs ?? 10_000);
    return { ...result, notificationIds, request: envelope };
  }

  /** Splits a longer list into messages of 100, sent one after the other. */
  async sendOutboundMessages(orgId: string, opts: OutboundMessageOptions): Promise<OutboundDelivery[]> {
    const out: OutboundDelivery[] = [];
    for (let i = 0; i < opts.ids.length; i += 100) out.push(await this.sendOutboundMessage(orgId, { ...opts, ids: opts.ids.slice(i, i + 100), notificationIds: undefined }));
    return out;
  }

  // ---- the request pipeline ------------------------------------------------------------------

  private async handle(req: SandboxRequest): Promise<SandboxResponse> {
    this.recorder.begin();
    let orgId: string | undefined;
    let routeName = `${req.method} ${genericPath(req.path)}`;
    let body: unknown;
    let response: SandboxResponse;
    try {
      const parsed = parseBody(req);
      body = parsed.json ?? (parsed.form ? Object.fromEntries(parsed.form) : parsed.text);
      const match = this.router.match(req.method, req.path);
      if (!match) {
        response = this.noRoute(req);
      } else {
        routeName = match.name.replace('{version}', 'vXX.X').replace('{type}', match.params.type ?? '{type}');
        const ctx: RouteContext = { req, params: match.params, json: parsed.json, form: parsed.form, core: this, version: this.apiVersion };
        response = await this.run(match.handler, ctx, routeName, parsed.invalidJson, (id) => {
          orgId = id;
          this.recorder.beginOrg(id);
        });
      }
    } catch (e) {
      if (!(e instanceof SfRequestError)) throw e;
      response = e.response;
    } finally {
      this.recorder.end();
      if (orgId !== undefined) this.recorder.endOrg(orgId);
    }
    const errorCode = Array.isArray(response.body) ? (response.body[0] as ApiError | undefined)?.errorCode : undefined;
    this.recorder.record({ at: this.clock(), method: req.method, path: req.path, query: queryObject(req.query), route: routeName, orgId, headers: req.headers, body, status: response.status }, errorCode);
    return response;
  }

  private noRoute(req: SandboxRequest): SandboxResponse {
    const allowed = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].filter((m) => m !== req.method && this.router.match(m, req.path));
    if (allowed.length > 0) return methodNotAllowed(req.method, allowed);
    if (req.path.startsWith('/services/data')) return notFound();
    return { status: 404, body: 'Not Found', headers: { 'Content-Type': 'text/plain' } };
  }

  private async run(route: RouteDef, ctx: RouteContext, routeName: string, invalidJson: boolean, onOrg: (id: string) => void): Promise<SandboxResponse> {
    let limitHeader: Record<string, string> = {};
    if (route.kind === 'rest') {
      const version = /^v(\d+\.\d)$/.exec(ctx.params.version ?? '')?.[1];
      if (!version || !servedVersions(this.apiVersion).includes(version)) return notFound();
      ctx.version = version;
      const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(headerValue(ctx.req, 'authorization') ?? '');
      const auth = m ? this.tokens.authenticate((m[1] as string).trim()) : undefined;
      const org = auth ? this.orgMap.get(auth.orgId) : undefined;
      if (!auth || !org) return sessionInvalid();
      onOrg(org.id);
      ctx.auth = auth;
      ctx.org = org;
      ctx.access = org.fieldAccess.forUser(auth.userId);
      const now = this.clock();
      if (!org.usage.take(now)) {
        const res = requestLimitExceeded();
        res.headers = { 'Sforce-Limit-Info': `api-usage=${org.usage.used(now)}/${org.usage.max}` };
        return res;
      }
      this.recorder.countApiCall(org.id);
      limitHeader = { 'Sforce-Limit-Info': `api-usage=${org.usage.used(now)}/${org.usage.max}` };
    }
    const fault = this.faults.take(routeName, ctx.req.method, ctx.req.path, ctx.org?.id);
    if (fault) {
      if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
      return { ...fault.response, headers: { ...limitHeader, ...(fault.response.headers ?? {}) } };
    }
    let response: SandboxResponse;
    try {
      if (invalidJson && route.kind === 'rest') response = jsonParserError('Unexpected character: was expecting a JSON value at [line:1, column:1]');
      else response = await route.handle(ctx);
    } catch (e) {
      if (!(e instanceof SfRequestError)) throw e;
      response = e.response;
    }
    response.headers = { ...limitHeader, ...(response.headers ?? {}) };
    return response;
  }
}

/** Starts a sandbox on a loopback port. Close it with `await sandbox.close()`. */
export async function startSalesforceSandbox(options: SalesforceSandboxOptions): Promise<SalesforceSandbox> {
  const sandbox = new SalesforceSandbox(options);
  await sandbox.start();
  return sandbox;
}

/** The 18-character form of an org id; throws for anything that is not a `00D…` id. */
export function normalizeOrgId(orgId: string): string {
  if (!orgId.startsWith('00D')) throw new Error(`not an org id (must start with 00D): ${orgId}`);
  if (orgId.length === 15 && /^[A-Za-z0-9]{15}$/.test(orgId)) return orgId + caseSuffix(orgId);
  if (orgId.length === 18 && isWellFormedId(orgId)) return orgId;
  if (orgId.length === 18 && /^[A-Za-z0-9]{18}$/.test(orgId)) {
    throw new Error(`org id ${orgId} has the wrong case suffix: Salesforce would call it ${orgId.slice(0, 15)}${caseSuffix(orgId.slice(0, 15))} (use makeOrgId(n) for test ids)`);
  }
  throw new Error(`not an org id: ${orgId}`);
}

function headerValue(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseBody(req: SandboxRequest): { json?: unknown; form?: URLSearchParams; text?: string; invalidJson: boolean } {
  if (req.rawBody.length === 0) return { invalidJson: false };
  const type = (headerValue(req, 'content-type') ?? '').toLowerCase();
  const text = req.rawBody.toString('utf8');
  if (type.startsWith('application/x-www-form-urlencoded')) return { form: new URLSearchParams(text), invalidJson: false };
  if (type.includes('xml')) return { text, invalidJson: false };
  try {
    return { json: JSON.parse(text) as unknown, invalidJson: false };
  } catch {
    return { text, invalidJson: true };
  }
}

/** `/services/data/v62.0/query` → `/services/data/vXX.X/query` (routes without a match). */
function genericPath(path: string): string {
  return path.replace(/^\/services\/data\/v\d+\.\d/, '/services/data/vXX.X');
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}
