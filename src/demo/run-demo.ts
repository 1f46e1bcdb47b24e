import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import YAML from 'yaml';
import { loadEnv } from '../env';
import { ROLES } from '../runtime/build-service';
import { startConnector, type RunningConnector, type RuntimeLogger } from '../runtime/run-connector';
import { DEMO_CRMS, type DemoChange, type DemoCrm, type DemoLead, type DemoOwners, type DemoSlaTask } from './crms';
import { renderChanges, renderRouting, renderSummary, summarize, type CrmSummary } from './summary';

/** The shipped config, whatever the working directory. */
export const SHIPPED_CONFIG_DIR = path.resolve(__dirname, '../../config');

export interface DemoOptions {
  /** Where the demo tells its story. */
  out: { write(text: string): unknown };
  /** The environment to take REDIS_URL, CONFIG_DIR, PORT, ADMIN_TOKEN and LOG_LEVEL from; everything else is the demo's. */
  env: Readonly<Record<string, string | undefined>>;
  /** Which CRMs to run (default: every one of `DEMO_CRMS`). */
  crms?: string[];
  /** Leads seeded per CRM (default 300). */
  records?: number;
  /** Seed of the sample data (default `demo`: the same leads every run). */
  seed?: string;
  /** Keep the connector and the sandboxes up after the summary, until `signal` aborts (or `untilStopped` resolves). */
  keepRunning?: boolean;
  untilStopped?: () => Promise<unknown>;
  /** Aborts the demo (Ctrl+C): it stops waiting, and still cleans up. */
  signal?: AbortSignal;
  /** How long the backfill may take before the demo gives up (default 100 s). */
  backfillTimeoutMs?: number;
  /** How long the demo waits for every hot lead's SLA task (default 20 s). */
  routingTimeoutMs?: number;
  /** The connector's logger (default: the root logger's `runtime` child). */
  logger?: RuntimeLogger;
}

export interface DemoReport {
  prefix: string;
  crms: { crm: string; tenant: string; summary: CrmSummary; changes: { change: DemoChange; after: DemoLead | undefined }[]; slaTasks: DemoSlaTask[] }[];
}

