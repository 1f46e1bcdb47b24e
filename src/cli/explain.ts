import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { hubspotContact, contactToLead } from '../../connectors/hubspot';
import { hubspotMapping } from '../../connectors/hubspot/mapping';
import { salesforceRecord, salesforceRecordToLead, objectMappingOf } from '../../connectors/salesforce/to-lead';
import { formatPath, formatProblem } from '../config/config-problem';
import { checkConfigDir, CONFIG_FILES, DEFAULT_CONFIG_DIR } from '../config/load-config';
import { CRMS, type CrmName } from '../config/mapping-schema';
import { validateWith, type PathProblem } from '../config/zod-problems';
import { leadJsonSchema, withDerivedAttributes, type Lead } from '../lead/lead';
import type { ActiveConfig } from '../pipeline/context';
import { activate } from '../runtime/active-config';
import { scoreLead } from '../scoring/score-lead';
import type { ScoreResult } from '../scoring/types';
import { EXIT, UsageError, type CliIo } from './cli-io';
import { parseFlags } from './parse-flags';
import { textTable } from './text-table';

const HELP = `Usage: lead-scorer explain --lead FILE.json [--crm hubspot|salesforce] [--at TIME] [--config DIR]

Scores one lead with the model of the config directory and prints the score, its parts, the tier,
the suggested lifecycle stage, when the score next changes by itself, and every rule that fired.

Options:
  -l, --lead FILE    the lead, as JSON. Without --crm, in the connector's own form:
                       {"id": "1", "email": "ana@acme.example",
                        "attributes": {"title": "VP Sales", "companySize": 250},
                        "events": [{"type": "page_view", "at": "2026-11-20T10:00:00Z", "properties": {"url": "/pricing"}}]}
      --crm CRM      the file is a raw record as the CRM's API returns it, mapped through the shipped mapping:
                       hubspot     a contact {id, properties}       (mappings/hubspot.yaml)
                       salesforce  a Lead or Contact, attributes.type says which (mappings/salesforce.yaml)
      --at TIME      score as of this moment: ISO 8601 (2026-11-22T09:00:00Z) or epoch milliseconds (default: now)
  -c, --config DIR   the config directory (default: $CONFIG_DIR, else ${DEFAULT_CONFIG_DIR})
  -h, --help         show this help

Exit code 0 when the lead was scored; 1 when the file or the config has problems (one line each).
`;

