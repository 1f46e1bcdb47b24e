import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HubSpotConnectorOptions } from '../connectors/hubspot';
import { fmtInt } from './engine/measure';
import { CONNECTOR_DEFAULT_BUDGETS, floorFor, HUBSPOT_BUDGETS, pacingOf, TARGET_P95_MS, TARGET_RATIO, type Floor, type Pacing } from './hubspot/floor';
import { pickContacts, runChanges, sleep, summarize, type ChangeSample, type LatencySummary } from './hubspot/latency';
import { printReport } from './hubspot/report';
import { HUBSPOT_PUBLIC_APP_LIMITS, ROUTES, SandboxHost } from './hubspot/sandbox-host';
import { ServiceHandle } from './hubspot/service-handle';
import type { JobRecord, MemStats } from './hubspot/service-process';
import type { BenchOptions } from './types';

/**
 * The HubSpot benchmark: the real connector (buildService with the shipped config, all roles in one
 * process of its own) against the local HubSpot sandbox at HubSpot's public-app limits.
 *
 * 1. Latency: a 1,000-contact portal is backfilled, then single-contact changes are sent one by one
 *    as signed `contact.propertyChange` webhooks; webhook POST → batch update that writes the contact.
 * 2. Backfill at each size (default 10,000 and 100,000; `--leads N` for one size): a fresh service
 *    process; a 1,000-contact portal B is installed and backfilled first (not timed); then portal A
 *    with N contacts is installed and timed from the install (property set-up included) to the batch
 *    update that wrote its last contact. Meanwhile B gets a single-contact webhook every ~2 s
 *    (fairness). Reported: elapsed, the floor HubSpot's limits allow and the ratio, requests per 1,000
 *    contacts by route, 429s, budget utilisation, and the service process's peak RSS and heap.
 *
 * Seeding is not timed. Every run uses a unique Redis prefix and deletes its keys at the end.
 * Sizes: `--leads N` (one size) or BENCH_HUBSPOT_CONTACTS=10000,100000 (several).
 * Diagnostic knobs (not for the reported figures): BENCH_HUBSPOT_CONNECTOR='{"generalLimit":110}'
 * (connector options), BENCH_HUBSPOT_LABEL (results file suffix), BENCH_HUBSPOT_SCENARIOS=latency,backfill,
 * BENCH_HUBSPOT_CPU_PROF=1 (a .cpuprofile of each service process in bench/results), BENCH_LOG_LEVEL.
 */

export const DEFAULT_SIZES = [10_000, 100_000];
const SMALL_PORTAL = 1_000;
const IDLE_CHANGES = Number(process.env.BENCH_HUBSPOT_CHANGES ?? 60);
const FAIRNESS_SPACING_MS = 2_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BackfillResult {
  contacts: number;
  portalId: number;
  seedingSeconds: number;
  elapsedSeconds: number;
  complete: boolean;
  scoredInStore: number;
  floor: Floor;
  ratio: number;
  floorUnderConnectorMargins: Floor;
  floorAsConnectorPaces: Floor;
  requests: { total: number; per1000Contacts: number; byRoute: Record<string, number>; byRoutePer1000: Record<string, number> };
  rateLimited: { total: number; search: number; general: number };
  utilisation: { search: number; general: number };
  pacing: Pacing;
  memory: { rssBaselineMB: number; rssPeakMB: number; heapUsedBaselineMB: number; heapUsedPeakMB: number; heapTotalPeakMB: number; rssAfterMB: number; samples: number };
  /** CPU seconds the service process used during the backfill (user + system) and as a share of one core. */
  cpu: { seconds: number; shareOfOneCore: number };
  pollJobs: JobRecord[];
  fairness: { spacingMs: number; latency: LatencySummary; samples: ChangeSample[] };
}

