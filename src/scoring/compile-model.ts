import type { AttributeCondition, Decay, EventMatcher, FitRule, Group, PropertyTest, ScoringConfig } from '../config/scoring-schema';
import type { AttributeValue, LeadEvent } from '../lead/lead';
import { compileDecay, NO_DECAY, type CompiledDecay } from './decay';
import { compileValueTest } from './value-test';
import type { Part } from './types';

type Attributes = Record<string, AttributeValue>;

/** A compiled condition on the attributes, with the time its outcome flips by itself (date tests). */
export interface CompiledCondition {
  holds(attrs: Attributes, now: number): boolean;
  changeAt(attrs: Attributes, now: number): number;
}

interface RuleCommon {
  /** Index in `CompiledModel.rules`. */
  index: number;
  id: string;
  label: string;
  part: Part;
  points: number;
  max: number;
  /** Index in `CompiledModel.groups`, or -1. */
  group: number;
  decay: CompiledDecay;
  /** True when the rule's value cannot change with time alone (no decay, no window, no date test). */
  constant: boolean;
}

/**
 * A compiled rule. Event rules read the times of their matching events from "slots" that the event
 * pass fills: a time list (`timeSlot`) or, for silence, the latest time (`latestSlot`).
 */
export type CompiledRule =
  | (RuleCommon & { kind: 'attribute'; condition: CompiledCondition; per?: { attribute: string; per: number }; at?: string; timeDependent: boolean })
  | (RuleCommon & { kind: 'eachEvent'; window: number; timeSlot: number })
  | (RuleCommon & { kind: 'countEvents'; window: number; atLeast: number; timeSlot: number })
  | (RuleCommon & { kind: 'sequence'; window: number; steps: number; firstTimeSlot: number })
  | (RuleCommon & {
      kind: 'silence';
      quietFor: number;
      /** The latest-time slot of the signal, or -1 when it is an attribute. */
      afterSlot: number;
      afterAttribute?: string;
      /** The latest-time slot of the activity events, or -1 for "any event". */
      activitySlot: number;
      activityAttributes: readonly string[];
    });

export interface CompiledGroup {
  index: number;
  id: string;
  label: string;
  part: Part;
  max: number;
  best: boolean;
}

/** A test on the properties of an event, memoised per distinct string value (URLs, form names and assets repeat). */
export type CompiledWhere = (props: LeadEvent['properties']) => boolean;

/** What one event type feeds: the distinct property tests of its listeners, and each listener's slot. */
export interface TypePlan {
  wheres: CompiledWhere[];
  /** Per listener: index into `wheres` (-1: none), the slot, and whether the slot is a time list or a latest time. */
  where: Int32Array;
  slot: Int32Array;
  latest: Uint8Array;
  /** Which of `wheres` an event's properties pass, as a bit mask (bit i: wheres[i]). */
  mask: (props: LeadEvent['properties']) => number;
}

/** A scoring model compiled once from scoring.yaml; `scoreLead` runs it against leads. */
export interface CompiledModel {
  id: string;
  config: ScoringConfig;
  rules: CompiledRule[];
  groups: CompiledGroup[];
  plans: Map<string, TypePlan>;
  /** Number of time-list slots and of latest-time slots. */
  timeSlots: number;
  latestSlots: number;
  /** Time slots whose lists must be sorted before evaluation (windows and sequences). */
  sortedSlots: Int32Array;
  thresholds: { hot: number; warm: number };
  lifecycle: { mql?: number; sql?: number };
  weights: { fit: number; engagement: number };
}

const MEMO_LIMIT = 20_000;

function compileCondition(conds: AttributeCondition[], mode: 'all' | 'any', lists: ScoringConfig['lists']): CompiledCondition & { timeDependent: boolean } {
  const compiled = conds.map((c) => ({ attribute: c.attribute, ...compileValueTest(c, lists) }));
  const timeDependent = compiled.some((c) => c.changeAt !== undefined);
  const changeAt = (attrs: Attributes, now: number) => {
    let next = Infinity;
    for (const c of compiled) {
      if (!c.changeAt) continue;
      const t = c.changeAt(attrs[c.attribute], now);
      if (t !== undefined && t > now && t < next) next = t;
    }
    return next;
  };
  if (compiled.length === 1) {
    const only = compiled[0]!;
    return { holds: (attrs, now) => only.test(attrs[only.attribute], now), changeAt, timeDependent };
  }
  return mode === 'all'
    ? { holds: (attrs, now) => compiled.every((c) => c.test(attrs[c.attribute], now)), changeAt, timeDependent }
    : { holds: (attrs, now) => compiled.some((c) => c.test(attrs[c.attribute], now)), changeAt, timeDependent };
}

