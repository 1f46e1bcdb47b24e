/** Prints the HubSpot benchmark's figures. */
import type { BackfillResult, BenchResult } from '../hubspot.bench';
import { fmtInt } from '../engine/measure';
import { CONNECTOR_DEFAULT_BUDGETS, HUBSPOT_BUDGETS, TARGET_P95_MS, TARGET_RATIO } from './floor';
import { ROUTES } from './sandbox-host';
import type { LatencySummary } from './latency';


export function printReport(r: BenchResult): void {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const b = r.backfills;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const s = (x: number) => `${x.toFixed(1)} s`;
  const row = (label: string, cells: string[], target = '') => console.log(`  ${label.padEnd(44)}${cells.map((c) => c.padStart(16)).join('')}   ${target}`);
  console.log('');
  console.log(`HubSpot benchmark: the connector (buildService, shipped config, all roles in one process) against the sandbox at`);
  console.log(`HubSpot's public-app limits (${HUBSPOT_BUDGETS.generalPerSecond * 10} requests per rolling 10 s; search ${HUBSPOT_BUDGETS.searchPerSecond}/s on its own budget)`);
  console.log(`Node ${r.node} | ${r.cpu} (${r.logicalCores} logical cores, shared) | load ${r.loadAverage.atStart.toFixed(2)} at start, ${r.loadAverage.atEnd.toFixed(2)} at the end`);
  if (Object.keys(r.connectorOptions).length) console.log(`DIAGNOSTIC VARIANT: connector options ${JSON.stringify(r.connectorOptions)}`);

  if (b.length) {
    console.log('');
    console.log('Backfill (full sync of a freshly installed portal: install -> last contact written)');
    row('contacts', b.map((x) => fmtInt(x.contacts)));
    row('complete (lead_score on every contact)', b.map((x) => (x.complete && x.scoredInStore === x.contacts ? 'yes' : `NO ${fmtInt(x.scoredInStore)}`)));
    row('elapsed', b.map((x) => s(x.elapsedSeconds)));
    row('floor of the limits (HubSpot 110/10 s, 5/s)', b.map((x) => `${s(x.floor.seconds)} ${x.floor.boundBy}`));
    row('  search pages / 5 per s', b.map((x) => s(x.floor.searchSeconds)));
    row('  (writes + other) / 11 per s', b.map((x) => s(x.floor.generalSeconds)));
    row('ratio elapsed / floor', b.map((x) => `${x.ratio.toFixed(2)}x`), `<= ${TARGET_RATIO}x: ${b.map((x) => met(x.ratio <= TARGET_RATIO)).join(', ')}`);
    row('contacts per second', b.map((x) => fmtInt(x.contacts / x.elapsedSeconds)));
    row('HubSpot requests per 1,000 contacts', b.map((x) => x.requests.per1000Contacts.toFixed(2)));
    const routes = [...new Set(b.flatMap((x) => Object.keys(x.requests.byRoute)))].sort((a, c) => (b[0]!.requests.byRoute[c] ?? 0) - (b[0]!.requests.byRoute[a] ?? 0));
    for (const route of routes) row(`  ${shortRoute(route)}`, b.map((x) => `${(x.requests.byRoutePer1000[route] ?? 0).toFixed(2)} (${fmtInt(x.requests.byRoute[route] ?? 0)})`));
    row('429s seen (search / general)', b.map((x) => `${x.rateLimited.total} (${x.rateLimited.search}/${x.rateLimited.general})`));
    row('search budget used (of 5/s)', b.map((x) => `${pct(x.utilisation.search)} ${x.pacing.search.perSecond.toFixed(2)}/s`));
    row('general budget used (of 11/s)', b.map((x) => `${pct(x.utilisation.general)} ${x.pacing.general.perSecond.toFixed(2)}/s`));
    row('busiest 1 s of search / 10 s of general', b.map((x) => `${x.pacing.search.maxIn1s} / ${x.pacing.general.maxIn10s}`));
    row('search gap p50 / p95 / max', b.map((x) => `${x.pacing.search.gapP50Ms}/${x.pacing.search.gapP95Ms}/${x.pacing.search.gapMaxMs} ms`));
    row('search stalls over 2 s', b.map((x) => String(x.pacing.search.stallsOver2s)));
    row('last search -> last write', b.map((x) => `${((x.pacing.lastWriteAt - x.pacing.lastSearchAt) / 1000).toFixed(2)} s`));
    row('poll jobs (completed: pages/records)', b.map((x) => x.pollJobs.map(jobText).join(' ') || '-'));
    row('service peak RSS (baseline before A)', b.map((x) => `${x.memory.rssPeakMB.toFixed(0)} MB (${x.memory.rssBaselineMB.toFixed(0)})`), 'flat as N grows');
    row('service CPU during the backfill', b.map((x) => `${x.cpu.seconds.toFixed(1)} s (${pct(x.cpu.shareOfOneCore)})`), 'of one core');
    row('service peak heapUsed (baseline)', b.map((x) => `${x.memory.heapUsedPeakMB.toFixed(0)} MB (${x.memory.heapUsedBaselineMB.toFixed(0)})`));
    console.log('');
    console.log('  What the connector\'s own pacing allows (connectors/hubspot/options.ts, rate-limits.ts, client.ts):');
    row(`floor at its margins (${CONNECTOR_DEFAULT_BUDGETS.generalPerSecond * 10}/10 s, ${CONNECTOR_DEFAULT_BUDGETS.searchPerSecond}/s)`, b.map((x) => `${s(x.floorUnderConnectorMargins.seconds)} ${x.floorUnderConnectorMargins.boundBy}`));
    row('  + every search also takes a general grant', b.map((x) => `${s(x.floorAsConnectorPaces.seconds)} ${x.floorAsConnectorPaces.boundBy}`));
    row('elapsed / that', b.map((x) => `${(x.elapsedSeconds / x.floorAsConnectorPaces.seconds).toFixed(2)}x`));
  }

  console.log('');
  console.log('Webhook -> write-back latency (signed contact.propertyChange POST -> the batch update that writes the contact)');
  const lat: [string, LatencySummary | undefined][] = [
    ['idle (1,000-contact portal)', r.latency?.latency],
    ...b.map((x): [string, LatencySummary] => [`portal B while A backfills ${fmtInt(x.contacts)}`, x.fairness.latency]),
  ];
  console.log(`  ${''.padEnd(44)}${['changes', 'written', 'p50', 'p95', 'max'].map((h) => h.padStart(10)).join('')}   target`);
  for (const [label, l] of lat) {
    if (!l) continue;
    const ms = (x: number) => (Number.isNaN(x) ? '-' : `${fmtInt(x)} ms`);
    console.log(`  ${label.padEnd(44)}${[String(l.changes), String(l.written), ms(l.p50Ms), ms(l.p95Ms), ms(l.maxMs)].map((c) => c.padStart(10)).join('')}   p95 < ${TARGET_P95_MS / 1000} s: ${met(l.p95Ms < TARGET_P95_MS && l.notWritten === 0)}`);
  }
  if (r.latency) console.log(`  (webhook POST answered in p50 ${r.latency.latency.ackP50Ms} ms, max ${r.latency.latency.ackMaxMs} ms; ${r.latency.latency.non200} non-200)`);
}

function shortRoute(route: string): string {
  if (route === ROUTES.search) return 'search (POST contacts/search)';
  if (route === ROUTES.batchUpdate) return 'batch update';
  if (route === ROUTES.batchRead) return 'batch read';
  return route.replace('/crm/v3/', '').replace('properties/contacts', 'properties');
}

function jobText(j: BackfillResult['pollJobs'][number]): string {
  if (j.failed) return `failed(${j.failed.slice(0, 30)})`;
  const r = j.result as { pages?: number; records?: number; skipped?: string } | undefined;
  if (r?.skipped) return `skip:${r.skipped}`;
  return `${r?.pages ?? '?'}p/${r?.records ?? '?'}`;
}