export async function run(opts: BenchOptions): Promise<unknown> {
  const sizes = opts.leads ? [opts.leads] : process.env.BENCH_HUBSPOT_CONTACTS ? parseSizes(process.env.BENCH_HUBSPOT_CONTACTS) : DEFAULT_SIZES;
  const connectorOptions = readConnectorOptions();
  const label = process.env.BENCH_HUBSPOT_LABEL;
  const scenarios = new Set((process.env.BENCH_HUBSPOT_SCENARIOS ?? 'latency,backfill').split(',').map((s) => s.trim()));
  const runId = randomUUID().slice(0, 8);
  const logDir = opts.resultsDir;
  mkdirSync(logDir, { recursive: true });
  const app = { clientId: `bench-client-${runId}`, clientSecret: randomBytes(24).toString('hex'), appId: 880_001 };
  const loadAtStart = os.loadavg()[0]!;

  console.log(`sandbox at HubSpot's public-app limits: ${HUBSPOT_PUBLIC_APP_LIMITS.perTenSeconds} requests per ${HUBSPOT_PUBLIC_APP_LIMITS.windowMs / 1000} s, search ${HUBSPOT_PUBLIC_APP_LIMITS.searchPerSecond}/s on its own budget`);
  if (Object.keys(connectorOptions).length) console.log(`connector options (diagnostic variant): ${JSON.stringify(connectorOptions)}`);
  const host = await SandboxHost.start(app);
  const execArgv = process.env.BENCH_HUBSPOT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [];
  const startService = (scenario: string) =>
    ServiceHandle.start(
      { sandboxUrl: host.url, clientId: app.clientId, clientSecret: app.clientSecret, appId: app.appId, prefix: `bench:${runId}-${scenario}:`, redisUrl: REDIS_URL, connectorOptions },
      path.join(logDir, `hubspot-service-${scenario}.log`),
      execArgv,
    );

  let latency: { portalId: number; latency: LatencySummary; samples: ChangeSample[] } | undefined;
  const backfills: BackfillResult[] = [];
  try {
    if (scenarios.has('latency')) latency = await idleLatency(host, startService, opts.seed);
    if (scenarios.has('backfill')) {
      for (const [k, n] of sizes.entries()) backfills.push(await backfill(host, startService, n, k, opts.seed, logDir));
    }
  } finally {
    await host.close();
  }

  const result = {
    benchmark: 'hubspot',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    logicalCores: os.cpus().length,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0]! },
    seed: opts.seed,
    code: codeState(),
    sandboxLimits: HUBSPOT_PUBLIC_APP_LIMITS,
    connectorOptions,
    targets: { ratioToFloor: TARGET_RATIO, webhookP95Ms: TARGET_P95_MS },
    latency,
    backfills,
  };
  printReport(result);
  const out = path.join(opts.resultsDir, label ? `hubspot.${label}.json` : 'hubspot.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(process.cwd(), out) || out}; service logs in ${path.relative(process.cwd(), logDir)}/hubspot-service-*.log`);
  return result;
}

export type BenchResult = {
  date: string;
  node: string;
  cpu: string;
  logicalCores: number;
  loadAverage: { atStart: number; atEnd: number };
  connectorOptions: HubSpotConnectorOptions;
  latency?: { portalId: number; latency: LatencySummary };
  backfills: BackfillResult[];
};

type StartService = (scenario: string) => Promise<ServiceHandle>;

async function install(host: SandboxHost, svc: ServiceHandle, portalId: number) {
  const t = host.sb.issueToken(portalId);
  return svc.install(portalId, { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 });
}

function seed(host: SandboxHost, portalId: number, count: number, seedText: string): number {
  const t = Date.now();
  const portal = host.sb.createPortal(portalId);
  portal.seedContacts(count, { seed: seedText });
  host.watchWrites(portalId);
  return (Date.now() - t) / 1000;
}

async function waitWritten(host: SandboxHost, portalId: number, count: number, timeoutMs: number, progress?: (written: number) => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastPrint = Date.now();
  for (;;) {
    const written = host.writtenCount(portalId);
    if (written >= count) return true;
    if (Date.now() > deadline) return false;
    if (progress && Date.now() - lastPrint >= 15_000) {
      lastPrint = Date.now();
      progress(written);
    }
    await sleep(100);
  }
}

