import type { Lead } from '../lead/lead';
import type { CompiledModel } from './compile-model';
import type { CompiledDecay } from './decay';
import type { Reason, ScoreResult, Tier } from './types';
import { toNumber, toTime } from './value-test';

/**
 * The most evaluations spent looking for `nextChangeAt` beyond the first. Past that the engine
 * answers the last change point it reached: an early rescoring is harmless (nothing is written when
 * nothing changed), a late one is not.
 */
export const MAX_LOOKAHEAD = 40;

let evaluations = 0;
/** How many model evaluations the engine has run in this process (benchmarks read it). */
export function evaluationCount(): number {
  return evaluations;
}

/** Per-model scratch space, reused between calls (the engine is synchronous, so one set suffices). */
interface Scratch {
  lists: Float64Array[];
  lens: Int32Array;
  inOrder: Uint8Array;
  listMax: Float64Array;
  latest: Float64Array;
  /** Rule values at now (the base), and at the lookahead's current, probed, low and high instants. */
  value: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  low: Float64Array;
  high: Float64Array;
  mid: Float64Array;
  seqEnd: Float64Array;
  groupRaw: Float64Array;
  groupBest: Int32Array;
  /** Filled by `ruleValues`: when the values change next by themselves. */
  nextStructural: number;
  nextDecay: number;
  decayStep: number;
}

const scratchByModel = new WeakMap<CompiledModel, Scratch>();

function scratchFor(model: CompiledModel): Scratch {
  let s = scratchByModel.get(model);
  if (!s) {
    s = {
      lists: Array.from({ length: model.timeSlots }, () => new Float64Array(64)),
      lens: new Int32Array(model.timeSlots),
      inOrder: new Uint8Array(model.timeSlots),
      listMax: new Float64Array(model.timeSlots),
      latest: new Float64Array(model.latestSlots),
      value: new Float64Array(model.rules.length),
      lo: new Float64Array(model.rules.length),
      hi: new Float64Array(model.rules.length),
      low: new Float64Array(model.rules.length),
      high: new Float64Array(model.rules.length),
      mid: new Float64Array(model.rules.length),
      nextStructural: Infinity,
      nextDecay: Infinity,
      decayStep: Infinity,
      seqEnd: new Float64Array(model.rules.length),
      groupRaw: new Float64Array(model.groups.length),
      groupBest: new Int32Array(model.groups.length),
    };
    scratchByModel.set(model, s);
  }
  return s;
}

/** What the CRM shows for a set of rule values. */
interface Outcome {
  fit: number;
  engagement: number;
  score: number;
}


/**
 * Scores one lead with a compiled model at `now` (epoch ms). Pure and deterministic: the same lead,
 * model and `now` always give the same result; the clock is never read. Events after `now` do not count.
 */
export function scoreLead(model: CompiledModel, lead: Lead, now: number): ScoreResult {
  const s = scratchFor(model);
  const lastEventAt = matchEvents(model, s, lead, now);
  ruleValues(model, s, lead, now, now, lastEventAt, s.value, null);
  const first = combine(model, s, s.value);
  const reasons = reasonsOf(model, s);
  const tier: Tier = first.score >= model.thresholds.hot ? 'hot' : first.score >= model.thresholds.warm ? 'warm' : 'cold';
  return {
    score: first.score,
    fit: first.fit,
    engagement: first.engagement,
    tier,
    lifecycle: lifecycleOf(model, first.score),
    reasons,
    model: model.id,
    nextChangeAt: firstChange(model, s, lead, now, lastEventAt, first),
  };
}

function lifecycleOf(model: CompiledModel, score: number): ScoreResult['lifecycle'] {
  const { mql, sql } = model.lifecycle;
  if (sql !== undefined && score >= sql) return 'SQL';
  if (mql !== undefined && score >= mql) return 'MQL';
  return null;
}

/**
 * The one pass over the events: each event goes only to the listeners of its type; each distinct
 * property test runs once per event (and, memoised, once per distinct value). Matching times land in
 * the rules' slots. Returns the time of the latest event (for "any activity").
 */
