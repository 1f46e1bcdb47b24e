import { Client } from '@hubspot/api-client';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import { requireActiveInstallation } from '../../src/store/require-active-installation';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import { sleep } from '../../src/rate-limit/sliding-window-limiter';
import type { Installation } from '../../src/store/installation-store';
import { TokenManager } from '../../src/store/token-manager';
import { errorMiddleware, httpFailureOf } from './hubspot-http-error';
import { metrics } from '../../src/metrics';
import { hubspotMetrics } from './metrics';
import { refreshTokens } from './oauth';
import type { ResolvedOptions } from './options';
import { generalRule, limiterKey, pauseAfter429, searchRule, type AppKind, type CallKind } from './rate-limits';
import { portalIdOf } from './tenant';
import { markRevokedOnRefusal } from '../shared/mark-revoked';
import { toCrmError } from './to-crm-error';

const log = childLogger('hubspot');

/**
 * The options of every SDK client. The SDK keeps its retry and limiter settings in a process-wide
 * singleton that each `new Client()` overwrites, so every client gets exactly these: no SDK retries
 * and no SDK limiter (both live in `HubSpotClients.call`), and the error middleware. Anything else
 * in the process that builds a HubSpot Client must use them too.
 */
export function sdkClientOptions(env: Env, accessToken: string) {
  return { accessToken, basePath: env.HUBSPOT_API_BASE_URL, numberOfApiCallRetries: 0, middleware: [errorMiddleware] };
}

export type HubSpotCall<T> = (client: Client) => Promise<T>;

/**
 * One SDK client per portal, and the one place that retries HubSpot calls: each call waits for the
 * portal's shared budget (Redis sliding windows, general and search), sits out a pause a 429 set,
 * uses a fresh token (refreshed 5 min before expiry, single-flight), refreshes once on a 401, and
 * waits out 429s up to `maxRateLimitRetries` times. Everything else becomes a CrmError for the job
 * layer. A refused refresh marks the installation `needs_reauth`; its calls then fail at once.
 */
