import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileModel, scoreLead } from '../../src/scoring';
import { profile, summarize } from './cpu-profile';
import { generateLeads } from './generate-leads';
import { loadScoringModel, REPO_ROOT } from './load-model';

/**
 * Where our engine's time goes: `node --enable-source-maps --import tsx bench/engine/profile-engine.ts [--leads N] [--passes N] [--model FILE]`.
 * Generates the benchmark's leads, warms up, then profiles passes of `scoreLead` over them with V8's
 * CPU profiler and prints self and inclusive shares by function. Writes the raw profile to
 * bench/results/engine.cpuprofile (open it in Chrome DevTools or VS Code).
 */
const NOW = Date.UTC(2026, 10, 2, 12);

async function main(argv: string[]): Promise<void> {
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const leadCount = Number(arg('--leads') ?? 20_000);
  const passes = Number(arg('--passes') ?? 2);
  const loaded = await loadScoringModel(arg('--model'));
  const model = compileModel(loaded.config);
  const { leads, events } = generateLeads({ leads: leadCount, seed: 42, now: NOW });
  for (const l of leads) scoreLead(model, l, NOW);

  const p = await profile(() => {
    for (let k = 0; k < passes; k++) for (const l of leads) scoreLead(model, l, NOW);
  });
  const outDir = path.join(REPO_ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'engine.cpuprofile'), JSON.stringify(p));

  const shares = summarize(p, REPO_ROOT);
  const ms = (p.endTime - p.startTime) / 1000;
  console.log(`profile of ${passes} x ${leadCount} scoreLead calls (${events} events per pass), model ${loaded.config.model}: ${ms.toFixed(0)} ms, ${p.samples.length} samples`);
  console.log(`  ${((passes * leadCount) / (ms / 1000)).toFixed(0)} leads/s under the profiler\n`);
  const line = (s: (typeof shares)[number]) =>
    `  ${s.selfPct.toFixed(1).padStart(5)}%  ${s.totalPct.toFixed(1).padStart(5)}%  ${s.fn.padEnd(28)} ${s.where}`;
  console.log('  self  incl.  function (by self time)');
  for (const s of [...shares].sort((a, b) => b.selfPct - a.selfPct).slice(0, 30)) console.log(line(s));
  console.log('\n  self  incl.  function (by inclusive time, src/ only)');
  for (const s of [...shares].filter((x) => x.where.startsWith('src/')).sort((a, b) => b.totalPct - a.totalPct).slice(0, 25)) console.log(line(s));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