function matchEvents(model: CompiledModel, s: Scratch, lead: Lead, now: number): number {
  s.lens.fill(0);
  s.inOrder.fill(1);
  s.listMax.fill(-Infinity);
  s.latest.fill(-Infinity);
  let lastEventAt = -Infinity;
  const plans = model.plans;
  const { lists, lens, inOrder, listMax, latest } = s;
  const events = lead.events;
  for (let ei = 0; ei < events.length; ei++) {
    const e = events[ei]!;
    const at = e.at;
    if (!(at <= now)) continue;
    if (at > lastEventAt) lastEventAt = at;
    const plan = plans.get(e.type);
    if (plan === undefined) continue;
    const { where, slot, latest: isLatest } = plan;
    const mask = plan.wheres.length === 0 ? 0 : plan.mask(e.properties);
    for (let i = 0; i < slot.length; i++) {
      const w = where[i]!;
      if (w >= 0 && ((mask >>> w) & 1) === 0) continue;
      const sl = slot[i]!;
      if (isLatest[i] === 1) {
        if (at > latest[sl]!) latest[sl] = at;
        continue;
      }
      let list = lists[sl]!;
      const n = lens[sl]!;
      if (n === list.length) {
        const grown = new Float64Array(n * 2);
        grown.set(list);
        lists[sl] = list = grown;
      }
      list[n] = at;
      lens[sl] = n + 1;
      if (at < listMax[sl]!) inOrder[sl] = 0;
      else listMax[sl] = at;
    }
  }
  for (const sl of model.sortedSlots) {
    if (inOrder[sl] === 0) lists[sl]!.subarray(0, lens[sl]).sort();
  }
  for (const rule of model.rules) {
    if (rule.kind === 'sequence') s.seqEnd[rule.index] = sequenceEnd(s, rule.firstTimeSlot, rule.steps, rule.window);
  }
  return lastEventAt;
}

function share(d: CompiledDecay, at: number, t: number): number {
  if (!d.decays) return 1;
  const k = Math.floor(t / d.step) - Math.floor(at / d.step);
  return k <= 0 ? 1 : k < d.shares.length ? d.shares[k]! : 0;
}

/** A date attribute as epoch ms if it was in the past at `now`; -Infinity otherwise. */
function pastTime(value: Lead['attributes'][string], now: number): number {
  const t = toTime(value);
  return t !== undefined && t <= now ? t : -Infinity;
}

/** First index of a sorted list holding a value >= x. */
function lowerBound(list: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Computes every rule's value (after decay and its own cap) at instant `t`, over the events matched
 * at `now` (t ≥ now), into `out`; records in the scratch when the values next change by themselves.
 * With `base`, rules whose value cannot change with time are copied from it instead of recomputed.
 */
function ruleValues(model: CompiledModel, s: Scratch, lead: Lead, now: number, t: number, lastEventAt: number, out: Float64Array, base: Float64Array | null): void {
  evaluations++;
  const { rules } = model;
  const attrs = lead.attributes;
  s.nextStructural = Infinity;
  s.nextDecay = Infinity;
  s.decayStep = Infinity;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (base !== null && rule.constant) {
      out[r] = base[r]!;
      continue;
    }
    let v = 0;
    let datedAt = -Infinity;
    switch (rule.kind) {
      case 'eachEvent': {
        const n = s.lens[rule.timeSlot]!;
        if (n === 0) break;
        const list = s.lists[rule.timeSlot]!;
        const d = rule.decay;
        const from = rule.window === Infinity ? -Infinity : t - rule.window;
        let sum = 0;
        let earliest = Infinity;
        if (d.decays) {
          const step = d.step;
          const tk = Math.floor(t / step);
          const shares = d.shares;
          const len = shares.length;
          for (let i = 0; i < n; i++) {
            const at = list[i]!;
            if (at < from) continue;
            const k = tk - Math.floor(at / step);
            sum += k <= 0 ? 1 : k < len ? shares[k]! : 0;
            if (at < earliest) earliest = at;
          }
        } else {
          for (let i = 0; i < n; i++) {
            const at = list[i]!;
            if (at < from) continue;
            sum += 1;
            if (at < earliest) earliest = at;
          }
        }
        v = rule.points * sum;
        if (rule.window !== Infinity && earliest !== Infinity && earliest + rule.window + 1 < s.nextStructural) s.nextStructural = earliest + rule.window + 1;
        datedAt = s.listMax[rule.timeSlot]!;
        break;
      }
      case 'countEvents': {
        const n = s.lens[rule.timeSlot]!;
        if (n < rule.atLeast) break;
        const list = s.lists[rule.timeSlot]!;
        if (rule.window !== Infinity) {
          const start = lowerBound(list, n, t - rule.window);
          const count = n - start;
          if (count < rule.atLeast) break;
          // It stops firing when the (count - atLeast + 1)-th oldest counted event leaves the window.
          const stops = list[start + count - rule.atLeast]! + rule.window + 1;
          if (stops < s.nextStructural) s.nextStructural = stops;
        }
        datedAt = s.listMax[rule.timeSlot]!;
        v = rule.points * share(rule.decay, datedAt, t);
        break;
      }
      case 'sequence': {
        datedAt = s.seqEnd[r]!;
        if (datedAt !== -Infinity) v = rule.points * share(rule.decay, datedAt, t);
        break;
      }
      case 'silence': {
        const signal = rule.afterSlot >= 0 ? s.latest[rule.afterSlot]! : pastTime(attrs[rule.afterAttribute!], now);
        if (signal === -Infinity) break;
        let lastActivity = Math.max(signal, rule.activitySlot >= 0 ? s.latest[rule.activitySlot]! : lastEventAt);
        for (const a of rule.activityAttributes) lastActivity = Math.max(lastActivity, pastTime(attrs[a], now));
        const breaks = lastActivity + rule.quietFor;
        if (t >= breaks) v = rule.points;
        else if (breaks < s.nextStructural) s.nextStructural = breaks;
        break;
      }
      case 'attribute': {
        if (rule.timeDependent) {
          const change = rule.condition.changeAt(attrs, t);
          if (change < s.nextStructural) s.nextStructural = change;
        }
        if (!rule.condition.holds(attrs, t)) break;
        v = rule.points;
        if (rule.per) {
          const x = toNumber(attrs[rule.per.attribute]);
          v = x === undefined ? 0 : rule.points * Math.floor(x / rule.per.per);
        }
        if (rule.at !== undefined) {
          datedAt = pastTime(attrs[rule.at], now);
          if (datedAt !== -Infinity) v *= share(rule.decay, datedAt, t);
        }
        break;
      }
    }
    // The next decay step that shrinks this rule's value (its newest signal decays last).
    const d = rule.decay;
    if (v !== 0 && d.decays && datedAt !== -Infinity && Math.floor(t / d.step) - Math.floor(datedAt / d.step) < d.shares.length) {
      const next = (Math.floor(t / d.step) + 1) * d.step;
      if (next < s.nextDecay) s.nextDecay = next;
      if (d.step < s.decayStep) s.decayStep = d.step;
    }
    out[r] = v > rule.max ? rule.max : v < -rule.max ? -rule.max : v;
  }
}

