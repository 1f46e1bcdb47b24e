import { Connection } from 'jsforce/lib/connection';
import type { HttpRequest, HttpResponse } from 'jsforce/lib/types';
import { CrmError } from '../../src/errors/crm-error';
import { requireActiveInstallation } from '../../src/store/require-active-installation';
import { childLogger } from '../../src/logging/logger';
import { metrics } from '../../src/metrics';
import type { ServiceContext } from '../../src/pipeline/context';
import type { Installation } from '../../src/store/installation-store';
import { TokenManager } from '../../src/store/token-manager';
import { ApiBudget, parseLimitInfo } from './api-budget';
import { refreshTokens } from './oauth';
import type { ResolvedOptions } from './options';
import { SalesforceHttpError } from './salesforce-http-error';
import { orgIdOf } from './tenant';
import { markRevokedOnRefusal } from '../shared/mark-revoked';
import { toCrmError } from './to-crm-error';
import { SalesforceTransport } from './transport';

const log = childLogger('salesforce');

/** What a request is for: the `kind` label of `lead_scorer_crm_requests_total`. */
export type CallKind = 'query' | 'write' | 'deleted' | 'describe' | 'setup';

/** One Salesforce request, made with the org's jsforce Connection. Make exactly one request per call: each call is one unit of the API budget. */
export type SalesforceCall<T> = (conn: Connection) => Promise<T>;

/**
 * One jsforce Connection per org (instance URL, access token, API version) and the one place that
 * retries Salesforce calls. Each call: refuses at once when the installation is not active or the
 * org's API budget is paused or spent (BUDGET_EXHAUSTED with `retryAfterMs`); uses the stored
 * access token; on 401 (INVALID_SESSION_ID) refreshes once through the TokenManager (single-flight
 * in the process, a Redis lock across processes, the rotated refresh token persisted before use)
 * and tries once more; on 403 REQUEST_LIMIT_EXCEEDED pauses the org; everything else becomes a
 * CrmError for the job layer. jsforce's own retries are off (see SalesforceTransport). A refresh
 * refused for good marks the installation `needs_reauth`; its calls then fail at once.
 */
export class SalesforceClients {
  readonly budget: ApiBudget;
  private readonly connections = new Map<string, { token: string; instanceUrl: string; conn: Connection }>();
  private readonly managers = new Map<string, TokenManager>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: ResolvedOptions,
  ) {
    this.budget = new ApiBudget(ctx.redis, ctx.prefix, options.apiBudget, ctx.clock);
  }

  async call<T>(tenant: string, kind: CallKind, fn: SalesforceCall<T>, signal?: AbortSignal): Promise<T> {
    const orgId = orgIdOf(tenant);
    let refreshed = false;
    for (;;) {
      signal?.throwIfAborted();
      const inst = await this.activeInstallation(tenant);
      await this.budget.take(tenant, orgId);
      const token = await this.markRevoked(tenant, () => this.tokens(tenant).accessToken(tenant));
      const conn = this.connectionFor(tenant, orgId, inst, token);
      try {
        const result = await abortable(fn(conn), signal);
        metrics.crmRequests.inc({ crm: 'salesforce', kind, status: '2xx' });
        return result;
      } catch (err) {
        if (signal?.aborted) throw err;
        const http = err instanceof SalesforceHttpError ? err : undefined;
        metrics.crmRequests.inc({ crm: 'salesforce', kind, status: http ? String(http.status) : failureKind(err) });
        if (http?.status === 401 && !refreshed) {
          refreshed = true;
          log.info('Salesforce refused the access token; refreshing once', { tenant, errorCode: http.errorCode });
          await this.markRevoked(tenant, () => this.tokens(tenant).refresh(tenant, token));
          continue;
        }
        if (http?.errorCode === 'REQUEST_LIMIT_EXCEEDED') throw await this.budget.limitExceeded(tenant, orgId, http.detail);
        throw toCrmError(err, tenant);
      }
    }
  }

  /** One REST request (`url` relative to `/services/data/vXX.X`, or a `/services/…` path) through `call`. */
  request<T>(tenant: string, kind: CallKind, req: HttpRequest, signal?: AbortSignal): Promise<T> {
    return this.call(tenant, kind, (conn) => conn.request<T>(req) as Promise<T>, signal);
  }

  /** The TokenManager of an org; its refresh also follows the org when Salesforce names a new instance URL. */
  tokens(tenant: string): TokenManager {
    let manager = this.managers.get(tenant);
    if (!manager) {
      manager = new TokenManager(
        this.ctx.installations,
        this.ctx.redis,
        async (tokens) => {
          // the org's own login host (kept at install): production and sandbox orgs share a deployment
          const inst = await this.ctx.installations.get(tenant);
          const fresh = await refreshTokens(this.ctx.env, tokens, tenant, inst?.meta.loginUrl ?? this.ctx.env.SALESFORCE_LOGIN_URL);
          const moved = inst !== undefined && inst.meta.instanceUrl !== fresh.instanceUrl;
          if (moved) log.info('the org moved to another instance', { tenant, instanceUrl: fresh.instanceUrl });
          if (fresh.rotated) log.info('Salesforce rotated the refresh token; the new one is stored before use', { tenant });
          // the new instance URL is stored in the same write as the tokens
          return { tokens: fresh.tokens, ...(moved ? { meta: { instanceUrl: fresh.instanceUrl } } : {}) };
        },
        { prefix: this.ctx.prefix, clock: this.ctx.clock },
      );
      this.managers.set(tenant, manager);
    }
    return manager;
  }

  /** The org's Connection for this token and instance (a new one when either changed). */
  private connectionFor(tenant: string, orgId: string, inst: Installation, token: string): Connection {
    const instanceUrl = inst.meta.instanceUrl;
    if (!instanceUrl) throw new CrmError(`${tenant} has no instance URL; install the connector again`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
    const cached = this.connections.get(tenant);
    if (cached?.token === token && cached.instanceUrl === instanceUrl) return cached.conn;
    const conn = new Connection({ instanceUrl, accessToken: token, version: this.options.apiVersion });
    conn._transport = new SalesforceTransport(this.options.requestTimeoutMs, (res) => this.onResponse(orgId, res));
    this.connections.set(tenant, { token, instanceUrl, conn });
    return conn;
  }

  /** Every answer: keep the org's API usage (`Sforce-Limit-Info: api-usage=used/max`). */
  private async onResponse(orgId: string, res: HttpResponse): Promise<void> {
    const usage = parseLimitInfo(res.headers?.['sforce-limit-info']);
    if (usage) await this.budget.recordUsage(orgId, usage);
  }

  private activeInstallation(tenant: string): Promise<Installation> {
    return requireActiveInstallation(this.ctx.installations, tenant, 'salesforce');
  }

  /** Runs a token operation; a refusal for good marks the installation `needs_reauth` before it is rethrown. */
  private markRevoked<T>(tenant: string, op: () => Promise<T>): Promise<T> {
    return markRevokedOnRefusal(
      { installations: this.ctx.installations, tenant, crm: 'salesforce', whoReinstalls: 'the org', forget: () => this.connections.delete(tenant), toCrmError },
      op,
    );
  }

}

/** jsforce cannot take an AbortSignal; a shutdown stops waiting (the request itself ends at its timeout). */
function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The `status` label of a request that got no HTTP answer. */
function failureKind(err: unknown): string {
  if (err instanceof CrmError) return err.code.toLowerCase();
  const name = (err as { name?: unknown })?.name;
  return name === 'AbortError' ? 'timeout' : 'network';
}
