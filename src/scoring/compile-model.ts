import type {
  AttributeCondition,
  Decay,
  EventMatcher,
  FitRule,
  EngagementRule,
  Group,
  ScoringConfig,
} from '../config/scoring-schema';
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
  /** Index in `CompiledModel.rules`; also the slot of the rule's accumulators. */
  index: number;
  id: string;
  label: string;
  part: Part;
  points: number;
  max: number;
  /** Index in `CompiledModel.groups`, or -1. */
  group: number;
  decay: CompiledDecay;
}

export type CompiledRule =
  | (RuleCommon & { kind: 'attribute'; condition: CompiledCondition; per?: { attribute: string; per: number }; at?: string })
  | (RuleCommon & { kind: 'eachEvent'; window: number })
  | (RuleCommon & { kind: 'countEvents'; window: number; atLeast: number; /** time-list slot when windowed, else -1 */ slot: number })
  | (RuleCommon & { kind: 'sequence'; window: number; steps: number; firstStepSlot: number })
  | (RuleCommon & {
      kind: 'silence';
      quietFor: number;
      afterAttribute?: string;
      /** Event types that break the silence; null means any event. */
      activityEvents: ReadonlySet<string> | null;
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

/** Who listens to an event type: a rule (and its sequence step, or silence role) with its property test. */
export interface EventConsumer {
  rule: number;
  role: 'count' | 'step' | 'after' | 'activity';
  /** For sequence steps: the slot of that step's time list. */
  slot: number;
  where: ((props: LeadEvent['properties']) => boolean) | null;
}

/** A scoring model compiled once from scoring.yaml; `scoreLead` runs it against leads. */
export interface CompiledModel {
  id: string;
  config: ScoringConfig;
  rules: CompiledRule[];
  groups: CompiledGroup[];
  consumersByType: Map<string, EventConsumer[]>;
  /** Silence rules whose activity is "any event". */
  anyEventSilence: number[];
  /** Number of time-list slots (count-with-window rules and sequence steps). */
  timeSlots: number;
  thresholds: { hot: number; warm: number };
  lifecycle: { mql?: number; sql?: number };
  weights: { fit: number; engagement: number };
}

function compileCondition(conds: AttributeCondition[], mode: 'all' | 'any', lists: ScoringConfig['lists']): CompiledCondition {
  const compiled = conds.map((c) => ({ attribute: c.attribute, ...compileValueTest(c, lists) }));
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
    return { holds: (attrs, now) => only.test(attrs[only.attribute], now), changeAt };
  }
  return mode === 'all'
    ? { holds: (attrs, now) => compiled.every((c) => c.test(attrs[c.attribute], now)), changeAt }
    : { holds: (attrs, now) => compiled.some((c) => c.test(attrs[c.attribute], now)), changeAt };
}

function compileWhere(matcher: EventMatcher, lists: ScoringConfig['lists']): EventConsumer['where'] {
  if (!matcher.where) return null;
  const tests = Object.entries(matcher.where).map(([prop, t]) => ({ prop, ...compileValueTest(t, lists) }));
  return (props) => {
    for (const t of tests) if (!t.test(props?.[t.prop], 0)) return false;
    return true;
  };
}

function attributeConditionOf(rule: FitRule): { conds: AttributeCondition[]; mode: 'all' | 'any' } {
  if (rule.all) return { conds: rule.all, mode: 'all' };
  if (rule.any) return { conds: rule.any, mode: 'any' };
  return { conds: [rule as AttributeCondition], mode: 'all' };
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
  const consumersByType = new Map<string, EventConsumer[]>();
  const anyEventSilence: number[] = [];
  let timeSlots = 0;
  const listen = (types: string | string[], consumer: EventConsumer) => {
    for (const type of Array.isArray(types) ? types : [types]) {
      const list = consumersByType.get(type) ?? [];
      list.push(consumer);
      consumersByType.set(type, list);
    }
  };
  const decayCache = new Map<string, CompiledDecay>();
  const decayFor = (d: Decay | undefined): CompiledDecay => {
    if (!d) return NO_DECAY;
    const key = JSON.stringify(d);
    let c = decayCache.get(key);
    if (!c) decayCache.set(key, (c = compileDecay(d)));
    return c;
  };

  const common = (part: Part, r: FitRule | EngagementRule, decay: Decay | undefined): RuleCommon => ({
    index: rules.length,
    id: r.id,
    label: r.label,
    part,
    points: r.points,
    max: r.max ?? Infinity,
    group: r.group === undefined ? -1 : groupIndex.get(`${part}:${r.group}`)!,
    decay: decayFor(decay),
  });

  for (const r of config.fit.rules) {
    const { conds, mode } = attributeConditionOf(r);
    rules.push({
      ...common('fit', r, undefined),
      kind: 'attribute',
      condition: compileCondition(conds, mode, config.lists),
      ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
    });
  }

  for (const r of config.engagement.rules) {
    const decay =
      'decay' in r && r.decay
        ? r.decay
        : ((r.group !== undefined ? groupDecay.get(`engagement:${r.group}`) : undefined) ?? config.engagement.decay);
    if ('silence' in r) {
      const s = r.silence;
      const index = rules.length;
      const activityEvents = s.activity?.events ? new Set(s.activity.events) : s.activity?.attributes ? new Set<string>() : null;
      rules.push({
        ...common('engagement', r, undefined),
        kind: 'silence',
        quietFor: s.for,
        ...('attribute' in s.after ? { afterAttribute: s.after.attribute } : {}),
        activityEvents,
        activityAttributes: s.activity?.attributes ?? [],
      });
      if ('event' in s.after) listen(s.after.event, { rule: index, role: 'after', slot: -1, where: compileWhere(s.after, config.lists) });
      if (activityEvents === null) anyEventSilence.push(index);
      else for (const type of activityEvents) listen(type, { rule: index, role: 'activity', slot: -1, where: null });
    } else if ('sequence' in r) {
      const index = rules.length;
      const firstStepSlot = timeSlots;
      timeSlots += r.sequence.length;
      rules.push({ ...common('engagement', r, decay), kind: 'sequence', window: r.within, steps: r.sequence.length, firstStepSlot });
      r.sequence.forEach((step, i) =>
        listen(step.event, { rule: index, role: 'step', slot: firstStepSlot + i, where: compileWhere(step, config.lists) }),
      );
    } else if ('event' in r) {
      const index = rules.length;
      const window = r.within ?? Infinity;
      if (r.atLeast !== undefined) {
        const slot = window === Infinity ? -1 : timeSlots++;
        rules.push({ ...common('engagement', r, decay), kind: 'countEvents', window, atLeast: r.atLeast, slot });
        listen(r.event, { rule: index, role: 'count', slot, where: compileWhere(r, config.lists) });
      } else {
        rules.push({ ...common('engagement', r, decay), kind: 'eachEvent', window });
        listen(r.event, { rule: index, role: 'count', slot: -1, where: compileWhere(r, config.lists) });
      }
    } else {
      const { conds, mode } = attributeConditionOf(r);
      rules.push({
        ...common('engagement', r, r.at !== undefined ? decay : undefined),
        kind: 'attribute',
        condition: compileCondition(conds, mode, config.lists),
        ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
        ...(r.at !== undefined ? { at: r.at } : {}),
      });
    }
  }

  return {
    id: config.model,
    config,
    rules,
    groups,
    consumersByType,
    anyEventSilence,
    timeSlots,
    thresholds: config.thresholds,
    lifecycle: config.lifecycle ?? {},
    weights: config.weights,
  };
}