/**
 * Combines rule values into what the CRM shows: groups summed (or their best rule kept) and capped,
 * parts clamped to 0–100, the weighted score. Every step is non-decreasing in each rule value.
 */
function combine(model: CompiledModel, s: Scratch, values: Float64Array): Outcome {
  const { rules, groups } = model;
  const { groupRaw, groupBest } = s;
  groupRaw.fill(0);
  groupBest.fill(-1);
  let fitRaw = 0;
  let engagementRaw = 0;
  for (let r = 0; r < rules.length; r++) {
    const v = values[r]!;
    if (v === 0) continue;
    const rule = rules[r]!;
    if (rule.group < 0) {
      if (rule.part === 'fit') fitRaw += v;
      else engagementRaw += v;
    } else if (groups[rule.group]!.best) {
      const b = groupBest[rule.group]!;
      if (b < 0 || v > values[b]!) groupBest[rule.group] = r;
    } else groupRaw[rule.group]! += v;
  }
  for (const g of groups) {
    if (g.best && groupBest[g.index]! >= 0) groupRaw[g.index] = values[groupBest[g.index]!]!;
    const raw = groupRaw[g.index]!;
    const capped = raw > g.max ? g.max : raw < -g.max ? -g.max : raw;
    if (g.part === 'fit') fitRaw += capped;
    else engagementRaw += capped;
  }
  const fit = clampPart(fitRaw);
  const engagement = clampPart(engagementRaw);
  return { fit, engagement, score: clampPart(model.weights.fit * fit + model.weights.engagement * engagement) };
}

function clampPart(x: number): number {
  const r = Math.round(x);
  return r < 0 ? 0 : r > 100 ? 100 : r;
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.score === b.score && a.fit === b.fit && a.engagement === b.engagement;
}

/**
 * True when nothing the CRM shows can differ from `base` anywhere between two instants with no
 * structural change in between. Decay moves each rule's value monotonically toward zero, and
 * `combine` is non-decreasing in every value, so the outcomes of the element-wise minimum and
 * maximum of the two instants' values bound every outcome in between.
 */
function unchangedBetween(model: CompiledModel, s: Scratch, a: Float64Array, b: Float64Array, base: Outcome): boolean {
  const { low, high } = s;
  for (let r = 0; r < a.length; r++) {
    const x = a[r]!;
    const y = b[r]!;
    low[r] = x < y ? x : y;
    high[r] = x < y ? y : x;
  }
  return sameOutcome(combine(model, s, low), base) && sameOutcome(combine(model, s, high), base);
}

/**
 * The first instant after `now` at which score, fit or engagement differ from now's, or null when
 * they never will. Structural changes (a window closing, a silence starting, a date test flipping)
 * are examined one by one. Between them only decay moves values, on a grid of steps: the search
 * gallops ahead (1, 2, 4, … steps), proving whole stretches unchanged with `unchangedBetween`, and
 * bisects a stretch that may hold a change down to the single step where it happens.
 */
