import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Lead } from '../src/lead/lead';
import { compileModel, scoreLead, type CompiledModel, type ScoreResult } from '../src/scoring';
import { countEvaluations, MAX_EVALUATIONS } from './engine/count-evaluations';
import { generateLeads } from './engine/generate-leads';
import { loadScoringModel, REPO_ROOT } from './engine/load-model';
import { collectGarbage, fmtInt, fmtUs, latencyOf, median, type Latency } from './engine/measure';
import { toJsonRulesEngine, type JreScore, type JsonRulesEngineModel } from './json-rules-engine-model';
import type { BenchOptions } from './types';

/**
 * The engine benchmark: scores synthetic leads with the default model (`compileModel` + `scoreLead`,
 * single thread) and, side by side, with json-rules-engine running the same rules (see
 * json-rules-engine-model.ts); checks that both give the same score, fit, engagement and tier; prints
 * throughput and per-lead latency and writes them to bench/results/engine.json.
 */

export const DEFAULT_LEADS = 100_000;
/** The fixed scoring instant: 2026-11-02T12:00:00Z. Events are generated in the 180 days before it. */
export const NOW = Date.UTC(2026, 10, 2, 12);
const TARGET_LEADS_PER_SECOND = 100_000;
const TARGET_RATIO = 20;
/** Timed passes over all leads for our engine: up to this many, fewer once they took OUR_PASSES_SECONDS. */
const OUR_PASSES = 3;
const OUR_PASSES_SECONDS = 30;
const OUR_WARMUP = 10_000;
const JRE_WARMUP = 2_000;
/** At most this many leads are timed one by one for json-rules-engine's latency (every k-th lead). */
const JRE_LATENCY_LEADS = 10_000;

const hr = () => process.hrtime.bigint();
const seconds = (from: bigint, to: bigint) => Number(to - from) / 1e9;
const TIERS = ['cold', 'warm', 'hot'] as const;

interface Scores {
  score: Int8Array;
  fit: Int8Array;
  engagement: Int8Array;
  tier: Uint8Array;
}
const newScores = (n: number): Scores => ({ score: new Int8Array(n), fit: new Int8Array(n), engagement: new Int8Array(n), tier: new Uint8Array(n) });
const put = (s: Scores, i: number, r: ScoreResult | JreScore) => {
  s.score[i] = r.score;
  s.fit[i] = r.fit;
  s.engagement[i] = r.engagement;
  s.tier[i] = TIERS.indexOf(r.tier);
};
const same = (a: ScoreResult, b: JreScore) => a.score === b.score && a.fit === b.fit && a.engagement === b.engagement && a.tier === b.tier;

