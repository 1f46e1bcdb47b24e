import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/load-config';
import { activate } from '../src/runtime/active-config';
import { makeOrgId, startSalesforceSandbox, type OrgStats, type SalesforceOrg, type SalesforceSandbox } from '../sandbox/salesforce';
import { fmtInt } from './engine/measure';
import type { JobRecord } from './hubspot/service-process';
import { eventCost, floorFor, type EventCost, type Floor } from './salesforce/floor';
import type { MemStats } from './salesforce/memory-sampler';
import { printReport } from './salesforce/report';
import { ServiceHandle } from './salesforce/service-handle';
import type { BudgetStatus } from './salesforce/service-process';
import type { BenchOptions } from './types';

/**
 * The Salesforce benchmark: the real service (buildService with the shipped config and connector
 * factories, all roles in one process of its own) against the local Salesforce sandbox, which the
 * real jsforce talks to over HTTP.
 *
 * For each size (default 10,000 and 100,000 Leads; `--leads N` for one): a fresh org is seeded with
 * N Leads and their activity (campaign responses, tasks, events; not timed) and a fresh service
 * process started; a 1,000-lead org is installed and backfilled first (warm-up, not timed); then
 * the big org is installed through the real OAuth flow (GET /install/salesforce, the user's
 * approval, the callback: fields, FLS, first full sync) and timed from the install link to the
 * moment every Lead holds a score. Reported: elapsed, Salesforce calls per 1,000 leads by route next
 * to the floor (one query page per 2,000 and one composite write per 200: 5.5 per 1,000) with and
 * without the event queries the mapping needs, the calls of the whole first pass (which goes on
 * after the last write: see the report), the daily API budget (an Enterprise org's 100,000 a day;
 * the connector's share is 50 %), the service process's peak RSS (sampled every 250 ms) against its
 * baseline after the warm-up, and what the next two polls (due 5 and 10 minutes later; run at once
 * here) cost although nothing changed in the org.
 *
 * The sandbox runs in this process with `requestLogLimit: 0` (counts only, no request log). Every run
 * uses a unique Redis prefix and deletes its keys at the end. Sizes: `--leads N` or
 * BENCH_SALESFORCE_LEADS=10000,100000. BENCH_SALESFORCE_ACTIVITY=0 seeds no activity;
 * BENCH_SALESFORCE_DAILY_LIMIT changes the org's allocation; BENCH_LOG_LEVEL the service's log level.
 */

export const DEFAULT_SIZES = [10_000, 100_000];
const WARM_UP_LEADS = 1_000;
/** An Enterprise org's base daily allocation (100,000, plus 1,000 per licence). */
const DAILY_API_LIMIT = Number(process.env.BENCH_SALESFORCE_DAILY_LIMIT ?? 100_000);
const WITH_ACTIVITY = process.env.BENCH_SALESFORCE_ACTIVITY !== '0';
/** The first full pass has ended when the org got no request for this long. */
const QUIET_MS = 3_000;
/** Incremental polls run after the backfill, with nothing changed in the org. */
const IDLE_PASSES = 2;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface CallCounts {
  /** REST calls counted against the org's allocation. */
  total: number;
  per1000Leads: number;
  byRoute: Record<string, number>;
  byRoutePer1000: Record<string, number>;
}

export interface BackfillResult {
  leads: number;
  orgId: string;
  seeding: { seconds: number; campaignMembers: number; tasks: number; events: number };
  /** Install link → every Lead scored. */
  elapsedSeconds: number;
  /** Install link → the callback answered (token exchange, fields, FLS, describes). */
  installSeconds: number;
  /** Install link → the org got no more requests (the first full pass ended). */
  passSeconds: number;
  complete: boolean;
  scored: { score: number; tier: number; reasons: number; tiers: Record<string, number> };
  floor: Floor;
  eventCost: EventCost;
  /** Calls of the install (token exchange excluded: it does not count), up to the callback's answer. */
  setup: CallCounts;
  /** Calls from the callback's answer to the last Lead scored. */
  toLastScore: CallCounts;
  /** Calls from the callback's answer to the end of the first full pass. */
  wholePass: CallCounts;
  /** Poll pages the jobs reported, records they read (a record read twice counts twice) and wrote. */
  poll: { jobs: number; pages: number; recordsRead: number; written: number; readsPerLead: number; skipped: string[] };
  /**
   * The first incremental passes after the backfill (due one poll interval apart; run at once here):
   * what each costs although nothing changed in the org since the backfill.
   */
  nextPasses: { seconds: number; calls: CallCounts; pages: number; recordsRead: number; written: number }[];
  ratioToFloor: { withoutEvents: number; withEvents: number; wholePassWithEvents: number };
  /** At the end of the first full pass (before the idle polls). */
  budget: { dailyLimit: number; share: number; ownRequests: number; ownShareOfLimit: number; orgUsage: { used: number; max: number } | undefined; paused: boolean; pausedMs: number; reason?: string; limitExceeded: number; sessionInvalid: number };
  memory: { rssBaselineMB: number; rssPeakMB: number; heapUsedBaselineMB: number; heapUsedPeakMB: number; heapTotalPeakMB: number; rssAfterMB: number; samples: number };
  cpu: { seconds: number; shareOfOneCore: number };
  pollJobs: JobRecord[];
}

