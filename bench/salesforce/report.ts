/** Prints the Salesforce benchmark's figures. */
import { fmtInt } from '../engine/measure';
import type { BackfillResult, BenchResult } from '../salesforce.bench';

const ROUTE_NAMES: Record<string, string> = {
  'GET /services/data/vXX.X/query': 'SOQL query (poll pages, related records)',
  'PATCH /services/data/vXX.X/composite/sobjects': 'composite write (PATCH, 200 records)',
  'GET /services/data/vXX.X/sobjects/Lead/deleted': 'deleted Leads',
  'GET /services/data/vXX.X/sobjects/Contact/deleted': 'deleted Contacts',
};

export function printReport(r: BenchResult): void {
  const b = r.backfills;
  const s = (x: number) => `${x.toFixed(1)} s`;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const row = (label: string, cells: string[], note = '') => console.log(`  ${label.padEnd(48)}${cells.map((c) => c.padStart(25)).join('')}   ${note}`);
  console.log('');
  console.log('Salesforce benchmark: the service (buildService, shipped config and connectors, all roles in one process) against the sandbox');
  console.log(`Node ${r.node} | ${r.cpu} (${r.logicalCores} logical cores, shared) | load ${r.loadAverage.atStart.toFixed(2)} at start, ${r.loadAverage.atEnd.toFixed(2)} at the end`);
  console.log(`model ${r.service.model}; poll interval ${r.service.pollIntervalMs / 1000} s; API share ${((r.service.maxShare ?? 0.5) * 100).toFixed(0)} % of the org's ${fmtInt(r.sandbox.dailyApiLimit)} a day; leads ${r.sandbox.activity ? 'with' : 'without'} activity`);
  if (!b.length) return;

  const cost = b[0]!.eventCost;
  console.log('');
  console.log(`Event sources of the shipped mapping (Lead): ${cost.sources.map((x) => `${x.from} (${x.queriesPerPage} queries of ≤ ${x.idsPerQuery} ids)`).join(', ')}`);
  console.log(`  = ${cost.perPage} extra queries per 2,000-record page (${(cost.perPage / 2).toFixed(1)} per 1,000 leads); ${cost.perPageUrlOnly} if only the 12,000-byte URL limited the id lists`);

  console.log('');
  console.log('Backfill (a freshly installed org: install link -> every Lead scored)');
  row('leads', b.map((x) => fmtInt(x.leads)));
  row('complete (score / tier / non-empty reasons)', b.map((x) => `${x.complete ? '' : 'NO '}${fmtInt(x.scored.score)}/${fmtInt(x.scored.tier)}/${fmtInt(x.scored.reasons)}`));
  row('tiers hot / warm / cold', b.map((x) => `${fmtInt(x.scored.tiers.hot ?? 0)}/${fmtInt(x.scored.tiers.warm ?? 0)}/${fmtInt(x.scored.tiers.cold ?? 0)}`));
  row('elapsed (install link -> last lead scored)', b.map((x) => s(x.elapsedSeconds)));
  row('  of which the install (exchange, fields, FLS)', b.map((x) => s(x.installSeconds)));
  row('leads per second', b.map((x) => fmtInt(x.leads / x.elapsedSeconds)));
  row('first full pass ended (no more requests)', b.map((x) => s(x.passSeconds)));
  console.log('');
  row('Salesforce calls per 1,000 leads', b.map((x) => x.toLastScore.per1000Leads.toFixed(2)), 'to the last lead scored');
  row('  floor: pages of 2,000 + writes of 200', b.map((x) => x.floor.per1000.toFixed(2)), `ratio ${b.map((x) => `${x.ratioToFloor.withoutEvents.toFixed(2)}x`).join(', ')}`);
  row('  floor + the mapping\'s event queries', b.map((x) => x.floor.per1000WithEvents.toFixed(2)), `ratio ${b.map((x) => `${x.ratioToFloor.withEvents.toFixed(2)}x`).join(', ')}`);
  row('  (events chunked by the URL limit only)', b.map((x) => x.floor.per1000WithEventsUrlOnly.toFixed(2)));
  const routes = [...new Set(b.flatMap((x) => Object.keys(x.wholePass.byRoute)))].sort((a, c) => (b[0]!.wholePass.byRoute[c] ?? 0) - (b[0]!.wholePass.byRoute[a] ?? 0));
  for (const route of routes) row(`  ${ROUTE_NAMES[route] ?? route}`, b.map((x) => `${(x.toLastScore.byRoutePer1000[route] ?? 0).toFixed(2)} (${fmtInt(x.toLastScore.byRoute[route] ?? 0)})`));
  row('calls per 1,000 leads, whole first pass', b.map((x) => x.wholePass.per1000Leads.toFixed(2)), `ratio to floor + events ${b.map((x) => `${x.ratioToFloor.wholePassWithEvents.toFixed(2)}x`).join(', ')}`);
  for (const route of routes) row(`  ${ROUTE_NAMES[route] ?? route}`, b.map((x) => `${(x.wholePass.byRoutePer1000[route] ?? 0).toFixed(2)} (${fmtInt(x.wholePass.byRoute[route] ?? 0)})`));
  row('poll: pages / records read / written', b.map((x) => `${fmtInt(x.poll.pages)}/${fmtInt(x.poll.recordsRead)}/${fmtInt(x.poll.written)}`), `reads per lead: ${b.map((x) => x.poll.readsPerLead.toFixed(2)).join(', ')}`);
  row('install calls (fields, FLS, describes)', b.map((x) => fmtInt(x.setup.total)));
  for (let i = 0; i < Math.max(...b.map((x) => x.nextPasses.length)); i++) {
    const label = i === 0 ? 'next poll' : `poll ${i + 1} after`;
    row(`${label}, nothing changed: calls per 1,000`, b.map((x) => (x.nextPasses[i] ? `${x.nextPasses[i]!.calls.per1000Leads.toFixed(2)} (${fmtInt(x.nextPasses[i]!.calls.total)})` : '-')), `due ${(i + 1) * (r.service.pollIntervalMs / 60_000)} min after the backfill`);
    row('  its pages / records read / written', b.map((x) => (x.nextPasses[i] ? `${fmtInt(x.nextPasses[i]!.pages)}/${fmtInt(x.nextPasses[i]!.recordsRead)}/${fmtInt(x.nextPasses[i]!.written)}` : '-')), b.map((x) => (x.nextPasses[i] ? s(x.nextPasses[i]!.seconds) : '-')).join(', '));
  }
  console.log('');
  row('connector requests in 24 h (at pass end)', b.map((x) => `${fmtInt(x.budget.ownRequests)} (${pct(x.budget.ownShareOfLimit)})`), `its share: ${b.map((x) => fmtInt(x.budget.share)).join(', ')}`);
  row('org usage (Sforce-Limit-Info)', b.map((x) => (x.budget.orgUsage ? `${fmtInt(x.budget.orgUsage.used)}/${fmtInt(x.budget.orgUsage.max)}` : '-')));
  row('budget paused / 403 REQUEST_LIMIT_EXCEEDED', b.map((x) => `${x.budget.paused ? `YES ${x.budget.reason ?? ''}` : 'no'} / ${x.budget.limitExceeded}`));
  row('poll jobs: ran / skipped (why)', b.map((x) => jobsText(x.pollJobs)));
  console.log('');
  row('service peak RSS (baseline after warm-up)', b.map((x) => `${x.memory.rssPeakMB.toFixed(0)} MB (${x.memory.rssBaselineMB.toFixed(0)})`), 'flat as N grows');
  row('service peak heapUsed (baseline)', b.map((x) => `${x.memory.heapUsedPeakMB.toFixed(0)} MB (${x.memory.heapUsedBaselineMB.toFixed(0)})`));
  row('service CPU (install -> pass end)', b.map((x) => `${x.cpu.seconds.toFixed(1)} s (${pct(x.cpu.shareOfOneCore)})`), 'of one core');
  row('seeding (not timed)', b.map((x) => s(x.seeding.seconds)));

  const last = b[b.length - 1]!;
  const idle = last.nextPasses[0];
  console.log('');
  console.log('  Notes');
  console.log(`  - The first pass reads every lead ${last.poll.readsPerLead.toFixed(1)} times: the connector's own score writes bump SystemModstamp, so the`);
  console.log('    (SystemModstamp, Id) walk meets every written lead again at its end, and reads its related records again (nothing is written:');
  console.log('    the values are unchanged). That is the gap between "to the last lead scored" and "whole first pass".');
  if (idle) {
    console.log(`  - Each later poll re-reads the leads stamped within the 60 s overlap before the last one (${fmtInt(idle.recordsRead)} of ${fmtInt(last.leads)} here;`);
    console.log('    the cursor remembers only 1,000), events included, and does so again at every poll until a newer change moves the cursor on:');
    const perDay = (idle.calls.total * 86_400_000) / r.service.pollIntervalMs;
    console.log(`    ${fmtInt(idle.calls.total)} calls per ${r.service.pollIntervalMs / 60_000}-minute poll = ${fmtInt(perDay)} a day in an org where nothing changes (its share: ${fmtInt(last.budget.share)}).`);
  }
}

/** `3 / 1 (already polling)`: poll jobs that read pages, and those that skipped or failed. */
function jobsText(jobs: BackfillResult['pollJobs']): string {
  let ran = 0;
  const skipped = new Map<string, number>();
  for (const j of jobs) {
    const r = j.result as { skipped?: string } | undefined;
    const why = j.failed ? 'failed' : r?.skipped;
    if (why) skipped.set(why, (skipped.get(why) ?? 0) + 1);
    else ran++;
  }
  const skips = [...skipped.values()].reduce((a, c) => a + c, 0);
  return skips ? `${ran} / ${skips} (${[...skipped.keys()].join(', ')})` : `${ran} / 0`;
}
