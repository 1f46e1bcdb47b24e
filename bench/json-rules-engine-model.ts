import { Engine, type Almanac, type RuleResult, type TopLevelCondition } from 'json-rules-engine';
import type {
  AttributeCondition,
  Decay,
  EventMatcher,
  PropertyTest,
  ScoringConfig,
} from '../src/config/scoring-schema';
import type { AttributeValue, Lead, LeadEvent } from '../src/lead/lead';

/**
 * Translates our ScoringConfig into json-rules-engine (v7) rules, the way a Node team would build the
 * same scoring on that library, so the benchmark can compare the two on the same rules and leads.
 *
 * - Attribute tests (fit rules and CRM-counter engagement rules) become json-rules-engine conditions on
 *   an `attributes` fact (`path` = the attribute name). json-rules-engine's own operators are strict
 *   (`equal` is `===`, `in` is `indexOf`), so our semantics get custom operators: `textEquals`
 *   (ignoring case), `numberEquals`, `boolEquals`, `inSet` (in / inList, ignoring case, `*.domain`
 *   wildcards), `containsText`, `matchesRegex`, `inRange` (gt/gte/lt/lte/between), `isPresent`,
 *   `isMissing`. Dates (within / olderThan) use a dynamic fact `attributeAgeMs` with the attribute as
 *   its param and the built-in `lessThanInclusive` / `greaterThan`. `not: true` becomes a `not` condition.
 * - Event rules cannot be conditions: json-rules-engine has no notion of an event stream, a time
 *   window, an order or a silence. Each becomes a dynamic fact `rule:<id>` (JS code) that counts the
 *   matching events inside the window, finds the sequence, or checks the silence, and returns
 *   `{count, weight}` (weight: the decayed multiplier of the points); the rule's condition is
 *   `countAtLeast` on it.
 * - Every rule fires an event `{type: 'score', params: {rule, part, points, max, group}}`. After
 *   `engine.run`, the fired rules' params (and the fact results kept on each rule result) are summed
 *   in JS: per-event points and decay, `per`, rule caps, groups (best / sum, group max), the 0-100 parts,
 *   the weighted score and the tier.
 *
 * Fairness: the Engine is built once and reused (`engine.run(facts)` per lead); lists and regular
 * expressions are compiled once; the cheap per-lead index of events by type is built before the run
 * and passed as a runtime fact (a constant fact: no hashing, computed once); single-use dynamic facts
 * are `cache: false` (json-rules-engine would otherwise hash their params on every call); attribute
 * paths go through a plain property lookup instead of the default JSONPath resolver.
 *
 * Decay, dates and number conversions are re-implemented here (not imported from src/scoring), so the
 * agreement check in the benchmark is also an independent cross-check of the engine's semantics.
 */

/** What json-rules-engine gives for one lead, in the engine's terms. */
export interface JreScore {
  score: number;
  fit: number;
  engagement: number;
  tier: 'hot' | 'warm' | 'cold';
}

export interface JsonRulesEngineModel {
  engine: Engine;
  /** Facts, `engine.run`, then the combination of the fired rules. */
  score(lead: Lead, now: number): Promise<JreScore>;
  /** How each rule of the config was expressed, for the printed report. */
  summary: { conditions: number; eventFacts: number; total: number; unsupported: string[] };
}

type Part = 'fit' | 'engagement';
type DecayFn = (at: number, now: number) => number;

/** The runtime fact every event fact reads: the lead's past events, by type, in their original order. */
interface Activity {
  now: number;
  attributes: Lead['attributes'];
  /** Events at or before now, original order. */
  events: LeadEvent[];
  byType: Map<string, LeadEvent[]>;
  lastEventAt: number;
}

interface EventSummary {
  count: number;
  weight: number;
}

interface ScoreParams {
  rule: number;
  part: Part;
  points: number;
  max: number;
  group: number;
}

/** Per rule, what the combination needs beyond the event params. */
interface RuleMeta {
  /** Points are multiplied by the event fact's weight. */
  fromFact: boolean;
  per?: { attribute: string; per: number };
  at?: { attribute: string; decay: DecayFn };
}

