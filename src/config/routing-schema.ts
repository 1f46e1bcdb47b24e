import { z } from 'zod';
import { duration } from './duration';
import { attributeCondition } from './scoring-schema';
import { byFirstKey, pickBranchBy } from './union-branches';

/**
 * The schema of `config/routing.yaml`: who gets a scored lead, how fast they must act (SLA), when an
 * untouched lead is taken back (recycle), and how many open leads an owner may hold (capacity).
 * Published as `config/schema/routing.schema.json`.
 */

export const TIERS = ['hot', 'warm', 'cold'] as const;
export type Tier = (typeof TIERS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a name is lower-case letters, digits, "-" and "_", like "enterprise-east"');

/** A CRM owner: a HubSpot owner id (a number), a Salesforce User id (005…) or, where allowed, a queue id (00G…). */
export const ownerId = z
  .union([
    z.string().trim().min(1),
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'an id this long loses digits as a number: put it in quotes'),
  ])
  .transform(String)
  .describe('a CRM owner id: HubSpot owner id (Settings > Users, or GET /crm/v3/owners), Salesforce User id (005...)');

const tierOrScore = {
  tier: z.enum(TIERS).optional().describe('applies to leads of this tier'),
  minScore: z.number().min(0).max(100).optional().describe('applies to leads with at least this score'),
};

/** Exactly one of `tier` and `minScore`. */
function oneCondition(c: { tier?: unknown; minScore?: unknown }, ctx: z.RefinementCtx): void {
  if (c.tier === undefined && c.minScore === undefined) {
    ctx.addIssue({ code: 'custom', message: 'needs a condition: tier (hot, warm, cold) or minScore (0-100)' });
  } else if (c.tier !== undefined && c.minScore !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'has both tier and minScore: use one of them' });
  }
}

/** Which leads something applies to: `{tier: hot}` or `{minScore: 80}`. */
export const leadCondition = z.strictObject(tierOrScore).superRefine(oneCondition);
export type LeadCondition = z.output<typeof leadCondition>;

/** One SLA rule: leads matching the condition must be worked within `due` of their assignment. */
export const slaRule = z
  .strictObject({
    ...tierOrScore,
    due: duration.describe('the SLA task is due this long after the lead is assigned, like 1h'),
  })
  .superRefine(oneCondition);
export type SlaRule = z.output<typeof slaRule>;

/** One owner of a pool; a weight of 2 gets twice the leads of a weight of 1. */
export const poolMember = z.strictObject({
  owner: ownerId,
  weight: z.number().positive().default(1).describe('share of the pool\'s leads, relative to the other members (default 1)'),
});
export type PoolMember = z.output<typeof poolMember>;

/** One routing rule: leads matching every condition of `when` go to `pool`. */
export const routingRule = z.strictObject({
  id: id.optional().describe('a name for logs and the admin page'),
  when: z
    .array(attributeCondition)
    .default([])
    .describe('conditions on canonical attributes, all of which must hold (none: every lead)'),
  pool: id.describe('the pool (under pools) that takes the lead'),
});
export type RoutingRule = z.output<typeof routingRule>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;

const dateText = z
  .string()
  .regex(DATE, 'a date like 2026-12-24 (a whole day, UTC) or a time with its zone, like 2026-12-24T09:00:00+01:00')
  .refine(isRealDate, 'not a real date');

function isRealDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && !Number.isNaN(Date.parse(text));
}

/** A date-only `from` starts at that day's 00:00 UTC; a date-only `to` includes that whole day. */
const startOf = (text: string): number => Date.parse(text);
const endOf = (text: string): number => (text.length === 10 ? Date.parse(text) + DAY_MS : Date.parse(text));

/** An absence, as epoch ms: `from` inclusive, `to` exclusive. */
export const absence = z
  .strictObject({
    from: dateText.describe('first day (or moment) away'),
    to: dateText.describe('last day away (included), or the moment of return'),
  })
  .superRefine((a, ctx) => {
    if (endOf(a.to) <= startOf(a.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: `to (${a.to}) is before from (${a.from})` });
  })
  .transform((a) => ({ from: startOf(a.from), to: endOf(a.to) }));
export type Absence = z.output<typeof absence>;

/** Where leads go when no pool can take them: an owner, or (Salesforce) a queue. */
export const fallback = pickBranchBy(
  z.union([
    z.strictObject({ owner: ownerId.describe('the owner who gets every lead no pool can take') }),
    z.strictObject({ queue: z.string().trim().min(1).describe('Salesforce: the queue id (00G...) that gets every lead no pool can take') }),
  ]),
  byFirstKey([['owner', 0], ['queue', 1]]),
).describe('{owner: <id>} or {queue: <id>}');
export type Fallback = z.output<typeof fallback>;

