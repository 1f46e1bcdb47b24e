import type { Lead } from '../lead/lead';
import type { CompiledModel, CompiledRule } from './compile-model';
import type { Reason, ScoreResult, Tier } from './types';
import { toNumber, toTime } from './value-test';

/**
 * How many future change points `scoreLead` examines to find the first one at which the score
 * really changes. Past that it answers the last one examined: an early rescoring is harmless
 * (nothing is written when nothing changed), a late one is not.
 */
const LOOKAHEAD = 32;

/** Per-model scratch space, reused between calls (the engine is synchronous, so one set suffices). */
interface Scratch {
  sum: Float64Array;
  count: Int32Array;
  latest: Float64Array;
  earliest: Float64Array;
  activity: Float64Array;
  value: Float64Array;
  times: number[][];
  groupRaw: Float64Array;
  groupBest: Int32Array;
}

const scratchByModel = new WeakMap<CompiledModel, Scratch>();

function scratchFor(model: CompiledModel): Scratch {
  let s = scratchByModel.get(model);
  if (!s) {
    const n = model.rules.length;
    s = {
      sum: new Float64Array(n),
      count: new Int32Array(n),
      latest: new Float64Array(n),
      earliest: new Float64Array(n),
      activity: new Float64Array(n),
      value: new Float64Array(n),
      times: Array.from({ length: model.timeSlots }, () => []),
      groupRaw: new Float64Array(model.groups.length),
      groupBest: new Int32Array(model.groups.length),
    };
    scratchByModel.set(model, s);
  }
  return s;
}

interface Evaluation {
  fit: number;
  engagement: number;
  score: number;
  tier: Tier;
  reasons: Reason[];
  /** The earliest future instant at which any contribution changes (Infinity: none). */
  next: number;
}

const byNumber = (a: number, b: number) => a - b;

/**
 * Scores one lead with a compiled model at `now` (epoch ms). Pure and deterministic: the same lead,
 * model and `now` always give the same result; the clock is never read.
 */
export function scoreLead(model: CompiledModel, lead: Lead, now: number): ScoreResult {
  const first = evaluate(model, lead, now, true);
  let at = first.next;
  for (let i = 0; i < LOOKAHEAD && at !== Infinity; i++) {
    const later = evaluate(model, lead, at, false);
    if (later.score !== first.score || later.fit !== first.fit || later.engagement !== first.engagement) break;
    at = later.next;
  }
  return {
    score: first.score,
    fit: first.fit,
    engagement: first.engagement,
    tier: first.tier,
    lifecycle: lifecycleOf(model, first.score),
    reasons: first.reasons,
    model: model.id,
    nextChangeAt: at === Infinity ? null : at,
  };
}

function lifecycleOf(model: CompiledModel, score: number): ScoreResult['lifecycle'] {
  const { mql, sql } = model.lifecycle;
  if (sql !== undefined && score >= sql) return 'SQL';
  if (mql !== undefined && score >= mql) return 'MQL';
  return null;
}