interface GroupMeta {
  part: Part;
  max: number;
  best: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Value semantics (mirroring the engine's documented behaviour: strings ignore case, numbers and
// booleans convert, null / '' are missing, dates are epoch ms or date strings).

const NEGLIGIBLE = 1 / 64;

function toNum(v: AttributeValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function toBoolean(v: AttributeValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'yes' || s === '1') return true;
    if (s === 'false' || s === 'no' || s === '0' || s === '') return false;
  }
  return undefined;
}

const DIGITS = /^\d{10,}$/;
function toEpoch(v: AttributeValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v === '') return undefined;
  if (DIGITS.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function present(v: AttributeValue): boolean {
  return v !== undefined && v !== null && v !== '';
}

function pastEpoch(v: AttributeValue, now: number): number {
  const t = toEpoch(v);
  return t !== undefined && t <= now ? t : -Infinity;
}

/** Decay on the UTC step grid, clamped to 0 at or below 1/64, with a small cache per step count. */
function makeDecay(d: Decay | undefined): DecayFn {
  if (!d || d.type === 'none') return () => 1;
  const step = d.step;
  const share =
    d.type === 'halfLife'
      ? (k: number) => Math.pow(0.5, (k * step) / d.halfLife)
      : (k: number) => Math.max(0, 1 - k / (d.zeroAfter / step));
  const cache = new Float64Array(4096).fill(-1);
  return (at, now) => {
    const k = Math.floor(now / step) - Math.floor(at / step);
    if (k <= 0) return 1;
    if (k < cache.length && cache[k]! >= 0) return cache[k]!;
    const raw = share(k);
    const f = raw <= NEGLIGIBLE ? 0 : raw;
    if (k < cache.length) cache[k] = f;
    return f;
  };
}

/** Membership in a set of values (the `in` list or a named list); `*.x.com` matches x.com and its sub-domains. */
function membership(values: readonly (string | number | boolean)[], caseSensitive: boolean): (v: AttributeValue) => boolean {
  const norm = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const others: ((v: AttributeValue) => boolean)[] = [];
  for (const x of values) {
    if (typeof x === 'number') others.push((v) => toNum(v) === x);
    else if (typeof x === 'boolean') others.push((v) => toBoolean(v) === x);
    else if (x.startsWith('*.')) suffixes.push(norm(x.slice(1)));
    else exact.add(norm(x));
  }
  return (v) => {
    if (v === undefined || v === null) return false;
    const s = norm(String(v));
    if (exact.has(s)) return true;
    for (const suf of suffixes) if (s.endsWith(suf) || s === suf.slice(1)) return true;
    for (const o of others) if (o(v)) return true;
    return false;
  };
}

interface Range {
  lo?: number;
  hi?: number;
  gt?: number;
  lt?: number;
}

function inRange(v: AttributeValue, r: Range): boolean {
  const n = toNum(v);
  if (n === undefined) return false;
  if (r.lo !== undefined && n < r.lo) return false;
  if (r.hi !== undefined && n > r.hi) return false;
  if (r.gt !== undefined && n <= r.gt) return false;
  if (r.lt !== undefined && n >= r.lt) return false;
  return true;
}

type Test = Exclude<PropertyTest, string | number | boolean>;

/** One json-rules-engine condition (a leaf, or `{not: leaf}`); typed loosely, as the library's own types are. */
type Condition = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------

/** Builds the json-rules-engine Engine (once) and the scoring around it. */
export function toJsonRulesEngine(config: ScoringConfig): JsonRulesEngineModel {
  const engine = new Engine([], {
    allowUndefinedFacts: false,
    // A plain property lookup: attribute names are the paths. (The default resolver is JSONPath.)
    pathResolver: (value: object, path: string) => (value as Record<string, unknown>)[path],
  });

  // Compiled once: regular expressions by pattern, and value sets (in / inList) by id.
  const regexCache = new Map<string, RegExp>();
  const regexOf = (pattern: string, flags: string) => {
    const key = flags + pattern;
    let re = regexCache.get(key);
    if (!re) regexCache.set(key, (re = new RegExp(pattern, flags)));
    return re;
  };
  const sets: ((v: AttributeValue) => boolean)[] = [];
  const setId = (values: readonly (string | number | boolean)[], caseSensitive: boolean) => {
    sets.push(membership(values, caseSensitive));
    return sets.length - 1;
  };

  engine.addOperator('textEquals', (a: AttributeValue, b: string) => a !== undefined && a !== null && String(a).toLowerCase() === b);
  engine.addOperator('textEqualsCase', (a: AttributeValue, b: string) => a !== undefined && a !== null && String(a) === b);
  engine.addOperator('numberEquals', (a: AttributeValue, b: number) => toNum(a) === b);
  engine.addOperator('boolEquals', (a: AttributeValue, b: boolean) => toBoolean(a) === b);
  engine.addOperator('inSet', (a: AttributeValue, b: number) => sets[b]!(a));
  engine.addOperator('containsText', (a: AttributeValue, b: string[]) => {
    if (a === undefined || a === null) return false;
    const s = String(a).toLowerCase();
    for (const n of b) if (s.includes(n)) return true;
    return false;
  });
  engine.addOperator('containsTextCase', (a: AttributeValue, b: string[]) => {
    if (a === undefined || a === null) return false;
    const s = String(a);
    for (const n of b) if (s.includes(n)) return true;
    return false;
  });
  engine.addOperator('matchesRegex', (a: AttributeValue, b: string) => a !== undefined && a !== null && regexOf(b, 'i').test(String(a)));
  engine.addOperator('matchesRegexCase', (a: AttributeValue, b: string) => a !== undefined && a !== null && regexOf(b, '').test(String(a)));
  engine.addOperator('inRange', (a: AttributeValue, b: Range) => inRange(a, b));
  engine.addOperator('isPresent', (a: AttributeValue) => present(a));
  engine.addOperator('isMissing', (a: AttributeValue) => !present(a));
  engine.addOperator('countAtLeast', (a: EventSummary, b: number) => a.count >= b);

  const activityOf = (almanac: Almanac) => almanac.factValue<Activity>('activity');
  // Age of a date attribute (ms before now); undefined when it is not a date, which the built-in
  // numeric operators reject (so within / olderThan are false, as in the engine).
  engine.addFact(
    'attributeAgeMs',
    (params, almanac) =>
      activityOf(almanac).then((a) => {
        const t = toEpoch(a.attributes[params.attribute as string]);
        return t === undefined ? undefined : a.now - t;
      }),
    { cache: false },
  );

  /** A JS test of one value, for event properties (`where`) and for the same leaf semantics. */
  const valueTest = (spec: PropertyTest): ((v: AttributeValue, now: number) => boolean) => {
    if (typeof spec !== 'object' || spec === null) return equalsTest(spec, false);
    const t = spec as Test;
    const cs = t.caseSensitive === true;
    let base: (v: AttributeValue, now: number) => boolean;
    if (t.equals !== undefined) base = equalsTest(t.equals, cs);
    else if (t.in !== undefined) base = sets[setId(t.in, cs)]!;
    else if (t.inList !== undefined) base = sets[setId(config.lists[t.inList] ?? [], cs)]!;
    else if (t.contains !== undefined) {
      const needles = (Array.isArray(t.contains) ? t.contains : [t.contains]).map((n) => (cs ? n : n.toLowerCase()));
      base = (v) => {
        if (v === undefined || v === null) return false;
        const text = cs ? String(v) : String(v).toLowerCase();
        for (const n of needles) if (text.includes(n)) return true;
        return false;
      };
    } else if (t.regex !== undefined) {
      const re = regexOf(t.regex, cs ? '' : 'i');
      base = (v) => v !== undefined && v !== null && re.test(String(v));
    } else if (t.present) base = present;
    else if (t.missing) base = (v) => !present(v);
    else if (t.within !== undefined) {
      const w = t.within;
      base = (v, now) => {
        const at = toEpoch(v);
        return at !== undefined && now - at <= w;
      };
    } else if (t.olderThan !== undefined) {
      const w = t.olderThan;
      base = (v, now) => {
        const at = toEpoch(v);
        return at !== undefined && now - at > w;
      };
    } else {
      const r = rangeOf(t);
      base = (v) => inRange(v, r);
    }
    return t.not ? (v, now) => !base(v, now) : base;
  };

  /** One attribute test as a json-rules-engine condition. */
  const conditionOf = (c: AttributeCondition): Condition => {
    const cs = c.caseSensitive === true;
    const on = (operator: string, value: unknown): Condition => ({ fact: 'attributes', path: c.attribute, operator, value });
    let leaf: Condition;
    if (c.equals !== undefined) {
      const e = c.equals;
      leaf =
        typeof e === 'number' ? on('numberEquals', e)
        : typeof e === 'boolean' ? on('boolEquals', e)
        : cs ? on('textEqualsCase', e)
        : on('textEquals', e.toLowerCase());
    } else if (c.in !== undefined) leaf = on('inSet', setId(c.in, cs));
    else if (c.inList !== undefined) leaf = on('inSet', setId(config.lists[c.inList] ?? [], cs));
    else if (c.contains !== undefined) {
      const needles = Array.isArray(c.contains) ? c.contains : [c.contains];
      leaf = cs ? on('containsTextCase', needles) : on('containsText', needles.map((n) => n.toLowerCase()));
    } else if (c.regex !== undefined) leaf = on(cs ? 'matchesRegexCase' : 'matchesRegex', c.regex);
    else if (c.present) leaf = on('isPresent', true);
    else if (c.missing) leaf = on('isMissing', true);
    else if (c.within !== undefined) leaf = { fact: 'attributeAgeMs', params: { attribute: c.attribute }, operator: 'lessThanInclusive', value: c.within };
    else if (c.olderThan !== undefined) leaf = { fact: 'attributeAgeMs', params: { attribute: c.attribute }, operator: 'greaterThan', value: c.olderThan };
    else leaf = on('inRange', rangeOf(c));
    return c.not ? { not: leaf } : leaf;
  };

  const attributeConditions = (r: { attribute?: string; all?: AttributeCondition[]; any?: AttributeCondition[] }): TopLevelCondition => {
    if (r.all) return { all: r.all.map(conditionOf) } as TopLevelCondition;
    if (r.any) return { any: r.any.map(conditionOf) } as TopLevelCondition;
    const only = conditionOf(r as AttributeCondition);
    return (only.not ? only : { all: [only] }) as TopLevelCondition;
  };

  // Groups and their decay.
  const groups: GroupMeta[] = [];
  const groupIndex = new Map<string, number>();
  const groupDecay = new Map<string, Decay | undefined>();
  for (const part of ['fit', 'engagement'] as const) {
    for (const g of config[part].groups) {
      groupIndex.set(`${part}:${g.id}`, groups.length);
      groupDecay.set(`${part}:${g.id}`, g.decay);
      groups.push({ part, max: g.max ?? Infinity, best: g.pick === 'best' });
    }
  }

  const metas: RuleMeta[] = [];
  // Part and group of each rule, by rule index (the same data as the event params, for the summing loop).
  const rulePart: Part[] = [];
  const ruleGroup: number[] = [];
  const summary = { conditions: 0, eventFacts: 0, total: 0, unsupported: [] as string[] };
  const addRule = (part: Part, r: { id: string; points: number; max?: number; group?: string }, conditions: TopLevelCondition, meta: RuleMeta) => {
    const params: ScoreParams = {
      rule: metas.length,
      part,
      points: r.points,
      max: r.max ?? Infinity,
      group: r.group === undefined ? -1 : groupIndex.get(`${part}:${r.group}`)!,
    };
    metas.push(meta);
    rulePart.push(params.part);
    ruleGroup.push(params.group);
    engine.addRule({ name: r.id, conditions, event: { type: 'score', params: params as unknown as Record<string, unknown> } });
    summary.total++;
    if (meta.fromFact) summary.eventFacts++;
    else summary.conditions++;
  };

  /** The events of these types at or before now, in their original order. */
  const eventsOf = (a: Activity, types: readonly string[]): readonly LeadEvent[] => {
    if (types.length === 1) return a.byType.get(types[0]!) ?? [];
    const set = new Set(types);
    return a.events.filter((e) => set.has(e.type));
  };
  const matcherOf = (m: EventMatcher) => {
    const types = Array.isArray(m.event) ? m.event : [m.event];
    const tests = m.where ? Object.entries(m.where).map(([prop, spec]) => ({ prop, test: valueTest(spec) })) : [];
    // As in the engine, property tests see now = 0 (dates on event properties are not a scoring input).
    const where = (e: LeadEvent) => {
      for (const t of tests) if (!t.test(e.properties?.[t.prop], 0)) return false;
      return true;
    };
    return { types, where };
  };
  /** A dynamic fact computed from the lead's activity; used by one rule only, so not cached (no hashing). */
  const eventFact = (id: string, compute: (a: Activity) => EventSummary) => {
    engine.addFact(`rule:${id}`, (_params, almanac) => activityOf(almanac).then(compute), { cache: false });
  };
  const countAtLeast = (id: string, n: number) => ({ all: [{ fact: `rule:${id}`, operator: 'countAtLeast', value: n }] }) as TopLevelCondition;

  for (const r of config.fit.rules) {
    addRule('fit', r, attributeConditions(r), {
      fromFact: false,
      ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
    });
  }

  for (const r of config.engagement.rules) {
    const decay = makeDecay(
      'decay' in r && r.decay ? r.decay : ((r.group !== undefined ? groupDecay.get(`engagement:${r.group}`) : undefined) ?? config.engagement.decay),
    );
    if ('silence' in r) {
      const s = r.silence;
      const quietFor = s.for;
      const after = 'event' in s.after ? matcherOf(s.after) : undefined;
      const afterAttribute = 'attribute' in s.after ? s.after.attribute : undefined;
      const activityTypes = s.activity?.events ?? (s.activity?.attributes ? [] : null);
      const activityAttributes = s.activity?.attributes ?? [];
      eventFact(r.id, (a) => {
        let signal = -Infinity;
        if (afterAttribute !== undefined) signal = pastEpoch(a.attributes[afterAttribute], a.now);
        else if (after) for (const e of eventsOf(a, after.types)) if (e.at > signal && after.where(e)) signal = e.at;
        if (signal === -Infinity) return { count: 0, weight: 0 };
        let last = signal;
        if (activityTypes === null) last = Math.max(last, a.lastEventAt);
        else for (const type of activityTypes) for (const e of a.byType.get(type) ?? []) if (e.at > last) last = e.at;
        for (const attr of activityAttributes) last = Math.max(last, pastEpoch(a.attributes[attr], a.now));
        return a.now >= last + quietFor ? { count: 1, weight: 1 } : { count: 0, weight: 0 };
      });
      addRule('engagement', r, countAtLeast(r.id, 1), { fromFact: true });
    } else if ('sequence' in r) {
      const steps = r.sequence.map(matcherOf);
      const window = r.within;
      eventFact(r.id, (a) => {
        const times = steps.map((st) => eventsOf(a, st.types).filter(st.where).map((e) => e.at).sort((x, y) => x - y));
        const end = latestSequenceEnd(times, window);
        return end === undefined ? { count: 0, weight: 0 } : { count: 1, weight: decay(end, a.now) };
      });
      addRule('engagement', r, countAtLeast(r.id, 1), { fromFact: true });
    } else if ('event' in r) {
      const m = matcherOf(r);
      const window = r.within ?? Infinity;
      if (r.atLeast === undefined) {
        // Points per event, each decayed by its own age.
        eventFact(r.id, (a) => {
          let count = 0;
          let weight = 0;
          for (const e of eventsOf(a, m.types)) {
            if (!m.where(e) || a.now - e.at > window) continue;
            count++;
            weight += decay(e.at, a.now);
          }
          return { count, weight };
        });
        addRule('engagement', r, countAtLeast(r.id, 1), { fromFact: true });
      } else {
        // Fires once, decayed from the latest matching event.
        eventFact(r.id, (a) => {
          let count = 0;
          let latest = -Infinity;
          for (const e of eventsOf(a, m.types)) {
            if (!m.where(e) || a.now - e.at > window) continue;
            count++;
            if (e.at > latest) latest = e.at;
          }
          return { count, weight: count > 0 ? decay(latest, a.now) : 0 };
        });
        addRule('engagement', r, countAtLeast(r.id, r.atLeast), { fromFact: true });
      }
    } else {
      addRule('engagement', r, attributeConditions(r), {
        fromFact: false,
        ...(r.per !== undefined && r.attribute !== undefined ? { per: { attribute: r.attribute, per: r.per } } : {}),
        ...(r.at !== undefined ? { at: { attribute: r.at, decay } } : {}),
      });
    }
  }

  const n = metas.length;
  const values = new Float64Array(n);
  const groupRaw = new Float64Array(groups.length);
  const groupBest = new Int32Array(groups.length);
  const { thresholds, weights } = config;

  /** Sums the fired rules the way the engine's documentation says: caps, groups, parts, weights, tier. */
  const combine = (results: RuleResult[], attrs: Lead['attributes'], now: number): JreScore => {
    values.fill(0);
    for (const res of results) {
      const p = res.event!.params as unknown as ScoreParams;
      const meta = metas[p.rule]!;
      let v = p.points;
      if (meta.fromFact) {
        const fact = (res.conditions as unknown as { all: { factResult: EventSummary }[] }).all[0]!.factResult;
        v = p.points * fact.weight;
      } else {
        if (meta.per) {
          const x = toNum(attrs[meta.per.attribute]);
          v = x === undefined ? 0 : p.points * Math.floor(x / meta.per.per);
        }
        if (meta.at) {
          const at = pastEpoch(attrs[meta.at.attribute], now);
          if (at !== -Infinity) v = v * meta.at.decay(at, now);
        }
      }
      values[p.rule] = v > p.max ? p.max : v < -p.max ? -p.max : v;
    }
    // Rule order (not the order json-rules-engine resolved them in), so sums and ties are deterministic.
    groupRaw.fill(0);
    groupBest.fill(-1);
    let fitSum = 0;
    let engagementSum = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v === 0) continue;
      const g = ruleGroup[i]!;
      if (g < 0) {
        if (rulePart[i] === 'fit') fitSum += v;
        else engagementSum += v;
      } else if (groups[g]!.best) {
        const b = groupBest[g]!;
        if (b < 0 || v > values[b]!) groupBest[g] = i;
      } else groupRaw[g]! += v;
    }
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g]!;
      if (grp.best && groupBest[g]! >= 0) groupRaw[g] = values[groupBest[g]!]!;
      const raw = groupRaw[g]!;
      const capped = raw > grp.max ? grp.max : raw < -grp.max ? -grp.max : raw;
      if (grp.part === 'fit') fitSum += capped;
      else engagementSum += capped;
    }
    const fit = clampPart(fitSum);
    const engagement = clampPart(engagementSum);
    const score = clampPart(weights.fit * fit + weights.engagement * engagement);
    const tier = score >= thresholds.hot ? 'hot' : score >= thresholds.warm ? 'warm' : 'cold';
    return { score, fit, engagement, tier };
  };

  const score = (lead: Lead, now: number): Promise<JreScore> => {
    const activity = activityFor(lead, now);
    return engine.run({ activity, attributes: lead.attributes }).then(({ results }) => combine(results, lead.attributes, now));
  };

  return { engine, score, summary };
}

