import Redis, { type RedisOptions } from 'ioredis';
import { Worker } from 'bullmq';
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
import { InstallationStore } from '../store/installation-store';
import { ScoreStore } from '../store/score-store';

const log = childLogger('runtime');

export type Role = 'web' | 'worker' | 'scheduler';

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
}

export interface Service {
  deps: PipelineDeps;
  connectors: CrmConnector[];
  /** Starts the given roles; returns the HTTP server when `web` is among them. */
  start(roles: Role[]): Promise<Server | undefined>;
  /** Graceful stop: no new work, in-flight work finished or handed back, connections closed. */
  stop(): Promise<void>;
}

/** The composition root: builds every store, queue and connector once, and starts the roles asked for. */
export async function buildService(opts: ServiceOptions): Promise<Service> {
  const { env } = opts;
  const prefix = opts.prefix ?? 'ls:';
  const clock = opts.clock ?? Date.now;
  const redisOptions: RedisOptions = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true };
  const redis = new Redis(env.REDIS_URL, redisOptions);
  await redis.connect();
  const queues = createQueues(parseConnection(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }), prefix);

  const shutdown = new AbortController();
  const cipher = TokenCipher.fromKey(env.TOKEN_ENCRYPTION_KEY ? decodeKey(env.TOKEN_ENCRYPTION_KEY) : undefined, env.NODE_ENV);
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
    const crm = tenant.slice(0, tenant.indexOf(':')) as keyof ActiveConfig['mappings'];
    const polling = (opts.config().mappings[crm] as { polling?: { interval?: number } } | undefined)?.polling;
    return polling?.interval ?? 5 * 60_000;
  };
  const ingest = new QueueIngest({ redis, prefix, pending, queues, clock, forget, pollIntervalMs, ...(opts.coalesceMs !== undefined ? { coalesceMs: opts.coalesceMs } : {}) });
  const ctx: ServiceContext = { env, redis, prefix, installations, limiter, config: opts.config, ingest, clock };
  for (const [crm, factory] of Object.entries(opts.connectorFactories ?? CONNECTOR_FACTORIES)) connectorsByCrm.set(crm, factory(ctx));
  const connectors = [...connectorsByCrm.values()];
  const deps: PipelineDeps = { ctx, pending, scores, cursors, queues, connectorFor, forget, shutdown: shutdown.signal, pollIntervalMs };

  const workers: Worker[] = [];
  const workerRedis: Redis[] = [];
  let server: Server | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;

  return {
    deps,
    connectors,
    async start(roles) {
      if (roles.includes('worker')) {
        const connection = () => {
          const r = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
          workerRedis.push(r);
          return r;
        };
        const flush = new Worker(QUEUE_NAMES.flush, flushProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency: opts.workerConcurrency ?? 8 });
        flush.on('failed', (job, err) => void onFlushFailed(deps, job, err).catch((e) => log.error('could not hand back a failed batch', { reason: (e as Error).message })));
        flush.on('error', (err) => log.error('flush worker error', { reason: err.message }));
        const poll = new Worker(QUEUE_NAMES.poll, pollProcessor(deps), { connection: connection(), prefix: `${prefix}bull`, concurrency: 4, lockDuration: 60_000 });
        poll.on('failed', (job, err) => log.warn('poll failed', { jobId: job?.id, attempt: job?.attemptsMade, reason: err.message }));
        poll.on('error', (err) => log.error('poll worker error', { reason: err.message }));
        workers.push(flush, poll);
      }
      if (roles.includes('scheduler')) {
        for (const inst of await installations.list()) {
          if (inst.status !== 'active' || !connectorsByCrm.has(inst.crm)) continue;
          for (const objectType of connectorFor(inst.tenant).objectTypes()) {
            await schedulePolling(queues.poll, { tenant: inst.tenant, objectType }, pollIntervalMs(inst.tenant));
          }
        }
        let sweeping = false;
        sweepTimer = setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          sweepDue(deps)
            .catch((err) => log.warn('due sweep failed', { reason: (err as Error).message }))
            .finally(() => (sweeping = false));
        }, opts.sweepEveryMs ?? 1_000);
      }
      if (roles.includes('web')) {
        const app = createApp(deps, connectors);
        server = await new Promise<Server>((resolve) => {
          const s = app.listen(env.PORT, () => resolve(s));
        });
      }
      log.info('started', { roles, port: server ? (server.address() as { port: number }).port : undefined });
      return server;
    },
    async stop() {
      shutdown.abort(new Error('shutting down'));
      if (sweepTimer) clearInterval(sweepTimer);
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      for (const r of workerRedis) r.disconnect();
      redis.disconnect();
    },
  };
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