/** One property test, memoised by string value: the same URL or form name is tested once per model. */
function memoisedTest(test: PropertyTest, lists: ScoringConfig['lists']): (v: AttributeValue) => boolean {
  const compiled = compileValueTest(test, lists).test;
  const memo = new Map<string, boolean>();
  return (v) => {
    if (typeof v !== 'string') return compiled(v, 0);
    let r = memo.get(v);
    if (r === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      r = compiled(v, 0);
      memo.set(v, r);
    }
    return r;
  };
}

function compileWhere(where: NonNullable<EventMatcher['where']>, lists: ScoringConfig['lists']): CompiledWhere {
  const tests = Object.entries(where).map(([prop, t]) => ({ prop, test: memoisedTest(t, lists) }));
  if (tests.length === 1) {
    const { prop, test } = tests[0]!;
    return (props) => test(props?.[prop]);
  }
  return (props) => {
    for (const t of tests) if (!t.test(props?.[t.prop])) return false;
    return true;
  };
}

function attributeConditionOf(rule: FitRule): { conds: AttributeCondition[]; mode: 'all' | 'any' } {
  if (rule.all) return { conds: rule.all, mode: 'all' };
  if (rule.any) return { conds: rule.any, mode: 'any' };
  return { conds: [rule as AttributeCondition], mode: 'all' };
}

/**
 * The bit mask of the property tests an event passes. When every test of a type reads the same
 * single property (page_view: url), one memo per distinct value answers all of them at once.
 */
function maskOf(wheres: CompiledWhere[], specs: NonNullable<EventMatcher['where']>[], lists: ScoringConfig['lists']): TypePlan['mask'] {
  if (wheres.length > 30) throw new Error('more than 30 distinct property tests on one event type');
  const props = new Set(specs.flatMap((w) => Object.keys(w)));
  if (props.size === 1 && specs.every((w) => Object.keys(w).length === 1)) {
    const prop = [...props][0]!;
    const tests = specs.map((w) => compileValueTest(w[prop]!, lists).test);
    const all = (v: AttributeValue) => {
      let m = 0;
      for (let i = 0; i < tests.length; i++) if (tests[i]!(v, 0)) m |= 1 << i;
      return m;
    };
    const memo = new Map<string, number>();
    return (p) => {
      const v = p?.[prop];
      if (typeof v !== 'string') return all(v);
      let m = memo.get(v);
      if (m === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        m = all(v);
        memo.set(v, m);
      }
      return m;
    };
  }
  return (p) => {
    let m = 0;
    for (let i = 0; i < wheres.length; i++) if (wheres[i]!(p)) m |= 1 << i;
    return m;
  };
}

/** Collects, per event type, the listeners and their distinct property tests (shared between rules). */
class PlanBuilder {
  private readonly byType = new Map<
    string,
    { wheres: CompiledWhere[]; specs: NonNullable<EventMatcher['where']>[]; whereKeys: Map<string, number>; where: number[]; slot: number[]; latest: number[] }
  >();

  constructor(private readonly lists: ScoringConfig['lists']) {}

  listen(matcher: Pick<EventMatcher, 'event' | 'where'>, slot: number, latest: boolean): void {
    for (const type of Array.isArray(matcher.event) ? matcher.event : [matcher.event]) {
      let p = this.byType.get(type);
      if (!p) this.byType.set(type, (p = { wheres: [], specs: [], whereKeys: new Map(), where: [], slot: [], latest: [] }));
      let w = -1;
      if (matcher.where) {
        const key = JSON.stringify(matcher.where);
        w = p.whereKeys.get(key) ?? -1;
        if (w < 0) {
          w = p.wheres.length;
          p.wheres.push(compileWhere(matcher.where, this.lists));
          p.specs.push(matcher.where);
          p.whereKeys.set(key, w);
        }
      }
      p.where.push(w);
      p.slot.push(slot);
      p.latest.push(latest ? 1 : 0);
    }
  }

  build(): Map<string, TypePlan> {
    const plans = new Map<string, TypePlan>();
    for (const [type, p] of this.byType) {
      plans.set(type, {
        wheres: p.wheres,
        where: Int32Array.from(p.where),
        slot: Int32Array.from(p.slot),
        latest: Uint8Array.from(p.latest),
        mask: maskOf(p.wheres, p.specs, this.lists),
      });
    }
    return plans;
  }
}