/** The per-lead runtime fact: past events by type, in their original order. */
function activityFor(lead: Lead, now: number): Activity {
  const byType = new Map<string, LeadEvent[]>();
  const events: LeadEvent[] = [];
  let lastEventAt = -Infinity;
  for (const e of lead.events) {
    if (!(e.at <= now)) continue;
    events.push(e);
    if (e.at > lastEventAt) lastEventAt = e.at;
    const list = byType.get(e.type);
    if (list) list.push(e);
    else byType.set(e.type, [e]);
  }
  return { now, attributes: lead.attributes, events, byType, lastEventAt };
}

/**
 * The latest time a sequence completes: for each candidate end (latest first), walk back greedily to
 * the latest earlier-or-equal time of each previous step; it counts when the chain spans at most
 * `window`. (A different algorithm from the engine's, on purpose: an independent check.)
 */
function latestSequenceEnd(times: number[][], window: number): number | undefined {
  const last = times[times.length - 1]!;
  for (let k = last.length - 1; k >= 0; k--) {
    let t = last[k]!;
    const end = t;
    let ok = true;
    for (let s = times.length - 2; s >= 0; s--) {
      const prev = latestAtOrBefore(times[s]!, t);
      if (prev === undefined) {
        ok = false;
        break;
      }
      t = prev;
    }
    if (!ok) return undefined; // an earlier end cannot find a chain either
    if (end - t <= window) return end;
  }
  return undefined;
}

function latestAtOrBefore(sorted: number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : sorted[lo - 1];
}

function equalsTest(expected: string | number | boolean, caseSensitive: boolean): (v: AttributeValue) => boolean {
  if (typeof expected === 'number') return (v) => toNum(v) === expected;
  if (typeof expected === 'boolean') return (v) => toBoolean(v) === expected;
  if (caseSensitive) return (v) => v !== undefined && v !== null && String(v) === expected;
  const lower = expected.toLowerCase();
  return (v) => v !== undefined && v !== null && String(v).toLowerCase() === lower;
}

function rangeOf(t: { between?: [number, number]; gte?: number; lte?: number; gt?: number; lt?: number }): Range {
  const r: Range = {};
  const lo = t.between?.[0] ?? t.gte;
  const hi = t.between?.[1] ?? t.lte;
  if (lo !== undefined) r.lo = lo;
  if (hi !== undefined) r.hi = hi;
  if (t.gt !== undefined) r.gt = t.gt;
  if (t.lt !== undefined) r.lt = t.lt;
  return r;
}

function clampPart(x: number): number {
  const r = Math.round(x);
  return r < 0 ? 0 : r > 100 ? 100 : r;
}