function evaluate(model: CompiledModel, lead: Lead, now: number, withReasons: boolean): Evaluation {
  const { rules } = model;
  const n = rules.length;
  const s = scratchFor(model);
  s.sum.fill(0);
  s.count.fill(0);
  s.latest.fill(-Infinity);
  s.earliest.fill(Infinity);
  s.activity.fill(-Infinity);
  for (const t of s.times) t.length = 0;

  // One pass over the events: each event goes only to the rules that listen to its type.
  let lastEventAt = -Infinity;
  const consumersByType = model.consumersByType;
  for (const e of lead.events) {
    const at = e.at;
    if (!(at <= now)) continue; // future (or undated) events do not count yet
    if (at > lastEventAt) lastEventAt = at;
    const consumers = consumersByType.get(e.type);
    if (consumers === undefined) continue;
    for (const c of consumers) {
      if (c.where !== null && !c.where(e.properties)) continue;
      const r = c.rule;
      if (c.role === 'count') {
        const rule = rules[r]!;
        if (now - at > (rule as { window: number }).window) continue;
        if (rule.kind === 'eachEvent') s.sum[r]! += rule.decay.factor(at, now);
        else s.count[r]!++;
        if (at > s.latest[r]!) s.latest[r] = at;
        if (at < s.earliest[r]!) s.earliest[r] = at;
        if (c.slot >= 0) s.times[c.slot]!.push(at);
      } else if (c.role === 'step') {
        s.times[c.slot]!.push(at);
      } else if (c.role === 'after') {
        if (at > s.latest[r]!) s.latest[r] = at;
      } else if (at > s.activity[r]!) {
        s.activity[r] = at;
      }
    }
  }
  for (const r of model.anyEventSilence) s.activity[r] = lastEventAt;

  // Each rule's value (after decay and its own cap) and the next time it changes by itself.
  let next = Infinity;
  const attrs = lead.attributes;
  for (let r = 0; r < n; r++) {
    const rule = rules[r]!;
    const [v, change] = ruleValue(rule, s, r, attrs, now);
    s.value[r] = v > rule.max ? rule.max : v < -rule.max ? -rule.max : v;
    if (change < next) next = change;
  }

  // Groups: sum (or keep the best rule), then cap.
  const { groups } = model;
  s.groupRaw.fill(0);
  s.groupBest.fill(-1);
  const parts = { fit: 0, engagement: 0 };
  for (let r = 0; r < n; r++) {
    const v = s.value[r]!;
    if (v === 0) continue;
    const rule = rules[r]!;
    if (rule.group < 0) parts[rule.part] += v;
    else if (groups[rule.group]!.best) {
      const b = s.groupBest[rule.group]!;
      if (b < 0 || v > s.value[b]!) s.groupBest[rule.group] = r;
    } else s.groupRaw[rule.group]! += v;
  }
  for (const g of groups) {
    if (g.best && s.groupBest[g.index]! >= 0) s.groupRaw[g.index] = s.value[s.groupBest[g.index]!]!;
    const raw = s.groupRaw[g.index]!;
    parts[g.part] += raw > g.max ? g.max : raw < -g.max ? -g.max : raw;
  }

  const fit = clampPart(parts.fit);
  const engagement = clampPart(parts.engagement);
  const score = clampPart(model.weights.fit * fit + model.weights.engagement * engagement);
  const tier: Tier = score >= model.thresholds.hot ? 'hot' : score >= model.thresholds.warm ? 'warm' : 'cold';
  return { fit, engagement, score, tier, reasons: withReasons ? reasonsOf(model, s) : [], next };
}

function clampPart(x: number): number {
  const r = Math.round(x);
  return r < 0 ? 0 : r > 100 ? 100 : r;
}