/** Compiles a validated scoring config into the structures the engine runs on. Pure. */
export function compileModel(config: ScoringConfig): CompiledModel {
  const groups: CompiledGroup[] = [];
  const groupIndex = new Map<string, number>();
  const groupDecay = new Map<string, Decay | undefined>();
  for (const part of ['fit', 'engagement'] as const) {
    for (const g of config[part].groups as Group[]) {
      groupIndex.set(`${part}:${g.id}`, groups.length);
      groupDecay.set(`${part}:${g.id}`, g.decay);
      groups.push({ index: groups.length, id: g.id, label: g.label ?? g.id, part, max: g.max ?? Infinity, best: g.pick === 'best' });
    }
  }

  const rules: CompiledRule[] = [];
  const plans = new PlanBuilder(config.lists);
  let timeSlots = 0;
  let latestSlots = 0;
  const sortedSlots: number[] = [];
  const decayCache = new Map<string, CompiledDecay>();
  const decayFor = (d: Decay | undefined): CompiledDecay => {
    if (!d) return NO_DECAY;
    const key = JSON.stringify(d);
    let c = decayCache.get(key);
    if (!c) decayCache.set(key, (c = compileDecay(d)));
    return c;
  };
  const common = (part: Part, r: { id: string; label: string; points: number; max?: number | undefined; group?: string | undefined }, decay: Decay | undefined): RuleCommon => ({
    index: rules.length,
    id: r.id,
    label: r.label,
    part,
    points: r.points,
    max: r.max ?? Infinity,
    group: r.group === undefined ? -1 : groupIndex.get(`${part}:${r.group}`)!,
    decay: decayFor(decay),
    constant: false,
  });

  for (const r of config.fit.rules) {
    const { conds, mode } = attributeConditionOf(r);
    const condition = compileCondition(conds, mode, config.lists);
    rules.push({
      ...common('fit', r, undefined),
      kind: 'attribute',
      condition,
      timeDependent: condition.timeDependent,
      ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
    });
  }

  for (const r of config.engagement.rules) {
    const decay =
      'decay' in r && r.decay ? r.decay : ((r.group !== undefined ? groupDecay.get(`engagement:${r.group}`) : undefined) ?? config.engagement.decay);
    if ('silence' in r) {
      const s = r.silence;
      const afterSlot = 'event' in s.after ? latestSlots++ : -1;
      if ('event' in s.after) plans.listen(s.after, afterSlot, true);
      const anyActivity = !s.activity?.events && !s.activity?.attributes;
      const activitySlot = anyActivity ? -1 : latestSlots++;
      for (const type of s.activity?.events ?? []) plans.listen({ event: type }, activitySlot, true);
      rules.push({
        ...common('engagement', r, undefined),
        kind: 'silence',
        quietFor: s.for,
        afterSlot,
        ...('attribute' in s.after ? { afterAttribute: s.after.attribute } : {}),
        activitySlot,
        activityAttributes: s.activity?.attributes ?? [],
      });
    } else if ('sequence' in r) {
      const firstTimeSlot = timeSlots;
      r.sequence.forEach((step, i) => {
        plans.listen(step, firstTimeSlot + i, false);
        sortedSlots.push(firstTimeSlot + i);
      });
      timeSlots += r.sequence.length;
      rules.push({ ...common('engagement', r, decay), kind: 'sequence', window: r.within, steps: r.sequence.length, firstTimeSlot });
    } else if ('event' in r) {
      const window = r.within ?? Infinity;
      const timeSlot = timeSlots++;
      plans.listen(r, timeSlot, false);
      if (r.atLeast !== undefined) {
        if (window !== Infinity) sortedSlots.push(timeSlot);
        rules.push({ ...common('engagement', r, decay), kind: 'countEvents', window, atLeast: r.atLeast, timeSlot });
      } else {
        rules.push({ ...common('engagement', r, decay), kind: 'eachEvent', window, timeSlot });
      }
    } else {
      const { conds, mode } = attributeConditionOf(r);
      const condition = compileCondition(conds, mode, config.lists);
      rules.push({
        ...common('engagement', r, r.at !== undefined ? decay : undefined),
        kind: 'attribute',
        condition,
        timeDependent: condition.timeDependent || r.at !== undefined,
        ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
        ...(r.at !== undefined ? { at: r.at } : {}),
      });
    }
  }

  for (const rule of rules) {
    rule.constant =
      (rule.kind === 'attribute' && !rule.timeDependent) ||
      ((rule.kind === 'eachEvent' || rule.kind === 'countEvents') && !rule.decay.decays && rule.window === Infinity) ||
      (rule.kind === 'sequence' && !rule.decay.decays);
  }

  return {
    id: config.model,
    config,
    rules,
    groups,
    plans: plans.build(),
    timeSlots,
    latestSlots,
    sortedSlots: Int32Array.from(sortedSlots),
    thresholds: config.thresholds,
    lifecycle: config.lifecycle ?? {},
    weights: config.weights,
  };
}