export async function run(opts: BenchOptions): Promise<unknown> {
  const leadCount = opts.leads ?? DEFAULT_LEADS;
  const verifyCount = Math.min(opts.verify ?? 1_000, leadCount);
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const jreVersion = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/json-rules-engine/package.json'), 'utf8')) as { version: string }).version;

  const loadAtStart = os.loadavg()[0]!;
  const loaded = await loadScoringModel(opts.model);
  const model = compileModel(loaded.config);
  const jre = toJsonRulesEngine(loaded.config);
  const modelSha = createHash('sha256').update(readFileSync(path.resolve(REPO_ROOT, loaded.file))).digest('hex').slice(0, 12);
  console.log(`model ${loaded.config.model}: ${loaded.file} (sha256 ${modelSha}, read via ${loaded.via}), ${model.rules.length} rules, ${model.groups.length} groups`);
  if (loaded.note) console.log(`  note: ${loaded.note}`);

  console.log(`generating ${fmtInt(leadCount)} leads (seed ${opts.seed}, not timed) ...`);
  const genStart = hr();
  const { leads, events } = generateLeads({ leads: leadCount, seed: opts.seed, now: NOW });
  const generationSeconds = seconds(genStart, hr());
  let minEvents = Infinity;
  let maxEvents = 0;
  for (const l of leads) {
    minEvents = Math.min(minEvents, l.events.length);
    maxEvents = Math.max(maxEvents, l.events.length);
  }
  console.log(`  ${fmtInt(events)} events (${minEvents}-${maxEvents} per lead, mean ${(events / leadCount).toFixed(1)}) in ${generationSeconds.toFixed(1)} s`);

  // 1. Agreement on a sample, before spending time on the timings.
  const sampleIdx = Array.from({ length: verifyCount }, (_, k) => Math.floor((k * leadCount) / verifyCount));
  let sampleAgreed = 0;
  const sampleMismatches: number[] = [];
  for (const i of sampleIdx) {
    if (same(scoreLead(model, leads[i]!, NOW), await jre.score(leads[i]!, NOW))) sampleAgreed++;
    else sampleMismatches.push(i);
  }
  console.log(`agreement (sample): ${fmtInt(sampleAgreed)} of ${fmtInt(verifyCount)} leads get the same score, fit, engagement and tier from both engines`);
  if (sampleMismatches.length > 0) await failOnMismatches(sampleMismatches, leads, model, jre);

  // 2. Our engine.
  console.log(`ours: warm-up (${fmtInt(Math.min(OUR_WARMUP, leadCount))} leads), then up to ${OUR_PASSES} timed passes over ${fmtInt(leadCount)} leads ...`);
  collectGarbage();
  for (let i = 0; i < Math.min(OUR_WARMUP, leads.length); i++) scoreLead(model, leads[i]!, NOW);
  const ourPasses: number[] = [];
  let checksum: number | undefined;
  let timedSeconds = 0;
  while (ourPasses.length < OUR_PASSES && (ourPasses.length === 0 || timedSeconds < OUR_PASSES_SECONDS)) {
    collectGarbage();
    const t = hr();
    let sum = 0;
    for (let i = 0; i < leads.length; i++) sum += scoreLead(model, leads[i]!, NOW).score;
    const took = seconds(t, hr());
    timedSeconds += took;
    ourPasses.push(leads.length / took);
    if (checksum !== undefined && sum !== checksum) throw new Error('our engine gave different scores on two passes over the same leads');
    checksum = sum;
  }
  const ours = median(ourPasses);

  // Latency: a separate pass, each call timed (so the timers do not weigh on the throughput figure).
  collectGarbage();
  const ourNs = new Float64Array(leads.length);
  const ourScores = newScores(leads.length);
  for (let i = 0; i < leads.length; i++) {
    const t = hr();
    const r = scoreLead(model, leads[i]!, NOW);
    ourNs[i] = Number(hr() - t);
    put(ourScores, i, r);
  }
  const ourLatency = latencyOf(ourNs);

  const evals = countEvaluations(model, leads, NOW);

  // 3. json-rules-engine, same rules, same leads, same `now`.
  const jreLatencyStep = Math.max(1, Math.ceil(leads.length / JRE_LATENCY_LEADS));
  console.log(`json-rules-engine ${jreVersion}: warm-up (${fmtInt(Math.min(JRE_WARMUP, leadCount))} leads), then a timed pass over ${fmtInt(leadCount)} leads (this takes a while) ...`);
  collectGarbage();
  for (let i = 0; i < Math.min(JRE_WARMUP, leads.length); i++) await jre.score(leads[i]!, NOW);
  collectGarbage();
  const jreScores = newScores(leads.length);
  const jreStart = hr();
  for (let i = 0; i < leads.length; i++) put(jreScores, i, await jre.score(leads[i]!, NOW));
  const jreSeconds = seconds(jreStart, hr());
  const theirs = leads.length / jreSeconds;

  collectGarbage();
  const jreNs = new Float64Array(Math.ceil(leads.length / jreLatencyStep));
  for (let k = 0, i = 0; i < leads.length; i += jreLatencyStep, k++) {
    const t = hr();
    await jre.score(leads[i]!, NOW);
    jreNs[k] = Number(hr() - t);
  }
  const jreLatency = latencyOf(jreNs);

  // 4. Agreement on every lead (ours from the latency pass, json-rules-engine from its timed pass).
  const fullMismatches: number[] = [];
  for (let i = 0; i < leads.length; i++) {
    if (
      ourScores.score[i] !== jreScores.score[i] ||
      ourScores.fit[i] !== jreScores.fit[i] ||
      ourScores.engagement[i] !== jreScores.engagement[i] ||
      ourScores.tier[i] !== jreScores.tier[i]
    ) {
      fullMismatches.push(i);
    }
  }
  const tiers = { hot: 0, warm: 0, cold: 0 };
  for (let i = 0; i < leads.length; i++) tiers[TIERS[ourScores.tier[i]!]!]++;

  const ratio = ours / theirs;
  const result = {
    benchmark: 'engine',
    date: new Date().toISOString(),
    node: process.version,
    cpu,
    logicalCores: os.cpus().length,
    threads: 1,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0]! },
    seed: opts.seed,
    now: new Date(NOW).toISOString(),
    model: { id: loaded.config.model, file: loaded.file, sha256: modelSha, readVia: loaded.via, rules: model.rules.length, groups: model.groups.length },
    leads: leadCount,
    events,
    eventsPerLead: { min: minEvents, max: maxEvents, mean: events / leadCount },
    generationSeconds,
    tiers,
    ours: {
      what: 'compileModel once, then scoreLead per lead: score, fit, engagement, tier, lifecycle, sorted reasons and nextChangeAt (with its lookahead)',
      leadsPerSecond: ours,
      eventsPerSecond: (ours * events) / leadCount,
      passes: ourPasses,
      throughputMethod: `median of ${ourPasses.length} passes over all leads after a warm-up of ${Math.min(OUR_WARMUP, leadCount)} leads; no per-lead timers`,
      latency: { ...ourLatency, method: 'separate pass; process.hrtime.bigint() around every call (all leads)' },
      evaluationsPerLead: evals,
    },
    jsonRulesEngine: {
      version: jreVersion,
      what: 'runtime facts + engine.run + summing the fired rules: score, fit, engagement, tier (no reasons, no nextChangeAt)',
      leadsPerSecond: theirs,
      eventsPerSecond: (theirs * events) / leadCount,
      seconds: jreSeconds,
      throughputMethod: `one pass over all leads (awaited one by one) after a warm-up of ${Math.min(JRE_WARMUP, leadCount)} leads; no per-lead timers`,
      latency: { ...jreLatency, method: `separate pass; process.hrtime.bigint() around every call, ${jreLatencyStep === 1 ? 'every lead' : `every ${jreLatencyStep}th lead`}` },
      translation: jre.summary,
    },
    ratio,
    targets: {
      leadsPerSecond: TARGET_LEADS_PER_SECOND,
      leadsPerSecondMet: ours >= TARGET_LEADS_PER_SECOND,
      ratio: TARGET_RATIO,
      ratioMet: ratio >= TARGET_RATIO,
    },
    agreement: {
      sample: { checked: verifyCount, agreed: sampleAgreed },
      all: { checked: leadCount, agreed: leadCount - fullMismatches.length },
    },
  };

  printReport(result, ourLatency, jreLatency, evals);
  mkdirSync(opts.resultsDir, { recursive: true });
  const out = path.join(opts.resultsDir, 'engine.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(process.cwd(), out) || out}`);

  if (fullMismatches.length > 0) await failOnMismatches(fullMismatches, leads, model, jre);
  return result;
}