/** `lead-scorer explain`: scores one lead from a file and shows why. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('explain', args, {
    lead: { type: 'string', short: 'l' },
    crm: { type: 'string' },
    at: { type: 'string' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!values.lead) throw new UsageError('--lead FILE.json is required', 'explain');
  const crm = values.crm === undefined ? undefined : parseCrm(values.crm);
  const at = values.at === undefined ? Date.now() : parseTime(values.at);

  const dir = values.config ?? io.env.CONFIG_DIR ?? DEFAULT_CONFIG_DIR;
  const check = await checkConfigDir(dir);
  if (!check.ok) {
    io.stderr.write(`lead-scorer explain: the config in ${dir} has problems (run "lead-scorer validate"):\n${check.problems.map((p) => `${formatProblem(p)}\n`).join('')}`);
    return EXIT.problems;
  }
  const config = activate(check.config);

  const file = values.lead;
  const read = await readLeadFile(file, config, crm);
  if (!read.ok) {
    io.stderr.write(read.problems.map((p) => `${file}${p.path ? ` ${p.path}` : ''}: ${p.message}\n`).join(''));
    return EXIT.problems;
  }
  const result = scoreLead(config.model, read.lead, at);
  io.stdout.write(renderExplanation(read.lead, result, { at, source: read.source, config }));
  return EXIT.ok;
}

function parseCrm(value: string): CrmName {
  if ((CRMS as readonly string[]).includes(value)) return value as CrmName;
  throw new UsageError(`--crm must be one of ${CRMS.join(', ')}; got "${value}"`, 'explain');
}

/** ISO 8601 or epoch milliseconds. */
export function parseTime(value: string): number {
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--at takes an ISO 8601 time (2026-11-22T09:00:00Z) or epoch milliseconds; got "${value}"`, 'explain');
  return ms;
}

type LeadRead = { ok: true; lead: Lead; source: string } | { ok: false; problems: { path: string; message: string }[] };

/** Reads a lead file in our JSON form, or a raw CRM record mapped through the CRM's mapping. */
async function readLeadFile(file: string, config: ActiveConfig, crm: CrmName | undefined): Promise<LeadRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail('', code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read the file (${code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return fail('', `not valid JSON (${(err as Error).message})`);
  }

  if (crm === undefined) {
    const parsed = validate(leadJsonSchema, data);
    if (!parsed.ok) return parsed;
    return { ok: true, lead: withDerivedAttributes(parsed.data), source: 'a lead in the connector’s JSON form' };
  }
  if (crm === 'hubspot') {
    const parsed = validate(hubspotContact, data, 'a HubSpot contact as the API returns it: {"id": "123", "properties": {"jobtitle": "…"}}');
    if (!parsed.ok) return parsed;
    return { ok: true, lead: contactToLead('hubspot:file', parsed.data, hubspotMapping(config)), source: `a HubSpot contact, mapped through ${CONFIG_FILES.mapping('hubspot')}` };
  }
  const parsed = validate(salesforceRecord, data, 'a Salesforce Lead or Contact as the API returns it: {"attributes": {"type": "Lead"}, "Id": "00Q…", …}');
  if (!parsed.ok) return parsed;
  const mapping = config.mappings.salesforce;
  const type = parsed.data.attributes.type;
  if (!objectMappingOf(mapping, type)) return fail('attributes.type', `${CONFIG_FILES.mapping('salesforce')} scores ${Object.keys(mapping.objects).join(' and ')}, not "${type}"`);
  return { ok: true, lead: salesforceRecordToLead('salesforce:file', parsed.data, mapping), source: `a Salesforce ${type}, mapped through ${CONFIG_FILES.mapping('salesforce')}` };
}

function fail(path: string, message: string): LeadRead {
  return { ok: false, problems: [{ path, message }] };
}

function validate<S extends z.ZodType>(schema: S, data: unknown, expected?: string): { ok: true; data: z.output<S> } | { ok: false; problems: { path: string; message: string }[] } {
  const v = validateWith(schema, data);
  if (v.success) return { ok: true, data: v.data };
  const problems = v.problems.map((p: PathProblem) => ({ path: formatPath(p.path), message: inJsonTerms(p.message) }));
  if (expected && v.problems.some((p) => p.path.length === 0)) problems.push({ path: '', message: `expected ${expected}` });
  return { ok: false, problems };
}

/** The config validator speaks YAML ("a mapping", "a list"); a lead file is JSON. */
function inJsonTerms(message: string): string {
  return message
    .replace(/a mapping \("key: value" lines\)/g, 'an object {…}')
    .replace(/a list \("- item" lines or \[a, b\]\)/g, 'an array […]')
    .replace(/\ban empty list\b/g, 'an empty array')
    .replace(/\ba list\b/g, 'an array')
    .replace(/\ba mapping\b/g, 'an object');
}

/** The printed explanation: the numbers first, then the rules that fired, biggest first, in an aligned table. */
export function renderExplanation(lead: Lead, r: ScoreResult, opts: { at: number; source: string; config: ActiveConfig }): string {
  const { scoring } = opts.config;
  const lines: string[] = [];
  lines.push(`Lead ${lead.id}${lead.email ? ` <${lead.email}>` : ''}: ${opts.source}`);
  lines.push(`scored at ${new Date(opts.at).toISOString()}`);
  lines.push('');
  const lifecycle = scoring.lifecycle ? `  (MQL at ${scoring.lifecycle.mql ?? '-'}, SQL at ${scoring.lifecycle.sql ?? '-'})` : '';
  const rows: [string, string][] = [
    ['score', `${r.score}  (fit ${r.fit} × ${scoring.weights.fit} + engagement ${r.engagement} × ${scoring.weights.engagement}, rounded)`],
    ['fit', `${r.fit}`],
    ['engagement', `${r.engagement}`],
    ['tier', `${r.tier}  (hot at ${scoring.thresholds.hot}, warm at ${scoring.thresholds.warm})`],
    ['lifecycle', `${r.lifecycle ?? 'none'}${lifecycle}`],
    ['model', r.model],
    ['next change', r.nextChangeAt === null ? 'never: the score stays as it is until the lead changes' : `${new Date(r.nextChangeAt).toISOString()} (in ${humanDuration(r.nextChangeAt - opts.at)})`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(w)}  ${v}`);
  lines.push('');
  if (r.reasons.length === 0) {
    lines.push('No rule fired.');
  } else {
    lines.push(`${r.reasons.length} rule${r.reasons.length === 1 ? '' : 's'} fired, biggest first:`);
    lines.push(...textTable(['points', 'part', 'label', 'rule'], r.reasons.map((x) => [`${x.points > 0 ? '+' : ''}${x.points}`, x.part, x.label, x.rule]), [true, false, false, false]));
  }
  return `${lines.join('\n')}\n`;
}

/** `3 d 4 h`, `13 h 55 min`, `42 s`: the largest unit and the next one. */
export function humanDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  const i = units.findIndex(([, size]) => ms >= size);
  if (i < 0) return `${Math.max(0, Math.round(ms))} ms`;
  const [name, size] = units[i]!;
  const whole = Math.floor(ms / size);
  const next = units[i + 1];
  const more = next ? Math.floor((ms - whole * size) / next[1]) : 0;
  return more > 0 && next ? `${whole} ${name} ${more} ${next[0]}` : `${whole} ${name}`;
}
