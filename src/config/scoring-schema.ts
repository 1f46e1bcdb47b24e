import { z } from 'zod';
import { duration } from './duration';
import { byFirstKey, pickBranchBy } from './union-branches';

/**
 * The schema of `config/scoring.yaml`: the scoring model an admin edits.
 * Published as JSON Schema in `config/schema/scoring.schema.json` (`npm run schemas`).
 * Every duration is a string like `90s`, `15m`, `2h`, `7d`; parsed values are milliseconds.
 */

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'an id is lower-case letters, digits, "-" and "_", like "pricing-visits"');
const label = z
  .string()
  .trim()
  .min(1, 'a label is the text a sales rep reads; it cannot be empty')
  .max(120)
  .describe('the text a sales rep reads in the CRM, like "Requested a demo"');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const validRegex = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s, 'i');
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${why})` });
  }
});

/** The tests a value can be put to. Range operators (gt, gte, lt, lte, between) combine; the others stand alone. */
const valueTests = {
  equals: scalar.optional().describe('equal to this value (strings: ignoring case)'),
  in: z.array(scalar).min(1).optional().describe('one of these values (strings: ignoring case)'),
  inList: z.string().optional().describe('one of the values of a named list under `lists`'),
  contains: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('contains this text (or any of these), ignoring case'),
  regex: validRegex.optional().describe('matches this regular expression, ignoring case'),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  between: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe('a number from the first to the second, both included'),
  present: z.literal(true).optional().describe('has a value'),
  missing: z.literal(true).optional().describe('has no value'),
  within: duration.optional().describe('a date within this long before now'),
  olderThan: duration.optional().describe('a date more than this long before now'),
  caseSensitive: z.boolean().optional().describe('compare strings with case (default false)'),
  not: z.boolean().optional().describe('true: the rule fires when the test fails'),
};

export const OPERATORS = [
  'equals',
  'in',
  'inList',
  'contains',
  'regex',
  'range',
  'present',
  'missing',
  'within',
  'olderThan',
] as const;
const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte', 'between'] as const;

type ValueTest = { [K in keyof typeof valueTests]?: unknown };

/** Requires exactly one operator (the range operators count as one) on a value test. */
function oneOperator(test: ValueTest, ctx: z.RefinementCtx): void {
  const used = OPERATORS.filter((op) =>
    op === 'range' ? RANGE_KEYS.some((k) => test[k] !== undefined) : test[op] !== undefined,
  );
  if (used.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `needs one test: ${OPERATORS.filter((o) => o !== 'range').join(', ')} or a range (gt, gte, lt, lte, between)`,
    });
  } else if (used.length > 1) {
    ctx.addIssue({ code: 'custom', message: `has ${used.join(' and ')}: use one test per condition (or "all:")` });
  }
  const between = test.between as [number, number] | undefined;
  if (between && between[0] > between[1]) {
    ctx.addIssue({ code: 'custom', path: ['between'], message: `between: the first number (${between[0]}) must not exceed the second (${between[1]})` });
  }
  const lower = [test.gt, test.gte].filter((n): n is number => typeof n === 'number');
  const upper = [test.lt, test.lte].filter((n): n is number => typeof n === 'number');
  if (lower.length > 0 && upper.length > 0 && Math.max(...lower) > Math.min(...upper)) {
    ctx.addIssue({ code: 'custom', message: `the range is empty: the lower bound (${Math.max(...lower)}) is above the upper bound (${Math.min(...upper)})` });
  }
}

/** A test on one attribute of the lead: `{attribute: title, regex: "director"}`. */
export const attributeCondition = z
  .strictObject({ attribute: z.string().min(1).describe('a canonical attribute name, like title or companySize'), ...valueTests })
  .superRefine(oneOperator);
export type AttributeCondition = z.output<typeof attributeCondition>;

/** A test on an event property: a plain value means "equals"; an object holds one test. */
export const propertyTest = pickBranchBy(
  z.union([scalar, z.strictObject(valueTests).superRefine(oneOperator)]),
  (input) => (typeof input === 'object' && input !== null && !Array.isArray(input) ? 1 : undefined),
);
export type PropertyTest = z.output<typeof propertyTest>;

/** Which events a rule looks at: by type (one or several) and, optionally, by their properties. */
export const eventMatcher = z.strictObject({
  event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('event type(s), like page_view'),
  where: z
    .record(z.string(), propertyTest)
    .optional()
    .describe('tests on event properties, like {url: {contains: /pricing}}'),
});
export type EventMatcher = z.output<typeof eventMatcher>;

/** A step must not be longer than the decay period it cuts into steps. */
function stepWithin(period: 'halfLife' | 'zeroAfter') {
  return (d: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const length = d[period] as number;
    const step = d.step as number;
    if (step > length) ctx.addIssue({ code: 'custom', path: ['step'], message: `the step must not be longer than ${period}` });
  };
}

export const decay = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none').describe('points keep their full value') }),
    z
      .strictObject({
        type: z.literal('halfLife').describe('points halve every `halfLife`'),
        halfLife: duration.describe('after this long, a signal is worth half'),
        step: duration.prefault('1d').describe('decay moves in steps of this length (default 1d)'),
      })
      .superRefine(stepWithin('halfLife')),
    z
      .strictObject({
        type: z.literal('linear').describe('points shrink evenly to nothing over `zeroAfter`'),
        zeroAfter: duration.describe('a signal loses its points evenly and is worth nothing after this long'),
        step: duration.prefault('1d').describe('decay moves in steps of this length (default 1d)'),
      })
      .superRefine(stepWithin('zeroAfter')),
  ])
  .describe('how engagement points lose value with age: none, halfLife or linear');
export type Decay = z.output<typeof decay>;

const points = z
  .number()
  .finite()
  .refine((n) => n !== 0, 'points cannot be 0 (remove the rule instead)')
  .describe('signed points; negative for negative signals');
const max = z.number().positive().describe('cap: the rule (or group) adds or removes at most this many points');

const ruleBase = {
  id,
  label,
  points,
  max: max.optional(),
  group: z.string().optional().describe('the id of a group of this part'),
};

/** A rule on current attribute values, or on several (all / any). */
const attributeRuleFields = {
  ...ruleBase,
  attribute: z.string().min(1).optional(),
  all: z.array(attributeCondition).min(1).optional().describe('every condition must hold'),
  any: z.array(attributeCondition).min(1).optional().describe('at least one condition must hold'),
  per: z
    .number()
    .positive()
    .optional()
    .describe('numeric attributes: the points are given once for every `per` units (e.g. +2 per 5 page views)'),
  ...valueTests,
};

/** Checks the form of an attribute rule; `forms` names the forms a rule of this part may take, for the message. */
function attributeRuleShape(forms: string) {
  return (rule: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const used = ['attribute', 'all', 'any'].filter((k) => rule[k] !== undefined);
    if (used.length === 0) {
      // Fatal, so that in the engagement union a rule meant as another form is not taken for a broken attribute rule.
      ctx.addIssue({ code: 'custom', message: `a rule needs exactly one of: ${forms}`, continue: false });
      return;
    }
    if (used.length > 1) {
      ctx.addIssue({ code: 'custom', message: `a rule has ${used.join(' and ')}: use exactly one of them` });
      return;
    }
    if (rule.attribute !== undefined) oneOperator(rule as ValueTest, ctx);
    else if (OPERATORS.some((op) => op !== 'range' && rule[op] !== undefined) || RANGE_KEYS.some((k) => rule[k] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `with "${used[0]}", put the tests inside its conditions` });
    }
    if (rule.per !== undefined && rule.attribute === undefined) {
      ctx.addIssue({ code: 'custom', path: ['per'], message: 'per works on one numeric attribute: use it with "attribute", not with all/any' });
    }
    if (typeof rule.max === 'number' && typeof rule.points === 'number' && rule.per === undefined && rule.max < Math.abs(rule.points)) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${rule.max}) is below the rule's own points (${rule.points}): the rule could never give them` });
    }
  };
}

