/** What a route handler gets, and how routes declare their auth, scopes and rate-limit class. */
import type { SandboxRequest, SandboxResponse } from '../../shared/http-server';
import type { AccessToken, AppCredentials, TokenRegistry } from '../auth/token-registry';
import type { Portal } from '../store/portal';

/** The parts of the sandbox the routes use. */
export interface SandboxCore {
  readonly baseUrl: string;
  readonly app: AppCredentials;
  readonly tokens: TokenRegistry;
  clock(): number;
  portal(portalId: number): Portal | undefined;
}

export interface RouteContext {
  req: SandboxRequest;
  params: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  json: unknown;
  /** Parsed form body (OAuth endpoints), or undefined. */
  form: URLSearchParams | undefined;
  core: SandboxCore;
  /** Set on routes that need a bearer token. */
  auth?: AccessToken;
  portal?: Portal;
}

/**
 * `crm`: bearer token, ten-secondly and daily limits, rate-limit headers.
 * `search`: bearer token, its own per-second limit, no rate-limit headers.
 * `oauth`: no bearer token, no limits.
 */
export type RouteKind = 'crm' | 'search' | 'oauth';

export interface RouteDef {
  method: string;
  pattern: string;
  kind: RouteKind;
  /** Scopes the token must have (any one of them), computed from the request. */
  scopes?: (ctx: RouteContext) => string[] | undefined;
  handle: (ctx: RouteContext) => SandboxResponse | Promise<SandboxResponse>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers };
}
