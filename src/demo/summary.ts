import { textTable } from '../cli/text-table';
import type { DemoChange, DemoLead, DemoSlaTask } from './crms/types';

const TIERS = ['hot', 'warm', 'cold'] as const;
const BAR_WIDTH = 40;

export interface CrmSummary {
  tiers: Record<(typeof TIERS)[number], number>;
  /** Leads per score band 0–9, 10–19, …, 90–100. */
  histogram: number[];
  scored: number;
  total: number;
  top: DemoLead[];
}

/** Tier counts, the score histogram and the top leads, from the leads as the CRM shows them. */
export function summarize(leads: readonly DemoLead[], topN = 10): CrmSummary {
  const tiers = { hot: 0, warm: 0, cold: 0 };
  const histogram = new Array<number>(10).fill(0);
  const scored = leads.filter((l): l is DemoLead & { score: number } => l.score !== undefined);
  for (const l of scored) {
    if (l.tier === 'hot' || l.tier === 'warm' || l.tier === 'cold') tiers[l.tier]++;
    histogram[Math.min(9, Math.max(0, Math.floor(l.score / 10)))]!++;
  }
  const top = [...scored].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, topN);
  return { tiers, histogram, scored: scored.length, total: leads.length, top };
}

/** The printed summary of one CRM. */
export function renderSummary(label: string, records: string, s: CrmSummary): string {
  const lines: string[] = [];
  lines.push(`${label}: ${s.scored} of ${s.total} ${records} scored`);
  lines.push('');
  lines.push('Tiers');
  const tierMax = Math.max(1, ...Object.values(s.tiers));
  for (const t of TIERS) lines.push(`  ${t.padEnd(4)}  ${String(s.tiers[t]).padStart(5)}  ${bar(s.tiers[t], tierMax)}`.trimEnd());
  lines.push('');
  lines.push('Scores');
  const histMax = Math.max(1, ...s.histogram);
  s.histogram.forEach((n, i) => {
    const band = i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`;
    lines.push(`  ${band.padStart(6)}  ${String(n).padStart(5)}  ${bar(n, histMax)}`.trimEnd());
  });
  lines.push('');
  lines.push(`Top ${s.top.length} leads`);
  lines.push(
    ...textTable(
      ['#', 'score', 'tier', 'name', 'title @ company', 'top reasons'],
      s.top.map((l, i) => [String(i + 1), String(l.score ?? ''), l.tier ?? '', clip(l.name, 24), clip(whoAt(l), 44), l.reasons.slice(0, 2).join('; ')]),
      [true, true, false, false, false, false],
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** How each changed lead's score moved, and which reasons it gained or lost. */
export function renderChanges(label: string, changes: readonly { change: DemoChange; after: DemoLead | undefined }[]): string {
  const lines = [`Live changes in ${label}: each one reached the connector as a signed webhook and re-scored that lead alone`];
  for (const { change, after } of changes) {
    const b = change.before;
    lines.push(`  ${b.name}${b.company ? ` (${b.company})` : ''} ${change.what}`);
    if (!after) {
      lines.push('    (the lead is gone)');
      continue;
    }
    lines.push(`    score ${b.score ?? '-'} (${b.tier ?? 'no tier'}) → ${after.score ?? '-'} (${after.tier ?? 'no tier'})`);
    const gained = after.reasons.filter((r) => !b.reasons.includes(r));
    const lost = b.reasons.filter((r) => !after.reasons.includes(r));
    for (const r of gained) lines.push(`      now:  ${r}`);
    for (const r of lost) lines.push(`      was:  ${r}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Owners assigned and SLA tasks created by routing: counts per owner and a few examples. */
export function renderRouting(label: string, hot: number, tasks: readonly DemoSlaTask[], examples = 5): string {
  const lines = [`Routing in ${label}: ${tasks.length} SLA task${tasks.length === 1 ? '' : 's'} created for ${hot} hot lead${hot === 1 ? '' : 's'}`];
  if (tasks.length === 0) return `${lines.join('\n')}\n`;
  const perOwner = new Map<string, number>();
  for (const t of tasks) perOwner.set(t.owner, (perOwner.get(t.owner) ?? 0) + 1);
  lines.push('Owners assigned');
  for (const [owner, n] of [...perOwner].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`  ${owner.padEnd(24)}  ${String(n).padStart(4)} lead${n === 1 ? '' : 's'}`);
  lines.push(`SLA tasks (${Math.min(examples, tasks.length)} of ${tasks.length})`);
  lines.push(
    ...textTable(
      ['lead', 'owner', 'task', 'due'],
      tasks.slice(0, examples).map((t) => [clip(t.lead, 24), clip(t.owner, 24), t.subject, t.due]),
      [false, false, false, false],
    ),
  );
  return `${lines.join('\n')}\n`;
}

function bar(n: number, max: number): string {
  const width = Math.round((n / max) * BAR_WIDTH);
  return n > 0 ? '█'.repeat(Math.max(1, width)) : '';
}

function whoAt(l: DemoLead): string {
  if (l.title && l.company) return `${l.title} @ ${l.company}`;
  return l.title ?? l.company ?? '';
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