/** The value of one rule (before its cap) and when it would change by itself. */
function ruleValue(
  rule: CompiledRule,
  s: Scratch,
  r: number,
  attrs: Lead['attributes'],
  now: number,
): [value: number, changeAt: number] {
  switch (rule.kind) {
    case 'eachEvent': {
      if (s.latest[r] === -Infinity) return [0, Infinity];
      let change = rule.decay.nextChange(s.latest[r]!, now) ?? Infinity;
      if (rule.window !== Infinity) change = Math.min(change, s.earliest[r]! + rule.window + 1);
      return [rule.points * s.sum[r]!, change];
    }
    case 'countEvents': {
      const count = s.count[r]!;
      if (count < rule.atLeast) return [0, Infinity];
      const latest = s.latest[r]!;
      let change = rule.decay.nextChange(latest, now) ?? Infinity;
      if (rule.window !== Infinity) {
        // It stops firing when the (count - atLeast + 1)-th oldest event leaves the window.
        const times = s.times[rule.slot]!;
        times.sort(byNumber);
        change = Math.min(change, times[count - rule.atLeast]! + rule.window + 1);
      }
      return [rule.points * rule.decay.factor(latest, now), change];
    }
    case 'sequence': {
      const end = sequenceEnd(s.times, rule.firstStepSlot, rule.steps, rule.window);
      if (end === undefined) return [0, Infinity];
      return [rule.points * rule.decay.factor(end, now), rule.decay.nextChange(end, now) ?? Infinity];
    }
    case 'silence': {
      const signal = rule.afterAttribute !== undefined ? pastTime(attrs[rule.afterAttribute], now) : s.latest[r]!;
      if (signal === -Infinity) return [0, Infinity];
      let lastActivity = Math.max(signal, s.activity[r]!);
      for (const a of rule.activityAttributes) lastActivity = Math.max(lastActivity, pastTime(attrs[a], now));
      const breaks = lastActivity + rule.quietFor;
      return now >= breaks ? [rule.points, Infinity] : [0, breaks];
    }
    case 'attribute': {
      const change = rule.condition.changeAt(attrs, now);
      if (!rule.condition.holds(attrs, now)) return [0, change];
      let value = rule.points;
      if (rule.per) {
        const x = toNumber(attrs[rule.per.attribute]);
        value = x === undefined ? 0 : rule.points * Math.floor(x / rule.per.per);
      }
      if (rule.at === undefined) return [value, change];
      const at = pastTime(attrs[rule.at], now);
      if (at === -Infinity) return [value, change];
      return [value * rule.decay.factor(at, now), Math.min(change, rule.decay.nextChange(at, now) ?? Infinity)];
    }
  }
}

/** A date attribute as epoch ms if it is in the past (or now); -Infinity otherwise. */
function pastTime(value: Lead['attributes'][string], now: number): number {
  const t = toTime(value);
  return t !== undefined && t <= now ? t : -Infinity;
}

/**
 * The latest time at which the steps of a sequence complete in order, the last within `window` of
 * the first; undefined when they never do. Each step's times are sorted, then for every match of a
 * step the latest possible start of a chain ending there is carried forward.
 */
function sequenceEnd(times: number[][], first: number, steps: number, window: number): number | undefined {
  let prevTimes = times[first]!.sort(byNumber);
  let prevStarts: number[] = prevTimes;
  for (let i = 1; i < steps; i++) {
    const cur = times[first + i]!.sort(byNumber);
    const starts: number[] = new Array(cur.length);
    let j = 0;
    let bestStart = -Infinity;
    for (let k = 0; k < cur.length; k++) {
      const t = cur[k]!;
      while (j < prevTimes.length && prevTimes[j]! <= t) {
        if (prevStarts[j]! > bestStart) bestStart = prevStarts[j]!;
        j++;
      }
      starts[k] = bestStart;
    }
    prevTimes = cur;
    prevStarts = starts;
  }
  for (let k = prevTimes.length - 1; k >= 0; k--) {
    if (prevStarts[k]! !== -Infinity && prevTimes[k]! - prevStarts[k]! <= window) return prevTimes[k];
  }
  return undefined;
}

function reasonsOf(model: CompiledModel, s: Scratch): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of model.rules) {
    const v = s.value[rule.index]!;
    if (v === 0) continue;
    if (rule.group >= 0 && model.groups[rule.group]!.best && s.groupBest[rule.group] !== rule.index) continue;
    const points = Math.round(v);
    if (points !== 0) reasons.push({ rule: rule.id, label: rule.label, points, part: rule.part });
  }
  for (const g of model.groups) {
    const raw = s.groupRaw[g.index]!;
    const capped = raw > g.max ? g.max : raw < -g.max ? -g.max : raw;
    const points = Math.round(capped - raw);
    if (points !== 0) reasons.push({ rule: `group:${g.id}`, label: `${g.label} capped at ${g.max}`, points, part: g.part });
  }
  return reasons.sort(
    (a, b) => Math.abs(b.points) - Math.abs(a.points) || b.points - a.points || a.label.localeCompare(b.label),
  );
}