async function idleLatency(host: SandboxHost, startService: StartService, seedNo: number) {
  const portalId = 61_001;
  console.log(`\nlatency: seeding portal ${portalId} with ${fmtInt(SMALL_PORTAL)} contacts, backfilling it, then ${IDLE_CHANGES} single-contact changes (webhook -> write-back) ...`);
  seed(host, portalId, SMALL_PORTAL, `bench-${seedNo}-latency`);
  const svc = await startService('latency');
  try {
    await install(host, svc, portalId);
    if (!(await waitWritten(host, portalId, SMALL_PORTAL, 120_000))) throw new Error(`the ${SMALL_PORTAL}-contact portal was not backfilled within 120 s`);
    await sleep(2_000);
    const samples = await runChanges({
      host,
      portalId,
      webhookUrl: `${svc.publicUrl}/webhooks/hubspot`,
      contactIds: pickContacts(host, portalId, IDLE_CHANGES),
      spacingMs: () => 700 + Math.random() * 800,
    });
    const summary = summarize(samples);
    console.log(`  ${summary.written}/${summary.changes} written; p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, max ${summary.maxMs} ms`);
    return { portalId, latency: summary, samples };
  } finally {
    await svc.stop();
  }
}

async function backfill(host: SandboxHost, startService: StartService, n: number, k: number, seedNo: number, timelineDir: string): Promise<BackfillResult> {
  const portalA = 70_001 + k;
  const portalB = 62_001 + k;
  console.log(`\nbackfill ${fmtInt(n)}: seeding portal A ${portalA} with ${fmtInt(n)} contacts and portal B ${portalB} with ${fmtInt(SMALL_PORTAL)} (not timed) ...`);
  const seedingSeconds = seed(host, portalA, n, `bench-${seedNo}-a-${n}`);
  seed(host, portalB, SMALL_PORTAL, `bench-${seedNo}-b-${n}`);
  console.log(`  seeded in ${seedingSeconds.toFixed(1)} s; starting a fresh service process; backfilling B first (not timed) ...`);
  const svc = await startService(`backfill-${n}`);
  try {
    await install(host, svc, portalB);
    if (!(await waitWritten(host, portalB, SMALL_PORTAL, 120_000))) throw new Error(`portal B (${SMALL_PORTAL} contacts) was not backfilled within 120 s`);
    await sleep(2_000);
    await svc.jobs();
    const memAtMark = await svc.memMark();

    const asCoded = floorFor(n, 8, CONNECTOR_DEFAULT_BUDGETS, true);
    const timeoutMs = Math.max(90_000, 2.5 * asCoded.seconds * 1000) + 60_000;
    console.log(`  installing A and timing its backfill (expect ~${Math.round(floorFor(n, 8, HUBSPOT_BUDGETS).seconds)}-${Math.round(asCoded.seconds)} s; B gets a webhook every ~${FAIRNESS_SPACING_MS / 1000} s meanwhile) ...`);
    const startedAt = Date.now();
    let done = false;
    const fairnessRun = runChanges({
      host,
      portalId: portalB,
      webhookUrl: `${svc.publicUrl}/webhooks/hubspot`,
      contactIds: pickContacts(host, portalB, SMALL_PORTAL),
      spacingMs: () => FAIRNESS_SPACING_MS * (0.75 + Math.random() * 0.5),
      stop: () => done,
    });
    await install(host, svc, portalA);
    const complete = await waitWritten(host, portalA, n, timeoutMs, (written) => {
      const st = host.sb.stats.byPortal[String(portalA)];
      console.log(`  ... ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${fmtInt(written)}/${fmtInt(n)} written; ${st?.searchRequests ?? 0} searches, ${(st?.requests ?? 0) - (st?.searchRequests ?? 0)} other requests, ${st?.rateLimited ?? 0} 429s`);
    });
    const endedAt = complete ? host.lastFirstWrite(portalA) : Date.now();
    done = true;
    const fairSamples = await fairnessRun;
    const mem: MemStats = await svc.mem();
    const pollJobs = (await svc.jobs()).filter((j) => j.queue === 'poll');
    const elapsedSeconds = (endedAt - startedAt) / 1000;

    const store = host.sb.portal(portalA)!;
    let scoredInStore = 0;
    for (const c of store.contacts.values()) if (c.get('lead_score') !== undefined) scoredInStore++;

    const entries = host.entries(portalA, startedAt, endedAt);
    writeTimeline(path.join(timelineDir, `hubspot-timeline-${n}.csv`), host, [portalA, portalB], startedAt, endedAt + 5_000);
    const pacing = pacingOf(entries, elapsedSeconds);
    const otherGeneral = entries.filter((e) => e.route !== ROUTES.search && e.route !== ROUTES.batchUpdate && e.status !== 429).length;
    const floor = floorFor(n, otherGeneral, HUBSPOT_BUDGETS);
    const st = host.sb.stats.byPortal[String(portalA)]!;
    const total = entries.length;
    const per1000 = (x: number) => (1000 * x) / n;
    const MB = 1024 * 1024;
    const fairness = summarize(fairSamples);
    const result: BackfillResult = {
      contacts: n,
      portalId: portalA,
      seedingSeconds,
      elapsedSeconds,
      complete,
      scoredInStore,
      floor,
      ratio: elapsedSeconds / floor.seconds,
      floorUnderConnectorMargins: floorFor(n, otherGeneral, CONNECTOR_DEFAULT_BUDGETS),
      floorAsConnectorPaces: floorFor(n, otherGeneral, CONNECTOR_DEFAULT_BUDGETS, true),
      requests: {
        total,
        per1000Contacts: per1000(total),
        byRoute: pacing.byRoute,
        byRoutePer1000: Object.fromEntries(Object.entries(pacing.byRoute).map(([r, c]) => [r, per1000(c)])),
      },
      rateLimited: { total: st.rateLimited, search: st.searchRateLimited, general: st.rateLimited - st.searchRateLimited },
      utilisation: {
        search: pacing.search.requests / (elapsedSeconds * HUBSPOT_BUDGETS.searchPerSecond),
        general: pacing.general.requests / (elapsedSeconds * HUBSPOT_BUDGETS.generalPerSecond),
      },
      pacing,
      memory: {
        rssBaselineMB: memAtMark.rssAtMark / MB,
        rssPeakMB: mem.rssPeak / MB,
        heapUsedBaselineMB: memAtMark.heapUsedAtMark / MB,
        heapUsedPeakMB: mem.heapUsedPeak / MB,
        heapTotalPeakMB: mem.heapTotalPeak / MB,
        rssAfterMB: mem.rssNow / MB,
        samples: mem.samples,
      },
      cpu: { seconds: (mem.cpuUserMs + mem.cpuSystemMs) / 1000, shareOfOneCore: (mem.cpuUserMs + mem.cpuSystemMs) / 1000 / ((Date.now() - startedAt) / 1000) },
      pollJobs,
      fairness: { spacingMs: FAIRNESS_SPACING_MS, latency: fairness, samples: fairSamples },
    };
    console.log(
      `  ${complete ? 'done' : 'INCOMPLETE'}: ${fmtInt(scoredInStore)}/${fmtInt(n)} scored in ${elapsedSeconds.toFixed(1)} s (floor ${floor.seconds.toFixed(1)} s, ${result.ratio.toFixed(2)}x); ` +
        `peak RSS ${result.memory.rssPeakMB.toFixed(0)} MB; B during it: p50 ${fairness.p50Ms} ms, p95 ${fairness.p95Ms} ms (${fairness.written}/${fairness.changes})`,
    );
    return result;
  } finally {
    await svc.stop();
  }
}

/** Every request of the portals in the window, one line each (ms since the start, portal, route, status, records): for looking at the pacing. */
function writeTimeline(file: string, host: SandboxHost, portals: number[], from: number, to: number): void {
  const lines = ['ms,portal,route,status,records'];
  for (const e of host.timeline) {
    if (e.at < from || e.at > to || e.portal === undefined || !portals.includes(e.portal)) continue;
    lines.push(`${e.at - from},${e.portal},${e.route},${e.status},${e.records}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** The commit measured, and how many files differed from it (others work in the same tree). */
function codeState(): { commit: string | null; changedFiles: number | null } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: path.resolve(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), changedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return { commit: null, changedFiles: null };
  }
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_HUBSPOT_CONTACTS must be a comma list of positive whole numbers, got ${JSON.stringify(text)}`);
  return sizes;
}

function readConnectorOptions(): HubSpotConnectorOptions {
  const raw = process.env.BENCH_HUBSPOT_CONNECTOR;
  if (!raw) return {};
  const parsed = JSON.parse(raw) as HubSpotConnectorOptions;
  if (typeof parsed !== 'object' || parsed === null) throw new Error('BENCH_HUBSPOT_CONNECTOR must be a JSON object of HubSpot connector options');
  return parsed;
}