export const fitRule = z.strictObject(attributeRuleFields).superRefine(attributeRuleShape('attribute, all, any'));
export type FitRule = z.output<typeof fitRule>;

const engagementExtras = {
  decay: decay.optional().describe('overrides the group and part decay for this rule'),
};

/** Engagement from counters and dates that the CRM keeps on the record. `at` names the date attribute that dates it. */
export const attributeEngagementRule = z
  .strictObject({
    ...attributeRuleFields,
    ...engagementExtras,
    at: z.string().min(1).optional().describe('a date attribute that dates this signal, for decay'),
  })
  .superRefine(attributeRuleShape('attribute, all, any (for CRM counters and dates), event, sequence, silence'));

/** Engagement from events: per event, or once when at least N happened (within a window). */
export const eventRule = z.strictObject({
  ...ruleBase,
  ...engagementExtras,
  ...eventMatcher.shape,
  within: duration.optional().describe('only events within this long before now count'),
  atLeast: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('fires once when at least this many matching events happened (within `within`); without it, points are given per event'),
});

/** Fires once when the steps happened in order, the last within `within` of the first. */
export const sequenceRule = z.strictObject({
  ...ruleBase,
  ...engagementExtras,
  sequence: z.array(eventMatcher).min(2, 'a sequence has at least two steps'),
  within: duration.describe('the whole sequence must happen within this long'),
});