export interface BenchResult {
  benchmark: 'salesforce';
  date: string;
  node: string;
  cpu: string;
  logicalCores: number;
  loadAverage: { atStart: number; atEnd: number };
  seed: number;
  code: { commit: string | null; changedFiles: number | null };
  sandbox: { requestLogLimit: 0; dailyApiLimit: number; activity: boolean };
  service: { model: string; pollIntervalMs: number; maxShare?: number };
  backfills: BackfillResult[];
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const sizes = opts.leads ? [opts.leads] : process.env.BENCH_SALESFORCE_LEADS ? parseSizes(process.env.BENCH_SALESFORCE_LEADS) : DEFAULT_SIZES;
  const runId = randomUUID().slice(0, 8);
  const logDir = opts.resultsDir;
  mkdirSync(logDir, { recursive: true });
  const app = { clientId: `bench-consumer-key-${runId}`, clientSecret: randomBytes(24).toString('hex') };
  const loadAtStart = os.loadavg()[0]!;
  const config = activate(await loadConfig(path.resolve(__dirname, '..', 'config')));

  console.log(`sandbox: requestLogLimit 0, daily API allocation ${fmtInt(DAILY_API_LIMIT)} per org, assignment rule active; leads ${WITH_ACTIVITY ? 'with' : 'without'} activity`);
  const sb = await startSalesforceSandbox({ ...app, requestLogLimit: 0, dailyApiLimit: DAILY_API_LIMIT });
  const backfills: BackfillResult[] = [];
  let serviceInfo: BenchResult['service'] = { model: config.model.id, pollIntervalMs: config.mappings.salesforce.polling.interval, maxShare: config.mappings.salesforce.apiBudget?.maxShare };
  try {
    for (const [k, n] of sizes.entries()) {
      const r = await backfill(sb, app, n, k, opts.seed, runId, logDir, config);
      backfills.push(r.result);
      serviceInfo = r.service;
    }
  } finally {
    await sb.close();
  }

  const result: BenchResult = {
    benchmark: 'salesforce',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    logicalCores: os.cpus().length,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0]! },
    seed: opts.seed,
    code: codeState(),
    sandbox: { requestLogLimit: 0, dailyApiLimit: DAILY_API_LIMIT, activity: WITH_ACTIVITY },
    service: serviceInfo,
    backfills,
  };
  printReport(result);
  const out = path.join(opts.resultsDir, 'salesforce.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(process.cwd(), out) || out}; service logs in ${path.relative(process.cwd(), logDir)}/salesforce-service-*.log`);
  return result;
}

/** Seeds an org with `n` Leads and, unless switched off, their campaign responses, tasks and events. */
function seedOrg(sb: SalesforceSandbox, orgNo: number, n: number, seedText: string): { org: SalesforceOrg; leadIds: string[]; seeding: BackfillResult['seeding'] } {
  const t = Date.now();
  const org = sb.createOrg(makeOrgId(orgNo));
  const leadIds = org.seedLeads(n, { seed: `${seedText}-leads` });
  let campaignMembers = 0;
  let tasks = 0;
  let events = 0;
  if (WITH_ACTIVITY) {
    // one campaign per 1,000 leads (at least 6): the sandbox checks duplicate memberships by scanning a campaign's members
    org.seedCampaigns(Math.max(6, Math.ceil(n / 1000)), { seed: `${seedText}-campaigns` });
    campaignMembers = org.seedCampaignMembers({ seed: `${seedText}-members`, leadIds }).length;
    tasks = org.seedTasks({ seed: `${seedText}-tasks`, whoIds: leadIds }).length;
    events = org.seedEvents({ seed: `${seedText}-events`, whoIds: leadIds }).length;
  }
  return { org, leadIds, seeding: { seconds: (Date.now() - t) / 1000, campaignMembers, tasks, events } };
}