type Result = {
  leads: number;
  events: number;
  node: string;
  cpu: string;
  logicalCores: number;
  loadAverage: { atStart: number; atEnd: number };
  seed: number;
  now: string;
  model: { id: string; file: string; sha256: string; readVia: string; rules: number };
  tiers: Record<string, number>;
  ours: { leadsPerSecond: number; eventsPerSecond: number; passes: number[] };
  jsonRulesEngine: { version: string; leadsPerSecond: number; eventsPerSecond: number; seconds: number; latency: { method: string }; translation: JsonRulesEngineModel['summary'] };
  ratio: number;
  agreement: { sample: { checked: number; agreed: number }; all: { checked: number; agreed: number } };
};

function printReport(r: Result, ourLat: Latency, jreLat: Latency, evals: ReturnType<typeof countEvaluations>): void {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const row = (label: string, a: string, b: string, target = '') => console.log(`  ${label.padEnd(28)}${a.padStart(16)}   ${b.padStart(22)}   ${target}`);
  const pct = (n: number) => `${((100 * n) / r.leads).toFixed(1)}%`;
  console.log('');
  console.log(`Engine benchmark: ${fmtInt(r.leads)} leads, ${fmtInt(r.events)} events, model ${r.model.id} (${r.model.file} sha256 ${r.model.sha256}, ${r.model.rules} rules), now ${r.now}`);
  console.log(`Node ${r.node} | CPU ${r.cpu} (${r.logicalCores} logical cores) | single thread | seed ${r.seed}`);
  console.log(`Machine load (1-min average): ${r.loadAverage.atStart.toFixed(2)} at start, ${r.loadAverage.atEnd.toFixed(2)} at the end (shared machine: figures are noisier above ~1)`);
  console.log('');
  row('', 'ours', `json-rules-engine ${r.jsonRulesEngine.version}`, 'target');
  row('leads', fmtInt(r.leads), fmtInt(r.leads));
  row('events scored', fmtInt(r.events), fmtInt(r.events));
  row('leads/s', fmtInt(r.ours.leadsPerSecond), fmtInt(r.jsonRulesEngine.leadsPerSecond), `>= ${fmtInt(TARGET_LEADS_PER_SECOND)} (ours): ${met(r.ours.leadsPerSecond >= TARGET_LEADS_PER_SECOND)}`);
  row('events/s', fmtInt(r.ours.eventsPerSecond), fmtInt(r.jsonRulesEngine.eventsPerSecond));
  row('time for all leads', `${(r.leads / r.ours.leadsPerSecond).toFixed(2)} s`, `${r.jsonRulesEngine.seconds.toFixed(2)} s`);
  row('p50 per lead', fmtUs(ourLat.p50Us), fmtUs(jreLat.p50Us));
  row('p99 per lead', fmtUs(ourLat.p99Us), fmtUs(jreLat.p99Us));
  row('p99.9 / max per lead', `${fmtUs(ourLat.p999Us)} / ${fmtUs(ourLat.maxUs)}`, `${fmtUs(jreLat.p999Us)} / ${fmtUs(jreLat.maxUs)}`);
  row('ratio ours / theirs', `${r.ratio.toFixed(1)}x`, '', `>= ${TARGET_RATIO}x: ${met(r.ratio >= TARGET_RATIO)}`);
  console.log('');
  console.log('How it was measured');
  console.log(`  throughput: ours = median of ${r.ours.passes.length} pass(es) over all leads after a ${fmtInt(Math.min(OUR_WARMUP, r.leads))}-lead warm-up (passes: ${r.ours.passes.map(fmtInt).join(', ')} leads/s);`);
  console.log(`    json-rules-engine = one pass, each lead awaited in turn, after a ${fmtInt(Math.min(JRE_WARMUP, r.leads))}-lead warm-up. No per-lead timers in these passes.`);
  console.log(`  p50/p99: separate passes with process.hrtime.bigint() around each call: ours on all ${fmtInt(ourLat.timed)} leads,`);
  console.log(`    json-rules-engine on ${fmtInt(jreLat.timed)} leads (${r.jsonRulesEngine.latency.method.replace(/^separate pass; process.hrtime.bigint\(\) around every call, /, '')}).`);
  console.log('  per lead, ours = scoreLead (score, parts, tier, lifecycle, sorted reasons, nextChangeAt with its lookahead);');
  console.log('    json-rules-engine = runtime facts + engine.run + summing the fired rules (score, parts, tier only).');
  console.log('');
  const t = r.jsonRulesEngine.translation;
  console.log(`Agreement: sample ${fmtInt(r.agreement.sample.agreed)}/${fmtInt(r.agreement.sample.checked)}, all leads ${fmtInt(r.agreement.all.agreed)}/${fmtInt(r.agreement.all.checked)} with the same score, fit, engagement and tier.`);
  console.log(`json-rules-engine translation: ${t.total} rules, ${t.conditions} as json-rules-engine conditions (custom operators for case-insensitive`);
  console.log('  equals/in/inList/contains, regex, ranges, present/missing; dates through an attributeAgeMs fact), and');
  console.log(`  ${t.eventFacts} as dynamic facts: event counts in windows, sequences and silences are JS code inside facts, since`);
  console.log('  json-rules-engine has no conditions over an event stream; points, decay, per, caps, groups and the fit/engagement');
  console.log(`  combination are summed in JS from the fired rules' event params. ${t.unsupported.length === 0 ? 'No rule kind was left out.' : `NOT expressible: ${t.unsupported.join('; ')}`}`);
  console.log('');
  const h = evals.histogram;
  const range = (lo: number, hi: number) => h.slice(lo, hi + 1).reduce((s, n) => s + n, 0);
  console.log(`scoreLead evaluations per lead (first + lookahead for nextChangeAt, LOOKAHEAD = 32): mean ${evals.mean.toFixed(2)}, p50 ${evals.p50}, p99 ${evals.p99}, max ${evals.max}`);
  console.log(`  leads by evaluations: 1: ${pct(range(1, 1))}, 2: ${pct(range(2, 2))}, 3-5: ${pct(range(3, 5))}, 6-10: ${pct(range(6, 10))}, 11-32: ${pct(range(11, MAX_EVALUATIONS - 1))}, 33 (whole lookahead): ${pct(evals.atCap)}; nextChangeAt null: ${pct(evals.neverChanges)}`);
  console.log(`Tiers (ours): hot ${pct(r.tiers.hot!)}, warm ${pct(r.tiers.warm!)}, cold ${pct(r.tiers.cold!)}`);
  if (r.ours.leadsPerSecond < TARGET_LEADS_PER_SECOND) {
    console.log('\nOurs misses the leads/s target. Where the time goes: node --enable-source-maps --import tsx bench/engine/profile-engine.ts');
  }
}

async function failOnMismatches(idx: number[], leads: Lead[], model: CompiledModel, jre: JsonRulesEngineModel): Promise<never> {
  console.error(`\nMISMATCH: json-rules-engine and the engine disagree on ${fmtInt(idx.length)} leads. First ones:`);
  for (const i of idx.slice(0, 5)) {
    const lead = leads[i]!;
    const a = scoreLead(model, lead, NOW);
    const b = await jre.score(lead, NOW);
    console.error(`  lead ${lead.id} (#${i}): ours score ${a.score} fit ${a.fit} engagement ${a.engagement} ${a.tier}; json-rules-engine score ${b.score} fit ${b.fit} engagement ${b.engagement} ${b.tier}`);
    console.error(`    our reasons: ${a.reasons.map((x) => `${x.points > 0 ? '+' : ''}${x.points} ${x.rule}`).join(', ')}`);
  }
  throw new Error(`json-rules-engine disagrees with the engine on ${idx.length} leads: the translation (bench/json-rules-engine-model.ts) or the engine is wrong; explain the difference before trusting the figures`);
}
