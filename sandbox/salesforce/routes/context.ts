/** What a route handler gets, and how routes declare what they need. */
import type { SandboxRequest, SandboxResponse } from '../../shared/http-server';
import type { AccessToken, TokenRegistry } from '../auth/token-registry';
import type { IdGenerator } from '../ids';
import type { CursorStore } from '../soql/cursors';
import type { FieldAccess } from '../store/field-access';
import type { SalesforceOrg } from '../store/org';

export interface AppSettings {
  clientId: string;
  clientSecret: string;
  /** The connected app's callback URLs; undefined accepts any. */
  redirectUris?: readonly string[];
  requirePkce: boolean;
  defaultScopes: readonly string[];
}

/** The parts of the sandbox the routes use. */
export interface SandboxCore {
  readonly url: string;
  readonly app: AppSettings;
  readonly tokens: TokenRegistry;
  readonly cursors: CursorStore;
  readonly ids: IdGenerator;
  /** Newest API version served, e.g. `62.0`. */
  readonly apiVersion: string;
  clock(): number;
  org(orgId: string): SalesforceOrg | undefined;
  orgs(): SalesforceOrg[];
}

export interface RouteContext {
  req: SandboxRequest;
  params: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  json: unknown;
  /** Parsed form body (OAuth endpoints), or undefined. */
  form: URLSearchParams | undefined;
  core: SandboxCore;
  /** REST routes: the version of the URL (`62.0`), the caller's token, org and field access. */
  version: string;
  auth?: AccessToken;
  org?: SalesforceOrg;
  access?: FieldAccess;
}

/** REST routes with a bearer token, counted against the org's API allocation. */
export interface RestContext extends RouteContext {
  auth: AccessToken;
  org: SalesforceOrg;
  access: FieldAccess;
}

/**
 * `rest`: `/services/data/vXX.X/…`, bearer token, API usage, `Sforce-Limit-Info`.
 * `oauth`: the OAuth endpoints (no bearer token).
 * `identity`: the identity URL and userinfo (token in the header or `oauth_token`, not counted).
 * `public`: no authentication (`GET /services/data`).
 */
export type RouteKind = 'rest' | 'oauth' | 'identity' | 'public';

export interface RouteDef {
  method: string;
  pattern: string;
  kind: RouteKind;
  handle: (ctx: RouteContext) => SandboxResponse | Promise<SandboxResponse>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers };
}

export function rest(ctx: RouteContext): RestContext {
  if (!ctx.auth || !ctx.org || !ctx.access) throw new Error('REST route without authentication');
  return ctx as RestContext;
}

/** A header's value (first one), case-insensitive name. */
export function header(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `Sforce-Auto-Assign: FALSE` (any case) switches assignment rules off; absent or anything else runs them. */
export function autoAssign(ctx: RouteContext): boolean {
  const v = header(ctx, 'sforce-auto-assign');
  return v === undefined || v.trim().toLowerCase() !== 'false';
}
