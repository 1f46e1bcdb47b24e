import Redis, { type RedisOptions } from 'ioredis';
import { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import { CONNECTOR_FACTORIES, type ConnectorFactory } from '../../connectors/index';
import type { CrmConnector } from '../../connectors/types';
import { flushProcessor, onFlushFailed } from '../../jobs/flush-queue';
import { pollProcessor, schedulePolling } from '../../jobs/poll-queue';
import { createQueues, QUEUE_NAMES } from '../../jobs/queues';
import { TokenCipher } from '../crypto/token-cipher';
import { decodeKey, type Env } from '../env';
import { createApp } from '../http/app';
import { childLogger } from '../logging/logger';
import type { ActiveConfig, ServiceContext } from '../pipeline/context';
import { CursorStore } from '../pipeline/cursor-store';
import { sweepDue } from '../pipeline/due-sweep';
import { QueueIngest } from '../pipeline/ingest';
import { PendingStore } from '../pipeline/pending-store';
import type { PipelineDeps } from '../pipeline/pipeline-deps';
import { SlidingWindowLimiter } from '../rate-limit/sliding-window-limiter';
import { createRouting, routingWorkers } from '../routing/create-routing';
import { InstallationStore } from '../store/installation-store';
import { ScoreStore } from '../store/score-store';

const log = childLogger('runtime');

/** The roles a process can run: the HTTP server, the queue workers, the schedulers (polling, due sweep). */
export const ROLES = ['web', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

export interface ServiceOptions {
  env: Env;
  /** The config in force (a ConfigStore's current config). */
  config: () => ActiveConfig;
  /** Prefix of every Redis key and queue (default `ls:`; tests use a unique one). */
  prefix?: string;
  clock?: () => number;
  connectorFactories?: Record<string, ConnectorFactory>;
  /** Coalescing delay of webhook-reported changes (default 1 s). */
  coalesceMs?: number;
  workerConcurrency?: number;
  /** How often the scheduler looks for records whose time has come (default 1 s). */
  sweepEveryMs?: number;
  /**
   * Poll interval of every tenant, overriding the mapping config (default: the mapping's
   * `polling.interval` when it has one, else 5 minutes). Tests and the demo poll faster.
   */
  pollIntervalMs?: number;
  /** Host the web role listens on (default: every interface). */
  host?: string;
}

export interface Service {
  deps: PipelineDeps;
  connectors: CrmConnector[];
  /**
   * Starts the given roles; returns the HTTP server when `web` is among them. With `PORT=0` the
   * system picks a free port, and a `PUBLIC_URL` left to its default follows it.
   */
  start(roles: Role[]): Promise<Server | undefined>;
  /** Graceful stop: no new work, in-flight work finished or handed back, connections closed. */
  stop(): Promise<void>;
}

/** The composition root: builds every store, queue and connector once, and starts the roles asked for. */
export async function buildService(opts: ServiceOptions): Promise<Service> {
  const { env } = opts;
  const prefix = opts.prefix ?? 'ls:';
  const clock = opts.clock ?? Date.now;
  let connected = false;
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    // a process that cannot reach Redis at start fails at once; once running, it reconnects (as ioredis does by default)
    retryStrategy: (times) => (connected ? Math.min(times * 50, 2_000) : null),
  };
  const redis = new Redis(env.REDIS_URL, redisOptions);
  redis.on('error', throttledRedisError('store connection'));
  try {
    await redis.connect();
    connected = true;
  } catch (err) {
    // (disconnecting an ended connection would arm ioredis's 2 s stream-destroy timer and hold the process)
    if (redis.status !== 'end') redis.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(env.REDIS_URL)}: ${(err as Error).message}`, { cause: err });
  }
  const queues = createQueues(parseConnection(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }), prefix);
  // without a listener BullMQ prints connection errors to the console; log them like the rest
  const onQueueError = throttledRedisError('queue connection');
  const allQueues = Object.values(queues).filter((q): q is Queue => q instanceof Queue);
  for (const q of allQueues) q.on('error', onQueueError);
  try {
    // ready before use: a queue closed while its connection still initialises emits an error nobody can catch
    await Promise.all(allQueues.map((q) => q.waitUntilReady()));
  } catch (err) {
    await queues.close().catch(() => undefined);
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(env.REDIS_URL)}: ${(err as Error).message}`, { cause: err });
  }

  const shutdown = new AbortController();
  const cipher = TokenCipher.fromKey(env.TOKEN_ENCRYPTION_KEY ? decodeKey(env.TOKEN_ENCRYPTION_KEY) : undefined, { nodeEnv: env.NODE_ENV });
  if (cipher.source === 'none') log.warn('TOKEN_ENCRYPTION_KEY is not set: installs are refused until it is (openssl rand -hex 32)');
  const installations = new InstallationStore(redis, cipher, prefix);
  const pending = new PendingStore(redis, prefix);
  const scores = new ScoreStore(redis, prefix);
  const cursors = new CursorStore(redis, prefix);
  const limiter = new SlidingWindowLimiter(redis, `${prefix}rl:`, clock);
  const connectorsByCrm = new Map<string, CrmConnector>();
  const connectorFor = (tenant: string): CrmConnector => {
    const crm = tenant.slice(0, tenant.indexOf(':'));
    const c = connectorsByCrm.get(crm);
    if (!c) throw new Error(`no connector for tenant ${tenant}`);
    return c;
  };
  const forget = async (tenant: string, objectType: string, ids: string[]) => {
    await Promise.all([pending.remove(tenant, objectType, ids), scores.remove(tenant, objectType, ids)]);
  };
  const pollIntervalMs = (tenant: string) => {
    if (opts.pollIntervalMs !== undefined) return opts.pollIntervalMs;
    const crm = tenant.slice(0, tenant.indexOf(':')) as keyof ActiveConfig['mappings'];
    return opts.config().mappings[crm]?.polling.interval ?? 5 * 60_000;
  };
  const ingest = new QueueIngest({ redis, prefix, pending, queues, clock, forget, pollIntervalMs, ...(opts.coalesceMs !== undefined ? { coalesceMs: opts.coalesceMs } : {}) });
  const ctx: ServiceContext = { env, redis, prefix, installations, limiter, config: opts.config, ingest, clock };
  for (const [crm, factory] of Object.entries(opts.connectorFactories ?? CONNECTOR_FACTORIES)) connectorsByCrm.set(crm, factory(ctx));
  const connectors = [...connectorsByCrm.values()];
  const routing = createRouting({ ctx, queues, connectorFor, shutdown: shutdown.signal });
  const deps: PipelineDeps = { ctx, pending, scores, cursors, queues, connectorFor, forget, shutdown: shutdown.signal, pollIntervalMs, routing };

  const workers: Worker[] = [];
  const workerRedis: Redis[] = [];
  let server: Server | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweep: Promise<unknown> | undefined;
  let stopping: Promise<void> | undefined;

  return {
    deps,
    connectors,
    async start(roles) {
      if (roles.includes('worker')) {
        const connection = () => {
          const r = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
          r.on('error', throttledRedisError('worker connection'));
          workerRedis.push(r);
          return r;
        };
        const flush = new Worker(QUEUE_NAMES.flush, flushProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency: opts.workerConcurrency ?? 8 });
        flush.on('failed', (job, err) => void onFlushFailed(deps, job, err).catch((e) => log.error('could not hand back a failed batch', { reason: (e as Error).message })));
        flush.on('error', (err) => log.error('flush worker error', { reason: err.message }));
        const poll = new Worker(QUEUE_NAMES.poll, pollProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency: 4, lockDuration: 60_000 });
        poll.on('failed', (job, err) => log.warn('poll failed', { jobId: job?.id, attempt: job?.attemptsMade, reason: err.message }));
        poll.on('error', (err) => log.error('poll worker error', { reason: err.message }));
        workers.push(flush, poll, ...routingWorkers(routing, connection, prefix));
        // connected before start() returns: BullMQ cannot close a connection that is still initialising without an uncaught 'error'
        await Promise.all(workers.map((w) => w.waitUntilReady()));
      }
      if (roles.includes('scheduler')) {
        for (const inst of await installations.list()) {
          if (inst.status !== 'active' || !connectorsByCrm.has(inst.crm)) continue;
          for (const objectType of connectorFor(inst.tenant).objectTypes()) {
            await schedulePolling(queues.poll, { tenant: inst.tenant, objectType }, pollIntervalMs(inst.tenant));
          }
        }
        sweepTimer = setInterval(() => {
          if (sweep || shutdown.signal.aborted) return;
          sweep = sweepDue(deps)
            .catch((err) => log.warn('due sweep failed', { reason: (err as Error).message }))
            .finally(() => (sweep = undefined));
        }, opts.sweepEveryMs ?? 1_000);
      }
      if (roles.includes('web')) {
        const app = createApp(deps, connectors);
        server = await new Promise<Server>((resolve, reject) => {
          const s = opts.host ? app.listen(env.PORT, opts.host) : app.listen(env.PORT);
          s.once('listening', () => resolve(s));
          s.once('error', reject);
        });
        const { port } = server.address() as { port: number };
        // PORT=0: the system picked the port, and the default PUBLIC_URL (used for OAuth redirects and webhook signatures) follows it
        if (env.PORT === 0 && env.PUBLIC_URL === 'http://localhost:0') env.PUBLIC_URL = `http://localhost:${port}`;
      }
      log.debug('roles started', { roles, port: server ? (server.address() as { port: number }).port : undefined });
      return server;
    },
    stop() {
      stopping ??= (async () => {
        shutdown.abort(new Error('shutting down'));
        if (sweepTimer) clearInterval(sweepTimer);
        // stop taking work: no new HTTP requests (those in flight finish), no new jobs
        const closed = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
        server?.closeIdleConnections();
        // in-flight jobs see the aborted signal, finish their page and hand the rest back
        await Promise.all([closed, ...workers.map((w) => w.close()), sweep]);
        await queues.close().catch((err: Error) => log.warn('closing the queues failed', { reason: err.message }));
        for (const r of workerRedis) r.disconnect();
        redis.disconnect();
      })();
      return stopping;
    },
  };
}

/** Logs Redis connection errors at most once per 10 s per connection kind (ioredis retries on its own). */
function throttledRedisError(what: string): (err: Error) => void {
  let last = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    log.warn(`Redis ${what} error`, { reason: err.message });
  };
}

/** A URL fit for a log line or an error message: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(an unreadable URL)';
  }
}

function parseConnection(url: string, extra: RedisOptions): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    ...extra,
  };
}
