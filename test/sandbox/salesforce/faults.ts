/**
 * Injected failures: "the next N requests matching this answer with that". Matching is on the
 * route name (`PATCH /services/data/vXX.X/composite/sobjects`), on method and path, and on org.
 * Without a body, the answer is Salesforce's usual body for the status.
 */
import type { SandboxResponse } from '../shared/http-server';
import { notFound, requestLimitExceeded, sessionInvalid, sfError } from './errors';

export interface FailureRule {
  /** Route name as in `stats` and `requestLog`, e.g. `GET /services/data/vXX.X/query`. */
  route?: string;
  method?: string;
  /** Exact path or a pattern tested against the path. */
  path?: string | RegExp;
  orgId?: string;
  /** HTTP status to answer with. */
  status: number;
  /** Body to send; by default Salesforce's body for that status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Wait this long before answering. */
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

  take(route: string, method: string, path: string, orgId: string | undefined): { response: SandboxResponse; delayMs: number } | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.route === undefined || r.route === route) &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? r.path === path : r.path.test(path))) &&
        (r.orgId === undefined || r.orgId === orgId),
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
  if (status === 401) return sessionInvalid();
  if (status === 403) return requestLimitExceeded();
  if (status === 404) return notFound();
  if (status === 503) return sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.');
  if (status >= 500) return sfError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)');
  return sfError(status, 'INJECTED_FAILURE', 'injected failure');
}
