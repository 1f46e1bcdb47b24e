/**
 * Injected failures for a sandbox: "the next N requests matching this answer with that". Matching
 * is on the route name, on method and path, and on the account (portal, org). Each sandbox gives
 * the CRM's usual body for a status and names its account key.
 */
import type { SandboxResponse } from './http-server';

export interface BaseFailureRule {
  /** Route name as in `stats` and `requestLog`. */
  route?: string;
  method?: string;
  /** Exact path or a pattern tested against the path. */
  path?: string | RegExp;
  /** HTTP status to answer with. */
  status: number;
  /** Body to send; by default the CRM's usual body for that status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Wait this long before answering (a slow CRM). */
  delayMs?: number;
  /** Drop the connection instead of answering. */
  dropConnection?: boolean;
}

export class FaultInjector<R extends BaseFailureRule, A> {
  private rules: (R & { left: number })[] = [];

  constructor(
    private readonly accountOf: (rule: R) => A | undefined,
    private readonly defaultFor: (status: number) => SandboxResponse,
  ) {}

  add(rule: R): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  get pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  /** The injected answer for this request, if a rule matches (and uses up one of its times). */
  take(route: string, method: string, path: string, account: A | undefined): { response: SandboxResponse; delayMs: number } | undefined {
    const rule = this.rules.find((r) => {
      const ruleAccount = this.accountOf(r);
      return (
        r.left > 0 &&
        (r.route === undefined || r.route === route) &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? r.path === path : r.path.test(path))) &&
        (ruleAccount === undefined || ruleAccount === account)
      );
    });
    if (!rule) return undefined;
    rule.left--;
    if (rule.left === 0) this.rules = this.rules.filter((r) => r !== rule);
    if (rule.dropConnection) return { response: { status: 0, destroySocket: true }, delayMs: rule.delayMs ?? 0 };
    const response = rule.body !== undefined ? { status: rule.status, body: rule.body } : this.defaultFor(rule.status);
    return { response: { ...response, headers: { ...(response.headers ?? {}), ...(rule.headers ?? {}) } }, delayMs: rule.delayMs ?? 0 };
  }
}