function firstChange(model: CompiledModel, s: Scratch, lead: Lead, now: number, lastEventAt: number, base: Outcome): number | null {
  let budget = MAX_LOOKAHEAD;
  let t = now;
  let lo = s.lo;
  let hi = s.hi;
  let swap: Float64Array;
  lo.set(s.value);
  let S = s.nextStructural;
  let D = s.nextDecay;
  let step = s.decayStep;
  const valuesAt = (time: number, into: Float64Array) => {
    budget--;
    ruleValues(model, s, lead, now, time, lastEventAt, into, s.value);
  };
  while (budget > 0) {
    if (S === Infinity && D === Infinity) return null;
    if (D >= S) {
      // A structural change comes first: look at it.
      valuesAt(S, hi);
      if (!sameOutcome(combine(model, s, hi), base)) return S;
      t = S;
      swap = lo;
        lo = hi;
        hi = swap;
      S = s.nextStructural;
      D = s.nextDecay;
      step = s.decayStep;
      continue;
    }
    // Only decay moves values in [D, S): gallop over the grid from t.
    let found = -1;
    for (let j = 1; budget > 0; j *= 2) {
      const probe = Math.min(D + (j - 1) * step, S - 1);
      if (probe <= t) break;
      valuesAt(probe, hi);
      const nextDecay = s.nextDecay;
      if (unchangedBetween(model, s, lo, hi, base)) {
        t = probe;
        swap = lo;
        lo = hi;
        hi = swap;
        D = nextDecay;
        if (D === Infinity || probe === S - 1) break;
        continue;
      }
      // A change lies in (t, probe]: bisect down to one step. lo holds the values at a, hi at b.
      let a = t;
      let b = probe;
      let mid = s.mid;
      while (budget > 0 && b - a > step) {
        const m = Math.max(a + 1, Math.floor((a + (b - a) / 2) / step) * step);
        if (m >= b || m <= a) break;
        valuesAt(m, mid);
        swap = mid;
        if (unchangedBetween(model, s, lo, mid, base)) {
          a = m;
          mid = lo;
          lo = swap;
        } else {
          b = m;
          mid = hi;
          hi = swap;
        }
      }
      // Values are constant between grid points: the change can only be at the first grid point after a.
      const first = Math.min((Math.floor(a / step) + 1) * step, b);
      let outcome: Outcome;
      if (first === b) outcome = combine(model, s, hi);
      else {
        if (budget <= 0) return first;
        valuesAt(first, hi);
        outcome = combine(model, s, hi);
      }
      if (!sameOutcome(outcome, base)) found = first;
      else {
        t = first;
        swap = lo;
        lo = hi;
        hi = swap;
        D = t === b ? (Math.floor(t / step) + 1) * step : s.nextDecay;
      }
      break;
    }
    if (found >= 0) return found;
    if (budget <= 0) break;
    if (t >= S - 1 || D >= S) {
      // Decay is done before S (or t reached it): S is next.
      D = Math.max(D, S);
      if (S === Infinity) return null;
    }
  }
  // Out of budget: answer the next instant something changes (never later than the real change).
  const next = Math.min(S, D);
  return next === Infinity ? null : Math.max(next, t + 1);
}

/**
 * The latest time at which the steps of a sequence complete in order, the last within `window` of
 * the first; -Infinity when they never do. Each step's times are sorted; for every match of a step
 * the latest possible start of a chain ending there is carried forward.
 */
function sequenceEnd(s: Scratch, first: number, steps: number, window: number): number {
  let prevTimes = s.lists[first]!;
  let prevN = s.lens[first]!;
  if (prevN === 0) return -Infinity;
  let prevStarts: Float64Array = prevTimes;
  for (let i = 1; i < steps; i++) {
    const cur = s.lists[first + i]!;
    const n = s.lens[first + i]!;
    if (n === 0) return -Infinity;
    const starts = new Float64Array(n);
    let j = 0;
    let bestStart = -Infinity;
    for (let k = 0; k < n; k++) {
      const t = cur[k]!;
      while (j < prevN && prevTimes[j]! <= t) {
        if (prevStarts[j]! > bestStart) bestStart = prevStarts[j]!;
        j++;
      }
      starts[k] = bestStart;
    }
    prevTimes = cur;
    prevN = n;
    prevStarts = starts;
  }
  for (let k = prevN - 1; k >= 0; k--) {
    if (prevStarts[k]! !== -Infinity && prevTimes[k]! - prevStarts[k]! <= window) return prevTimes[k]!;
  }
  return -Infinity;
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
  return reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || b.points - a.points || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
