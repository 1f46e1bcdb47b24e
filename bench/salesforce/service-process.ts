/**
 * The connector under test, in a process of its own (forked by service-handle.ts): the service as
 * `npm start` builds it (`buildService` with the shipped config and the shipped connector factories,
 * so the Salesforce connector takes its API share from config/mappings/salesforce.yaml), all three
 * roles in this one process, its Salesforce login URL pointed at the sandbox. It samples its own
 * memory every 250 ms, so the peak RSS reported is the service's: the sandbox, with 100,000 leads
 * and their activity in memory, lives in the parent process and is not counted.
 *
 * Protocol: the parent sends `{ id, op, args }`, this process answers `{ id, ok, result | error }`.
 * Ops: start, memMark, mem, jobs, budget, pollNow, stop. See service-handle.ts for the types.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { pollNow } from '../../jobs/poll-queue';
import type { SalesforceConnector } from '../../connectors/salesforce';
import { loadConfig } from '../../src/config/load-config';
import { loadEnv } from '../../src/env';
import type { ActiveConfig } from '../../src/pipeline/context';
import { activate } from '../../src/runtime/active-config';
import { buildService, type Service } from '../../src/runtime/build-service';
import type { JobRecord } from '../hubspot/service-process';
import { MemorySampler } from './memory-sampler';

export interface ServiceStartArgs {
  /** The sandbox: login URL (authorize, token) and, through the token response, the instance URL. */
  sandboxUrl: string;
  clientId: string;
  clientSecret: string;
  port: number;
  prefix: string;
  redisUrl: string;
}

/** What the connector knows of an org's daily API budget (connectors/salesforce/api-budget.ts). */
export interface BudgetStatus {
  own: number;
  usage?: { used: number; max: number; at: number };
  pausedMs: number;
  reason?: string;
}

const REPO_ROOT = path.resolve(__dirname, '../..');

const sampler = new MemorySampler();
let service: Service | undefined;
let startArgs: ServiceStartArgs | undefined;
const queueEvents: QueueEvents[] = [];
const jobs: JobRecord[] = [];

const ops: Record<string, (args: never) => Promise<unknown>> = {
  async start(args: ServiceStartArgs) {
    startArgs = args;
    const env = loadEnv({
      NODE_ENV: 'production',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      REDIS_URL: args.redisUrl,
      PORT: String(args.port),
      PUBLIC_URL: `http://127.0.0.1:${args.port}`,
      SALESFORCE_CLIENT_ID: args.clientId,
      SALESFORCE_CLIENT_SECRET: args.clientSecret,
      SALESFORCE_LOGIN_URL: args.sandboxUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const active: ActiveConfig = activate(await loadConfig(path.join(REPO_ROOT, 'config')));
    service = await buildService({ env, config: () => active, prefix: args.prefix });
    await service.start(['web', 'worker', 'scheduler']);
    for (const queue of ['poll', 'flush'] as const) {
      const qe = new QueueEvents(queue, { connection: new Redis(args.redisUrl, { maxRetriesPerRequest: null }), prefix: `${args.prefix}bull` });
      qe.on('completed', ({ jobId, returnvalue }) => jobs.push({ queue, id: jobId, at: Date.now(), result: returnvalue }));
      qe.on('failed', ({ jobId, failedReason }) => jobs.push({ queue, id: jobId, at: Date.now(), failed: failedReason }));
      await qe.waitUntilReady();
      queueEvents.push(qe);
    }
    return { pid: process.pid, publicUrl: env.PUBLIC_URL, model: active.model.id, pollIntervalMs: active.mappings.salesforce.polling.interval, maxShare: active.mappings.salesforce.apiBudget?.maxShare };
  },

  async memMark() {
    return sampler.mark();
  },

  async mem() {
    return sampler.stats();
  },

  /** Poll and flush jobs that completed or failed since the last call. */
  async jobs() {
    return jobs.splice(0, jobs.length);
  },

  /** The connector's view of an org's API budget: its own requests of the last 24 h, the usage Salesforce reported, any pause. */
  async budget(args: { orgId: string }): Promise<BudgetStatus> {
    if (!service) throw new Error('not started');
    const connector = service.connectors.find((c) => c.crm === 'salesforce') as SalesforceConnector | undefined;
    if (!connector) throw new Error('the service has no Salesforce connector');
    return connector.clients.budget.status(args.orgId);
  },

  /** Runs the tenant's next (incremental) poll of every object type now instead of at the poll interval. */
  async pollNow(args: { tenant: string }) {
    if (!service) throw new Error('not started');
    const s = service;
    const connector = s.connectors.find((c) => c.crm === 'salesforce')!;
    for (const objectType of connector.objectTypes()) await pollNow(s.deps.queues.poll, { tenant: args.tenant, objectType });
    return { at: Date.now() };
  },

  async stop() {
    await Promise.all(queueEvents.map((q) => q.close()));
    await service?.stop();
    service = undefined;
    sampler.stop();
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