/** Fires while nothing happened for `for` after a signal (a demo request, say). No decay. */
export const silenceRule = z.strictObject({
  ...ruleBase,
  silence: z.strictObject({
    after: pickBranchBy(
      z.union([eventMatcher, z.strictObject({ attribute: z.string().min(1).describe('a date attribute, like demoRequestedAt') })]),
      byFirstKey([['event', 0], ['attribute', 1]]),
    ).describe('the signal the silence follows: an event matcher or {attribute: <date attribute>}'),
    for: duration.describe('the rule fires when nothing happened for this long after the signal'),
    activity: z
      .strictObject({
        events: z.array(z.string().min(1)).optional().describe('event types that break the silence (default: any event)'),
        attributes: z.array(z.string().min(1)).optional().describe('date attributes that break the silence, like lastVisitAt'),
      })
      .optional(),
  }),
});

/** An engagement rule; its form is told by its key: `sequence`, `silence`, `event`, else an attribute rule. */
export const engagementRule = pickBranchBy(
  z.union([eventRule, sequenceRule, silenceRule, attributeEngagementRule]),
  byFirstKey([['sequence', 1], ['silence', 2], ['event', 0]], 3),
);
export type EventRule = z.output<typeof eventRule>;
export type SequenceRule = z.output<typeof sequenceRule>;
export type SilenceRule = z.output<typeof silenceRule>;
export type AttributeEngagementRule = z.output<typeof attributeEngagementRule>;
export type EngagementRule = z.output<typeof engagementRule>;

export const group = z.strictObject({
  id,
  label: label.optional(),
  max: max.optional(),
  pick: z
    .enum(['sum', 'best'])
    .default('sum')
    .describe('sum: add the rules up; best: only the rule with the most points counts (e.g. seniority levels)'),
  decay: decay.optional().describe('engagement groups: decay for the rules of this group'),
});
export type Group = z.output<typeof group>;

const percent = z.number().min(0).max(100);