/**
 * The demo: each CRM's local sandbox, seeded with sample leads; the connector in this process (all
 * roles) pointed at them, on its own Redis prefix; the install through the CRM's real OAuth flow; the
 * backfill; a few live changes that reach the connector as signed webhooks; and a summary of what
 * the CRM now shows. Everything it created, in Redis too, is removed at the end.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoReport> {
  const out = (text = '') => opts.out.write(`${text}\n`);
  const names = opts.crms ?? Object.keys(DEMO_CRMS);
  for (const n of names) if (!Object.hasOwn(DEMO_CRMS, n)) throw new Error(`the demo has no CRM "${n}" (it has ${Object.keys(DEMO_CRMS).join(', ')})`);
  const crms: DemoCrm[] = names.map((n) => DEMO_CRMS[n]!());
  const records = opts.records ?? 300;
  const prefix = `demo:${randomBytes(4).toString('hex')}:`;
  const redisUrl = opts.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let connector: RunningConnector | undefined;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const report: DemoReport = { prefix, crms: [] };
  let configDir: string | undefined;

  try {
    const crmEnv: Record<string, string> = {};
    for (const crm of crms) {
      const sandbox = await crm.start({ records, seed: opts.seed ?? 'demo' });
      Object.assign(crmEnv, sandbox.env);
      out(`● ${crm.label} sandbox started at ${sandbox.url}, seeded with ${records} ${crm.records}`);
    }
    configDir = await mkdtemp(path.join(tmpdir(), 'lead-scorer-demo-'));
    const owners = crms.map((c) => c.owners());
    await writeDemoConfig(opts.env.CONFIG_DIR ?? SHIPPED_CONFIG_DIR, configDir, owners);
    out(`● Routing on: the demo's config (${configDir}) routes hot leads to the sandboxes' ${owners.reduce((n, o) => n + o.owners.length, 0)} owners, SLA hot 2h, warm 1d`);

    const port = opts.env.PORT && opts.keepRunning ? Number(opts.env.PORT) : await freePort();
    const publicUrl = `http://localhost:${port}`;
    const adminToken = opts.env.ADMIN_TOKEN ?? randomBytes(12).toString('base64url');
    const env = loadEnv(
      defined({
        NODE_ENV: 'development',
        REDIS_URL: redisUrl,
        CONFIG_DIR: configDir,
        LOG_LEVEL: opts.env.LOG_LEVEL,
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        ADMIN_TOKEN: adminToken,
        // the demo's tokens are encrypted at rest like in production, with a key that lives as long as the demo
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        ...crmEnv,
      }),
    );
    connector = await startConnector({ env, roles: [...ROLES], prefix, watchConfig: false, ...(opts.logger ? { logger: opts.logger } : {}) });
    out(`● Connector started at ${publicUrl} (web, worker and scheduler in this process; Redis keys under "${prefix}"; model ${connector.config().model.id})`);
    for (const crm of crms) crm.connectorStarted(publicUrl);

    for (const crm of crms) {
      out('');
      out(`● Installing into ${crm.label} through its OAuth flow`);
      const { tenant, steps } = await crm.install(publicUrl);
      for (const s of steps) out(`    ${s}`);

      out(`● Backfill: the first full sync reads every ${crm.records.replace(/s$/, '')}, scores it and writes the score back`);
      let lastShown = -1;
      await waitFor(
        () => {
          const leads = crm.leads();
          const scored = leads.filter((l) => l.score !== undefined).length;
          if (scored !== lastShown && (scored === leads.length || scored - lastShown >= Math.max(1, Math.round(leads.length / 4)))) {
            out(`    ${scored} of ${leads.length} scored (${elapsed()})`);
            lastShown = scored;
          }
          return scored === leads.length;
        },
        opts.backfillTimeoutMs ?? 100_000,
        opts.signal,
        () => {
          const leads = crm.leads();
          return `the backfill did not finish in time: ${leads.filter((l) => l.score !== undefined).length} of ${leads.length} ${crm.records} scored`;
        },
      );

      out(`● Live changes in ${crm.label}`);
      const changes = await crm.makeChanges();
      for (const c of changes) out(`    ${c.before.name}: ${c.what}`);
      const byId = () => new Map(crm.leads().map((l) => [l.id, l]));
      await waitFor(
        () => {
          const now = byId();
          return changes.every((c) => moved(c.before, now.get(c.leadId)));
        },
        30_000,
        opts.signal,
        () => 'the changed leads were not re-scored within 30 s',
      );
      const now = byId();
      const changed = changes.map((change) => ({ change, after: now.get(change.leadId) }));
      const summary = summarize(crm.leads());
      // routing works after scoring: wait (briefly) until every hot lead has its SLA task
      await waitFor(() => crm.slaTasks().length >= summary.tiers.hot, opts.routingTimeoutMs ?? 20_000, opts.signal, () => '').catch((e: unknown) => {
        if (opts.signal?.aborted) throw e;
      });
      const slaTasks = crm.slaTasks();
      report.crms.push({ crm: crm.crm, tenant, summary, changes: changed, slaTasks });
      out('');
      out(renderChanges(crm.label, changed));
      out(renderSummary(crm.label, crm.records, summary));
      out(renderRouting(crm.label, summary.tiers.hot, slaTasks));
    }
    out(`Done in ${elapsed()}.`);

    if (opts.keepRunning) {
      out('');
      out(`The connector keeps running at ${publicUrl}/ :`);
      out(`  admin page   ${publicUrl}/   (your browser asks for a password: any user name, password ${adminToken})`);
      out(`  admin API    curl -H "Authorization: Bearer ${adminToken}" ${publicUrl}/admin/api/status`);
      out(`  metrics      ${publicUrl}/metrics`);
      out('Press Ctrl+C to stop; the sandboxes and the demo’s Redis keys are removed then.');
      await (opts.untilStopped?.() ?? aborted(opts.signal));
    }
    return report;
  } finally {
    await connector?.stop();
    await Promise.all(crms.map((c) => c.close()));
    await deleteKeys(redisUrl, prefix);
    if (configDir) await rm(configDir, { recursive: true, force: true });
  }
}

/**
 * The demo's config: a copy of `from` whose routing.yaml is switched on, with one pool made of the
 * sandboxes' real owners (a tenant's routing skips the other CRM's owners, unknown to it), SLA tasks
 * due 2 h after assignment for hot leads and 1 day for warm ones.
 */
export async function writeDemoConfig(from: string, to: string, crms: readonly DemoOwners[]): Promise<void> {
  await cp(from, to, { recursive: true });
  const owners = crms.flatMap((c) => c.owners);
  const routing = {
    enabled: true,
    eligible: { tier: 'hot' },
    overwriteHumanOwner: false,
    placeholderOwners: crms.flatMap((c) => c.placeholders),
    accountMatching: { enabled: false },
    sla: [
      { tier: 'hot', due: '2h' },
      { tier: 'warm', due: '1d' },
    ],
    recycle: { after: '2d', maxTimes: 2 },
    capacity: { maxActiveLeadsPerOwner: 1000 },
    rules: [{ id: 'everyone', pool: 'demo' }],
    pools: { demo: owners.map((o) => ({ owner: o.id, weight: 1 })) },
  };
  const header = '# Written by `npm run demo`: routing on, pools made of the sandboxes\' owners.\n';
  await writeFile(path.join(to, 'routing.yaml'), header + YAML.stringify(routing), 'utf8');
}

/** The score, tier or reasons changed. */
function moved(before: DemoLead, after: DemoLead | undefined): boolean {
  if (!after) return true;
  return after.score !== before.score || after.tier !== before.tier || after.reasons.join('\n') !== before.reasons.join('\n');
}

async function waitFor(done: () => boolean, timeoutMs: number, signal: AbortSignal | undefined, why: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (signal?.aborted) throw new Error('stopped');
    if (Date.now() > end) throw new Error(why());
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves when the signal aborts (never without one). */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Removes every key under the demo's prefix. */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis is gone: nothing to clean that anyone could see
  } finally {
    redis.disconnect();
  }
}

function defined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
