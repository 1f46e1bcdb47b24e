/**
 * Injected failures: "the next N requests matching this answer with that". Matching is on the
 * route name (`POST /crm/v3/objects/contacts/batch/update`), on method and path, and on portal.
 */
import type { SandboxResponse } from '../shared/http-server';
import { hubspotError, invalidAuthentication, rateLimited } from './errors';

export interface FailureRule {
  /** Route name as in `stats` and `requestLog`, e.g. `GET /crm/v3/objects/contacts`. */
  route?: string;
  method?: string;
  /** Exact path or a pattern tested against the path. */
  path?: string | RegExp;
  portalId?: number;
  /** HTTP status to answer with. */
  status: number;
  /** Body to send; by default HubSpot's body for that status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Wait this long before answering (a slow HubSpot). */
  delayMs?: number;
  /** Drop the connection instead of answering. */
  dropConnection?: boolean;
}

interface ActiveRule extends FailureRule {
  left: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FailureRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  get pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  /** The injected answer for this request, if a rule matches (and uses up one of its times). */
  take(route: string, method: string, path: string, portalId: number | undefined): { response: SandboxResponse; delayMs: number } | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.route === undefined || r.route === route) &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? r.path === path : r.path.test(path))) &&
        (r.portalId === undefined || r.portalId === portalId),
    );
    if (!rule) return undefined;
    rule.left--;
    if (rule.left === 0) this.rules = this.rules.filter((r) => r !== rule);
    if (rule.dropConnection) return { response: { status: 0, destroySocket: true }, delayMs: rule.delayMs ?? 0 };
    const response = rule.body !== undefined ? { status: rule.status, body: rule.body } : defaultFor(rule.status);
    return { response: { ...response, headers: { ...(response.headers ?? {}), ...(rule.headers ?? {}) } }, delayMs: rule.delayMs ?? 0 };
  }
}

function defaultFor(status: number): SandboxResponse {
  if (status === 429) return rateLimited('TEN_SECONDLY_ROLLING', undefined, { 'X-HubSpot-RateLimit-Remaining': '0' });
  if (status === 401) return invalidAuthentication();
  if (status === 403) return hubspotError(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call.');
  if (status === 404) return hubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
  if (status >= 500) return hubspotError(status, 'INTERNAL_ERROR', status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'internal error');
  return hubspotError(status, 'VALIDATION_ERROR', 'injected failure');
}