export const scoringConfig = z
  .strictObject({
    model: z.string().min(1).max(60).describe('the model id written to the CRM with each score'),
    thresholds: z
      .strictObject({
        hot: percent.describe('a score at or above this is hot'),
        warm: percent.describe('a score at or above this (and below hot) is warm; below it, cold'),
      })
      .describe('tier boundaries on the 0-100 score: hot >= hot, warm >= warm, cold below'),
    lifecycle: z
      .strictObject({ mql: percent.optional(), sql: percent.optional() })
      .optional()
      .describe('suggested lifecycle stage: MQL at or above mql, SQL at or above sql'),
    weights: z
      .strictObject({ fit: z.number().min(0).max(1), engagement: z.number().min(0).max(1) })
      .default({ fit: 0.5, engagement: 0.5 })
      .describe('score = round(fit * weights.fit + engagement * weights.engagement); the weights add up to 1'),
    lists: z.record(z.string(), z.array(z.string().min(1))).default({}).describe('named lists for inList'),
    fit: z
      .strictObject({
        groups: z.array(group).default([]),
        rules: z.array(fitRule).default([]),
      })
      .describe('who the lead is: rules on current attribute values, recomputed every time, clamped to 0-100'),
    engagement: z
      .strictObject({
        decay: decay.default({ type: 'none' }).describe('default decay of engagement points'),
        groups: z.array(group).default([]),
        rules: z.array(engagementRule).default([]),
      })
      .describe('what the lead did: events, sequences, silences and CRM counters, decayed with age, clamped to 0-100'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.thresholds.warm >= cfg.thresholds.hot) {
      ctx.addIssue({ code: 'custom', path: ['thresholds', 'warm'], message: `warm (${cfg.thresholds.warm}) must be below hot (${cfg.thresholds.hot})` });
    }
    const { mql, sql } = cfg.lifecycle ?? {};
    if (mql !== undefined && sql !== undefined && mql >= sql) {
      ctx.addIssue({ code: 'custom', path: ['lifecycle', 'mql'], message: `mql (${mql}) must be below sql (${sql})` });
    }
    if (Math.abs(cfg.weights.fit + cfg.weights.engagement - 1) > 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `fit and engagement weights must add up to 1 (they add up to ${cfg.weights.fit + cfg.weights.engagement})` });
    }
    const seen = new Map<string, string>();
    for (const part of ['fit', 'engagement'] as const) {
      const groupIds = new Set<string>();
      cfg[part].groups.forEach((g, i) => {
        if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', path: [part, 'groups', i, 'id'], message: `group id "${g.id}" is used twice` });
        groupIds.add(g.id);
        if (part === 'fit' && g.decay) ctx.addIssue({ code: 'custom', path: [part, 'groups', i, 'decay'], message: 'fit does not decay: decay belongs to engagement groups' });
      });
      cfg[part].rules.forEach((r, i) => {
        const where = seen.get(r.id);
        if (where) ctx.addIssue({ code: 'custom', path: [part, 'rules', i, 'id'], message: `rule id "${r.id}" is already used in ${where}` });
        else seen.set(r.id, `${part}.rules[${i}]`);
        if (r.group !== undefined && !groupIds.has(r.group)) {
          ctx.addIssue({ code: 'custom', path: [part, 'rules', i, 'group'], message: `no group "${r.group}" under ${part}.groups` });
        }
        for (const { path, listName } of listRefs(r)) {
          if (!(listName in cfg.lists)) {
            ctx.addIssue({ code: 'custom', path: [part, 'rules', i, ...path], message: `no list "${listName}" under lists` });
          }
        }
      });
    }
  });

export type ScoringConfig = z.output<typeof scoringConfig>;
export type ScoringConfigInput = z.input<typeof scoringConfig>;

function listRefs(rule: Record<string, unknown>): { path: (string | number)[]; listName: string }[] {
  const out: { path: (string | number)[]; listName: string }[] = [];
  if (typeof rule.inList === 'string') out.push({ path: ['inList'], listName: rule.inList });
  for (const key of ['all', 'any'] as const) {
    const conds = rule[key];
    if (Array.isArray(conds)) {
      conds.forEach((c: Record<string, unknown>, j) => {
        if (typeof c.inList === 'string') out.push({ path: [key, j, 'inList'], listName: c.inList });
      });
    }
  }
  const whereRefs = (where: unknown, path: (string | number)[]): void => {
    if (!where || typeof where !== 'object') return;
    for (const [prop, t] of Object.entries(where)) {
      if (t && typeof t === 'object' && typeof (t as { inList?: unknown }).inList === 'string') {
        out.push({ path: [...path, 'where', prop, 'inList'], listName: (t as { inList: string }).inList });
      }
    }
  };
  whereRefs(rule.where, []);
  if (Array.isArray(rule.sequence)) rule.sequence.forEach((step: { where?: unknown }, j) => whereRefs(step.where, ['sequence', j]));
  const silence = rule.silence as { after?: { where?: unknown } } | undefined;
  if (silence?.after) whereRefs(silence.after.where, ['silence', 'after']);
  return out;
}