/** The install a Salesforce admin does: the install link, "Allow" as the integration user, the callback. */
async function install(sb: SalesforceSandbox, svc: ServiceHandle, org: SalesforceOrg): Promise<void> {
  const userId = org.addUser({ FirstName: 'Lead Scoring', LastName: 'Integration' });
  const start = await fetch(`${svc.publicUrl}/install/salesforce`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`GET /install/salesforce answered ${start.status}`);
  const landing = sb.approveInstall(org.id, { authorizeUrl: start.headers.get('location')!, userId });
  const done = await fetch(landing);
  if (done.status !== 200) throw new Error(`the OAuth callback answered ${done.status}: ${(await done.text()).slice(0, 300)}`);
}

/** Which Leads still have no score; `remaining()` checks only those left (cheap to call often). */
class ScoreWatcher {
  private left: string[];
  constructor(
    private readonly org: SalesforceOrg,
    ids: readonly string[],
  ) {
    this.left = [...ids];
  }
  remaining(): number {
    const table = this.org.table('Lead');
    this.left = this.left.filter((id) => {
      const v = table.get(id)?.Lead_Score__c;
      return v === null || v === undefined;
    });
    return this.left.length;
  }
}

async function backfill(
  sb: SalesforceSandbox,
  app: { clientId: string; clientSecret: string },
  n: number,
  k: number,
  seedNo: number,
  runId: string,
  logDir: string,
  config: Parameters<typeof floorFor>[0],
): Promise<{ result: BackfillResult; service: BenchResult['service'] }> {
  console.log(`\nbackfill ${fmtInt(n)}: seeding an org with ${fmtInt(n)} leads${WITH_ACTIVITY ? ' and their activity' : ''}, and a ${fmtInt(WARM_UP_LEADS)}-lead warm-up org (not timed) ...`);
  const { org, leadIds, seeding } = seedOrg(sb, 900 + 2 * k, n, `bench-${seedNo}-${n}`);
  const warm = seedOrg(sb, 901 + 2 * k, WARM_UP_LEADS, `bench-${seedNo}-warm-${n}`);
  console.log(`  seeded in ${seeding.seconds.toFixed(1)} s (${fmtInt(seeding.campaignMembers)} campaign members, ${fmtInt(seeding.tasks)} tasks, ${fmtInt(seeding.events)} events); starting a fresh service process ...`);
  const svc = await ServiceHandle.start(
    { sandboxUrl: sb.url, clientId: app.clientId, clientSecret: app.clientSecret, prefix: `bench:${runId}-sf-${n}:`, redisUrl: REDIS_URL },
    path.join(logDir, `salesforce-service-backfill-${n}.log`),
  );
  try {
    // warm-up: an install and backfill of a small org, so that the timed run is not the first
    await install(sb, svc, warm.org);
    const warmWatch = new ScoreWatcher(warm.org, warm.leadIds);
    await waitFor(() => warmWatch.remaining() === 0, 120_000, 'the warm-up org to be backfilled');
    await waitQuiet(sb, warm.org.id, QUIET_MS, 60_000);
    await svc.jobs();
    const memAtMark = await svc.memMark();

    const floor = floorFor(config, n);
    const cost = eventCost(config, 'Lead');
    console.log(`  installing the org and timing its backfill (floor ${floor.per1000.toFixed(1)} calls per 1,000 leads, ${floor.per1000WithEvents.toFixed(1)} with the mapping's event queries) ...`);
    const watch = new ScoreWatcher(org, leadIds);
    const startedAt = Date.now();
    await install(sb, svc, org);
    const installedAt = Date.now();
    const atInstall = orgStats(sb, org.id);
    let lastPrint = Date.now();
    const complete = await waitFor(
      () => {
        const left = watch.remaining();
        if (Date.now() - lastPrint >= 15_000) {
          lastPrint = Date.now();
          const st = orgStats(sb, org.id);
          console.log(`  ... ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${fmtInt(n - left)}/${fmtInt(n)} scored; ${fmtInt(st.apiCalls)} calls`);
        }
        return left === 0;
      },
      Math.max(120_000, n * 4),
      `every lead of ${org.id} to be scored`,
      100,
    ).then(
      () => true,
      () => false,
    );
    const scoredAt = Date.now();
    const atLastScore = orgStats(sb, org.id);
    const passEndedAt = await waitQuiet(sb, org.id, QUIET_MS, Math.max(120_000, n * 4));
    const atPassEnd = orgStats(sb, org.id);
    const mem: MemStats = await svc.mem();
    const memAt = Date.now();
    const pollJobs = (await svc.jobs()).filter((j) => j.queue === 'poll');
    const budget: BudgetStatus = await svc.budget(org.id);

    // the next two polls: nothing changed in the org since the backfill
    const nextPasses: BackfillResult['nextPasses'] = [];
    let before = orgStats(sb, org.id);
    for (let i = 0; i < IDLE_PASSES; i++) {
      const nextStartedAt = Date.now();
      await svc.pollNow(`salesforce:${org.id}`);
      const nextEndedAt = await waitQuiet(sb, org.id, QUIET_MS, Math.max(120_000, n * 4));
      const after = orgStats(sb, org.id);
      const pass = { seconds: (nextEndedAt - nextStartedAt) / 1000, calls: counts(diffStats(after, before), n), pages: 0, recordsRead: 0, written: 0 };
      for (const j of (await svc.jobs()).filter((x) => x.queue === 'poll')) {
        const r = j.result as { pages?: number; records?: number; written?: number } | undefined;
        pass.pages += r?.pages ?? 0;
        pass.recordsRead += r?.records ?? 0;
        pass.written += r?.written ?? 0;
      }
      nextPasses.push(pass);
      before = after;
    }

    const scored = { score: 0, tier: 0, reasons: 0, tiers: {} as Record<string, number> };
    for (const row of org.table('Lead').values()) {
      if (row.Lead_Score__c !== null && row.Lead_Score__c !== undefined) scored.score++;
      if (typeof row.Lead_Score_Tier__c === 'string') {
        scored.tier++;
        scored.tiers[row.Lead_Score_Tier__c] = (scored.tiers[row.Lead_Score_Tier__c] ?? 0) + 1;
      }
      if (typeof row.Lead_Score_Reasons__c === 'string' && row.Lead_Score_Reasons__c !== '') scored.reasons++;
    }

    const setup = counts(diffStats(atInstall, undefined), n);
    const toLastScore = counts(diffStats(atLastScore, atInstall), n);
    const wholePass = counts(diffStats(atPassEnd, atInstall), n);
    const poll = pollJobs.reduce(
      (acc, j) => {
        const r = j.result as { pages?: number; records?: number; written?: number; skipped?: string } | undefined;
        acc.jobs++;
        acc.pages += r?.pages ?? 0;
        acc.recordsRead += r?.records ?? 0;
        acc.written += r?.written ?? 0;
        if (r?.skipped) acc.skipped.push(r.skipped);
        if (j.failed) acc.skipped.push(`failed: ${j.failed.slice(0, 80)}`);
        return acc;
      },
      { jobs: 0, pages: 0, recordsRead: 0, written: 0, readsPerLead: 0, skipped: [] as string[] },
    );
    poll.readsPerLead = poll.recordsRead / n;
    const share = Math.floor(DAILY_API_LIMIT * (svc.info.maxShare ?? 0.5));
    const MB = 1024 * 1024;
    const elapsedSeconds = (scoredAt - startedAt) / 1000;
    const result: BackfillResult = {
      leads: n,
      orgId: org.id,
      seeding,
      elapsedSeconds,
      installSeconds: (installedAt - startedAt) / 1000,
      passSeconds: (passEndedAt - startedAt) / 1000,
      complete,
      scored,
      floor,
      eventCost: cost,
      setup,
      toLastScore,
      wholePass,
      poll,
      nextPasses,
      ratioToFloor: {
        withoutEvents: toLastScore.per1000Leads / floor.per1000,
        withEvents: toLastScore.per1000Leads / floor.per1000WithEvents,
        wholePassWithEvents: wholePass.per1000Leads / floor.per1000WithEvents,
      },
      budget: {
        dailyLimit: DAILY_API_LIMIT,
        share,
        ownRequests: budget.own,
        ownShareOfLimit: budget.own / DAILY_API_LIMIT,
        orgUsage: atPassEnd.apiUsage,
        paused: budget.pausedMs > 0 || poll.skipped.some((s) => s === 'BUDGET_EXHAUSTED'),
        pausedMs: budget.pausedMs,
        ...(budget.reason ? { reason: budget.reason } : {}),
        limitExceeded: atPassEnd.limitExceeded,
        sessionInvalid: atPassEnd.sessionInvalid,
      },
      memory: {
        rssBaselineMB: memAtMark.rssAtMark / MB,
        rssPeakMB: mem.rssPeak / MB,
        heapUsedBaselineMB: memAtMark.heapUsedAtMark / MB,
        heapUsedPeakMB: mem.heapUsedPeak / MB,
        heapTotalPeakMB: mem.heapTotalPeak / MB,
        rssAfterMB: mem.rssNow / MB,
        samples: mem.samples,
      },
      cpu: { seconds: (mem.cpuUserMs + mem.cpuSystemMs) / 1000, shareOfOneCore: (mem.cpuUserMs + mem.cpuSystemMs) / 1000 / ((memAt - startedAt) / 1000) },
      pollJobs,
    };
    console.log(
      `  ${complete ? 'done' : 'INCOMPLETE'}: ${fmtInt(scored.score)}/${fmtInt(n)} scored in ${elapsedSeconds.toFixed(1)} s; ` +
        `${toLastScore.per1000Leads.toFixed(2)} calls per 1,000 leads to the last score (floor ${floor.per1000.toFixed(1)}, ${floor.per1000WithEvents.toFixed(1)} with events), ` +
        `${wholePass.per1000Leads.toFixed(2)} for the whole first pass (${result.passSeconds.toFixed(1)} s), ${nextPasses.map((p) => p.calls.per1000Leads.toFixed(2)).join(' and ')} for the next two (idle) passes; ` +
        `peak RSS ${result.memory.rssPeakMB.toFixed(0)} MB (baseline ${result.memory.rssBaselineMB.toFixed(0)})`,
    );
    return { result, service: { model: svc.info.model, pollIntervalMs: svc.info.pollIntervalMs, ...(svc.info.maxShare !== undefined ? { maxShare: svc.info.maxShare } : {}) } };
  } finally {
    await svc.stop();
  }
}