export const routingConfig = z
  .strictObject({
    enabled: z.boolean().default(true).describe('false: score only, never assign owners or create SLA tasks'),
    eligible: leadCondition
      .default({ tier: 'hot' })
      .describe('which leads get an owner: {tier: hot} (default) or {minScore: 70}'),
    overwriteHumanOwner: z
      .boolean()
      .default(false)
      .describe('false (default): a lead a person already owns keeps its owner; true: routing may reassign it'),
    placeholderOwners: z
      .array(ownerId)
      .default([])
      .describe('owner ids that count as "nobody": queues, an integration user, a default owner'),
    accountMatching: z
      .strictObject({
        enabled: z.boolean().default(true).describe('a lead whose email domain matches a known account goes to that account\'s owner'),
        ignoreDomainsInList: z
          .string()
          .min(1)
          .default('freeMail')
          .describe('a list under scoring.yaml lists whose domains never match an account (free mail: gmail.com, ...)'),
      })
      .default({ enabled: true, ignoreDomainsInList: 'freeMail' }),
    sla: z.array(slaRule).describe('SLA rules, first match wins: {tier: hot, due: 1h} or {minScore: 80, due: 30m}'),
    recycle: z
      .strictObject({
        after: duration.describe('an assigned lead left untouched this long is reassigned'),
        maxTimes: z.number().int().min(0).describe('after this many reassignments, the lead goes to the fallback'),
      })
      .describe('taking back leads an owner did not work'),
    capacity: z
      .strictObject({
        maxActiveLeadsPerOwner: z.number().int().positive().describe('an owner with this many open leads gets no more until some are worked'),
      })
      .describe('how many leads one owner may hold'),
    rules: z.array(routingRule).default([]).describe('routing rules, first match wins; a lead no rule matches goes to the fallback'),
    pools: z
      .record(id, z.array(poolMember).min(1, 'a pool needs at least one owner'))
      .default({})
      .describe('pool name -> its owners; leads are shared by weight, skipping owners who are out of office or at capacity'),
    outOfOffice: z
      .record(z.string().min(1), z.array(absence).min(1))
      .default({})
      .describe('owner id -> absences: [{from: 2026-12-24, to: 2027-01-02}]'),
    fallback: fallback.optional().describe('who gets the leads no pool can take; without it, they stay unassigned'),
  })
  .superRefine(checkRouting);

export type RoutingConfig = z.output<typeof routingConfig>;
export type RoutingConfigInput = z.input<typeof routingConfig>;

type Shape = z.output<typeof routingConfig>;

/** Checks across sections: pools that exist, owners that can take leads, SLA rules that can apply. */
function checkRouting(cfg: Shape, ctx: z.RefinementCtx): void {
  const placeholders = new Set(cfg.placeholderOwners);

  const seenSla = new Map<string, number>();
  cfg.sla.forEach((rule, i) => {
    const key = rule.tier !== undefined ? `tier ${rule.tier}` : `minScore ${rule.minScore}`;
    const first = seenSla.get(key);
    const wider = rule.minScore === undefined ? -1 : cfg.sla.findIndex((r, j) => j < i && r.minScore !== undefined && r.minScore <= (rule.minScore as number));
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['sla', i], message: `repeats sla[${first}] (${key}): the first match wins, so this rule never applies` });
    else if (wider >= 0) ctx.addIssue({ code: 'custom', path: ['sla', i, 'minScore'], message: `sla[${wider}] (minScore ${cfg.sla[wider]?.minScore}) already takes every lead this rule (minScore ${rule.minScore}) would: put the higher minScore first` });
    seenSla.set(key, first ?? i);
  });

  const ruleIds = new Map<string, number>();
  cfg.rules.forEach((rule, i) => {
    if (!(rule.pool in cfg.pools)) {
      const known = Object.keys(cfg.pools);
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'pool'], message: `no pool "${rule.pool}" under pools${known.length ? ` (pools: ${known.join(', ')})` : ''}` });
    }
    if (rule.id !== undefined) {
      const first = ruleIds.get(rule.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is already used by rules[${first}]` });
      else ruleIds.set(rule.id, i);
    }
  });

  for (const [name, members] of Object.entries(cfg.pools)) {
    const owners = new Map<string, number>();
    members.forEach((m, i) => {
      const first = owners.get(m.owner);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['pools', name, i, 'owner'], message: `owner ${m.owner} is already in this pool (item ${first}): raise the weight instead` });
      else owners.set(m.owner, i);
      if (placeholders.has(m.owner)) ctx.addIssue({ code: 'custom', path: ['pools', name, i, 'owner'], message: `owner ${m.owner} is a placeholder owner (placeholderOwners) and cannot take leads` });
    });
  }

  if (cfg.fallback && 'owner' in cfg.fallback && placeholders.has(cfg.fallback.owner)) {
    ctx.addIssue({ code: 'custom', path: ['fallback', 'owner'], message: `owner ${cfg.fallback.owner} is a placeholder owner (placeholderOwners): a lead given to it stays unowned` });
  }
  if (cfg.enabled && Object.keys(cfg.pools).length === 0 && !cfg.fallback) {
    ctx.addIssue({ code: 'custom', path: ['pools'], message: 'routing is enabled but there is no pool and no fallback: nobody can receive a lead (add pools, a fallback, or set enabled: false)' });
  }
}