export class HubSpotClients {
  private readonly clients = new Map<string, { token: string; client: Client }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: ResolvedOptions,
    readonly tokens: TokenManager = new TokenManager(ctx.installations, ctx.redis, async (t) => ({ tokens: await refreshTokens(ctx.env, t, undefined, ctx.clock) }), {
      prefix: ctx.prefix,
      clock: ctx.clock,
    }),
  ) {}

  async call<T>(tenant: string, kind: CallKind, fn: HubSpotCall<T>, signal?: AbortSignal): Promise<T> {
    const portalId = portalIdOf(tenant);
    const inst = await this.activeInstallation(tenant);
    const appKind: AppKind = inst.meta.appKind === 'private' ? 'private' : 'oauth';
    const generalKey = limiterKey(portalId, 'general');
    const searchKey = limiterKey(portalId, 'search');
    let refreshed = false;
    let limited = 0;
    for (;;) {
      signal?.throwIfAborted();
      await this.waitOutPause(tenant, kind === 'search' ? [searchKey] : [generalKey], signal);
      if (kind === 'search') await this.ctx.limiter.take(searchKey, searchRule(this.options), signal);
      else await this.ctx.limiter.take(generalKey, generalRule(this.options, appKind), signal);
      const token = await this.markRevoked(tenant, () => this.tokens.accessToken(tenant));
      try {
        const result = await this.withTimeout(fn(this.clientFor(tenant, token)), tenant, signal);
        metrics.crmRequests.inc({ crm: 'hubspot', kind, status: '2xx' });
        return result;
      } catch (err) {
        if (signal?.aborted) throw err;
        const http = httpFailureOf(err);
        metrics.crmRequests.inc({ crm: 'hubspot', kind, status: http ? String(http.status) : failureKind(err) });
        if (http?.status === 429) {
          const pause = pauseAfter429(http, kind);
          metrics.rateLimited.inc({ crm: 'hubspot' });
          hubspotMetrics.rateLimitedByPolicy.inc({ policy: pause.policy });
          await this.ctx.limiter.pause(pause.budget === 'search' ? searchKey : generalKey, pause.ms);
          if (pause.daily) {
            log.error('HubSpot daily API limit reached; pausing the portal', { tenant, pauseMs: pause.ms });
            throw new CrmError(`the daily HubSpot API limit of ${tenant} is spent; paused for ${Math.round(pause.ms / 60_000)} min`, 'BUDGET_EXHAUSTED', true, {
              crm: 'hubspot',
              tenant,
              status: 429,
              retryAfterMs: pause.ms,
            });
          }
          limited++;
          log.warn('HubSpot rate limit hit; waiting', { tenant, policy: pause.policy, pauseMs: pause.ms, attempt: limited });
          if (limited > this.options.maxRateLimitRetries) {
            throw new CrmError(`HubSpot kept answering 429 for ${tenant} (${limited} times)`, 'RATE_LIMITED', true, { crm: 'hubspot', tenant, status: 429, retryAfterMs: pause.ms }, { cause: http });
          }
          continue;
        }
        if (http?.status === 401 && !refreshed) {
          refreshed = true;
          log.info('HubSpot refused the access token; refreshing once', { tenant });
          await this.markRevoked(tenant, () => this.tokens.refresh(tenant, token));
          continue;
        }
        throw toCrmError(err, tenant);
      }
    }
  }

  /** The SDK client of a portal for this token (a new one when the token changed). */
  private clientFor(tenant: string, token: string): Client {
    const cached = this.clients.get(tenant);
    if (cached?.token === token) return cached.client;
    const client = new Client(sdkClientOptions(this.ctx.env, token));
    this.clients.set(tenant, { token, client });
    return client;
  }

  private activeInstallation(tenant: string): Promise<Installation> {
    return requireActiveInstallation(this.ctx.installations, tenant, 'hubspot');
  }

  /** Runs a token operation; a refusal for good marks the installation `needs_reauth` before it is rethrown. */
  private markRevoked<T>(tenant: string, op: () => Promise<T>): Promise<T> {
    return markRevokedOnRefusal(
      { installations: this.ctx.installations, tenant, crm: 'hubspot', whoReinstalls: 'the portal', forget: () => this.clients.delete(tenant), toCrmError },
      op,
    );
  }


  /** Sits out a pause a 429 set (in any process); a pause longer than `maxInlineWaitMs` fails the call instead. */
  private async waitOutPause(tenant: string, keys: string[], signal?: AbortSignal): Promise<void> {
    for (;;) {
      const paused = Math.max(...(await Promise.all(keys.map((k) => this.ctx.limiter.pausedFor(k)))));
      if (paused <= 0) return;
      if (paused > this.options.maxInlineWaitMs) {
        throw new CrmError(`HubSpot calls for ${tenant} are paused for another ${Math.ceil(paused / 1000)} s after a 429`, 'RATE_LIMITED', true, {
          crm: 'hubspot',
          tenant,
          retryAfterMs: paused,
        });
      }
      await sleep(paused + Math.floor(Math.random() * 50), signal);
    }
  }

  /** The SDK cannot abort a request; a call that hangs fails after `requestTimeoutMs` (or at once on abort). */
  private withTimeout<T>(work: Promise<T>, tenant: string, signal?: AbortSignal): Promise<T> {
    work.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => finish(() => reject(signal?.reason));
      const timer = setTimeout(
        () => finish(() => reject(new CrmError(`HubSpot did not answer within ${this.options.requestTimeoutMs} ms`, 'UNAVAILABLE', true, { crm: 'hubspot', tenant }))),
        this.options.requestTimeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      work.then(
        (v) => finish(() => resolve(v)),
        (e: unknown) => finish(() => reject(e)),
      );
    });
  }
}

/** The `status` label of a request that got no HTTP answer. */
function failureKind(err: unknown): string {
  return err instanceof CrmError ? err.code.toLowerCase() : 'network';
}