function orgStats(sb: SalesforceSandbox, orgId: string): OrgStats {
  return sb.stats.byOrg[orgId] ?? { requests: 0, byRoute: {}, apiCalls: 0, limitExceeded: 0, sessionInvalid: 0, peakConcurrency: 0 };
}

/** Calls between two snapshots of an org's stats (`from` undefined: since the start). */
function diffStats(to: OrgStats, from: OrgStats | undefined): { apiCalls: number; byRoute: Record<string, number> } {
  const byRoute: Record<string, number> = {};
  for (const [route, c] of Object.entries(to.byRoute)) {
    const d = c - (from?.byRoute[route] ?? 0);
    if (d > 0) byRoute[route] = d;
  }
  return { apiCalls: to.apiCalls - (from?.apiCalls ?? 0), byRoute };
}

function counts(d: { apiCalls: number; byRoute: Record<string, number> }, leads: number): CallCounts {
  const per1000 = (x: number) => (1000 * x) / leads;
  return { total: d.apiCalls, per1000Leads: per1000(d.apiCalls), byRoute: d.byRoute, byRoutePer1000: Object.fromEntries(Object.entries(d.byRoute).map(([r, c]) => [r, per1000(c)])) };
}

async function waitFor(done: () => boolean, timeoutMs: number, what: string, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until the org got no request for `quietMs`; returns when its last request came (as far as 100 ms sampling tells). */
async function waitQuiet(sb: SalesforceSandbox, orgId: string, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = orgStats(sb, orgId).requests;
  let lastChange = Date.now();
  for (;;) {
    await sleep(100);
    const now = orgStats(sb, orgId).requests;
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) {
      return lastChange;
    }
    if (Date.now() > deadline) return lastChange;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
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
  if (sizes.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error(`BENCH_SALESFORCE_LEADS must be a comma list of positive whole numbers, got ${JSON.stringify(text)}`);
  return sizes;
}
