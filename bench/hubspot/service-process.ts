/**
 * The connector under test, in a process of its own (forked by service-handle.ts): the service built
 * by `buildService` with the shipped config and the real HubSpot connector pointed at the sandbox,
 * all three roles (web, worker, scheduler) in this one process. It samples its own memory every
 * 250 ms, so the peak RSS reported is the service's (the sandbox, with 100,000 contacts in memory,
 * lives in the parent process and is not counted).
 *
 * Protocol: the parent sends `{ id, op, args }`, this process answers `{ id, ok, result | error }`.
 * Ops: start, install, memMark, mem, jobs, stop. See service-handle.ts for the types.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { createHubSpotConnector, type HubSpotConnectorOptions } from '../../connectors/hubspot';
import { installPortal } from '../../connectors/hubspot/install-portal';
import { loadConfig } from '../../src/config/load-config';
import { loadEnv } from '../../src/env';
import { activate } from '../../src/runtime/active-config';
import { buildService, type Service } from '../../src/runtime/build-service';
import type { ActiveConfig } from '../../src/pipeline/context';

export interface ServiceStartArgs {
  sandboxUrl: string;
  clientId: string;
  clientSecret: string;
  appId: number;
  port: number;
  prefix: string;
  redisUrl: string;
  /** Connector tunables (the bench's variants; the default run passes none: the shipped defaults). */
  connectorOptions?: HubSpotConnectorOptions;
}

export interface MemStats {
  samples: number;
  rssPeak: number;
  heapUsedPeak: number;
  heapTotalPeak: number;
  externalPeak: number;
  rssAtMark: number;
  heapUsedAtMark: number;
  rssNow: number;
  heapUsedNow: number;
  /** Peak RSS over the whole life of the process. */
  rssLifetimePeak: number;
  /** CPU time of this process since the mark (ms). */
  cpuUserMs: number;
  cpuSystemMs: number;
}

export interface JobRecord {
  queue: 'poll' | 'flush';
  id: string;
  at: number;
  result?: unknown;
  failed?: string;
}

const REPO_ROOT = path.resolve(__dirname, '../..');
const SAMPLE_MS = 250;

let service: Service | undefined;
let startArgs: ServiceStartArgs | undefined;
const queueEvents: QueueEvents[] = [];
const jobs: JobRecord[] = [];

// ---- memory ------------------------------------------------------------------------------------

const mem = { samples: 0, rssPeak: 0, heapUsedPeak: 0, heapTotalPeak: 0, externalPeak: 0, rssAtMark: 0, heapUsedAtMark: 0, rssLifetimePeak: 0 };
function sample(): void {
  const m = process.memoryUsage();
  mem.samples++;
  mem.rssPeak = Math.max(mem.rssPeak, m.rss);
  mem.heapUsedPeak = Math.max(mem.heapUsedPeak, m.heapUsed);
  mem.heapTotalPeak = Math.max(mem.heapTotalPeak, m.heapTotal);
  mem.externalPeak = Math.max(mem.externalPeak, m.external);
  mem.rssLifetimePeak = Math.max(mem.rssLifetimePeak, m.rss);
}
let cpuAtMark = process.cpuUsage();
function markMemory(): void {
  cpuAtMark = process.cpuUsage();
  const m = process.memoryUsage();
  Object.assign(mem, { samples: 0, rssPeak: m.rss, heapUsedPeak: m.heapUsed, heapTotalPeak: m.heapTotal, externalPeak: m.external, rssAtMark: m.rss, heapUsedAtMark: m.heapUsed });
}
setInterval(sample, SAMPLE_MS).unref();
sample();

// ---- ops ---------------------------------------------------------------------------------------

const ops: Record<string, (args: never) => Promise<unknown>> = {
  async start(args: ServiceStartArgs) {
    startArgs = args;
    const env = loadEnv({
      NODE_ENV: 'production',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      REDIS_URL: args.redisUrl,
      PORT: String(args.port),
      PUBLIC_URL: `http://127.0.0.1:${args.port}`,
      HUBSPOT_CLIENT_ID: args.clientId,
      HUBSPOT_CLIENT_SECRET: args.clientSecret,
      HUBSPOT_APP_ID: String(args.appId),
      HUBSPOT_API_BASE_URL: args.sandboxUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const active: ActiveConfig = activate(await loadConfig(path.join(REPO_ROOT, 'config')));
    service = await buildService({
      env,
      config: () => active,
      prefix: args.prefix,
      connectorFactories: { hubspot: (ctx) => createHubSpotConnector(ctx, args.connectorOptions ?? {}) },
    });
    await service.start(['web', 'worker', 'scheduler']);
    for (const queue of ['poll', 'flush'] as const) {
      const qe = new QueueEvents(queue, { connection: new Redis(args.redisUrl, { maxRetriesPerRequest: null }), prefix: `${args.prefix}bull` });
      qe.on('completed', ({ jobId, returnvalue }) => jobs.push({ queue, id: jobId, at: Date.now(), result: returnvalue }));
      qe.on('failed', ({ jobId, failedReason }) => jobs.push({ queue, id: jobId, at: Date.now(), failed: failedReason }));
      await qe.waitUntilReady();
      queueEvents.push(qe);
    }
    return { pid: process.pid, publicUrl: env.PUBLIC_URL };
  },

  /** Saves the installation, creates the score properties and starts the first full sync: what the OAuth callback does. */
  async install(args: { portalId: number; accessToken: string; refreshToken: string; expiresAt: number }) {
    if (!service) throw new Error('not started');
    const connector = service.connectors.find((c) => c.crm === 'hubspot')!;
    const startedAt = Date.now();
    const tenant = await installPortal(
      service.deps.ctx,
      { portalId: args.portalId, appKind: 'oauth', tokens: { accessToken: args.accessToken, refreshToken: args.refreshToken, expiresAt: args.expiresAt } },
      (t) => connector.setupTenant(t),
    );
    return { tenant, startedAt, syncStartedAt: Date.now() };
  },

  async memMark() {
    markMemory();
    return { ...mem, cpuUserMs: 0, cpuSystemMs: 0 };
  },

  async mem(): Promise<MemStats> {
    sample();
    const m = process.memoryUsage();
    const cpu = process.cpuUsage(cpuAtMark);
    return { ...mem, rssNow: m.rss, heapUsedNow: m.heapUsed, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
  },

  /** Poll and flush jobs that completed or failed since the last call. */
  async jobs() {
    return jobs.splice(0, jobs.length);
  },

  async stop() {
    await Promise.all(queueEvents.map((q) => q.close()));
    await service?.stop();
    service = undefined;
    let deleted = 0;
    if (startArgs) {
      const redis = new Redis(startArgs.redisUrl, { maxRetriesPerRequest: null });
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${startArgs.prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
    return { deleted };
  },
};

process.on('message', (msg: { id: number; op: string; args: unknown }) => {
  const op = ops[msg.op];
  if (!op) {
    process.send?.({ id: msg.id, ok: false, error: `unknown op ${msg.op}` });
    return;
  }
  op(msg.args as never).then(
    (result) => process.send?.({ id: msg.id, ok: true, result }),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
