import type { AttributeValue } from '../lead/lead';
import type { PropertyTest } from '../config/scoring-schema';

/** A compiled test on one value. `changeAt` tells when the outcome would flip by itself (date tests only). */
export interface ValueTest {
  (value: AttributeValue, now: number): boolean;
}

export interface CompiledValueTest {
  test: ValueTest;
  /** For date tests: the time the outcome flips, given the value; undefined otherwise. */
  changeAt?: (value: AttributeValue, now: number) => number | undefined;
}

type Test = Exclude<PropertyTest, string | number | boolean>;

/** Epoch ms from a number or a date string; undefined when it is not a date. */
export function toTime(value: AttributeValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value !== '') {
    if (/^\d{10,}$/.test(value)) return Number(value);
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export function toNumber(value: AttributeValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

export function isPresent(value: AttributeValue): boolean {
  return value !== undefined && value !== null && value !== '';
}

function toBool(value: AttributeValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true' || s === 'yes' || s === '1') return true;
    if (s === 'false' || s === 'no' || s === '0' || s === '') return false;
  }
  if (typeof value === 'number') return value !== 0;
  return undefined;
}

/** Builds an equality test against one expected value: strings ignore case unless asked, numbers and booleans convert. */
function equalsTo(expected: string | number | boolean, caseSensitive: boolean): (v: AttributeValue) => boolean {
  if (typeof expected === 'number') return (v) => toNumber(v) === expected;
  if (typeof expected === 'boolean') return (v) => toBool(v) === expected;
  if (caseSensitive) return (v) => v !== undefined && v !== null && String(v) === expected;
  const lower = expected.toLowerCase();
  return (v) => v !== undefined && v !== null && String(v).toLowerCase() === lower;
}

/** A set membership test; list entries like `*.example.com` match the domain and its sub-domains. */
function inSet(values: readonly (string | number | boolean)[], caseSensitive: boolean): (v: AttributeValue) => boolean {
  const norm = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const others: ((v: AttributeValue) => boolean)[] = [];
  for (const x of values) {
    if (typeof x !== 'string') others.push(equalsTo(x, caseSensitive));
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

/**
 * Compiles a value test from scoring.yaml (an attribute condition or an event-property test).
 * The schema guarantees exactly one operator (range operators count as one).
 */
export function compileValueTest(spec: PropertyTest, lists: Record<string, string[]>): CompiledValueTest {
  if (typeof spec !== 'object' || spec === null) {
    const eq = equalsTo(spec, false);
    return { test: (v) => eq(v) };
  }
  const t = spec as Test;
  const cs = t.caseSensitive === true;
  let base: ValueTest;
  let changeAt: CompiledValueTest['changeAt'];
  if (t.equals !== undefined) {
    const eq = equalsTo(t.equals, cs);
    base = (v) => eq(v);
  } else if (t.in !== undefined) {
    const m = inSet(t.in, cs);
    base = (v) => m(v);
  } else if (t.inList !== undefined) {
    const m = inSet(lists[t.inList] ?? [], cs);
    base = (v) => m(v);
  } else if (t.contains !== undefined) {
    const needles = (Array.isArray(t.contains) ? t.contains : [t.contains]).map((n) => (cs ? n : n.toLowerCase()));
    base = (v) => {
      if (v === undefined || v === null) return false;
      const s = cs ? String(v) : String(v).toLowerCase();
      for (const n of needles) if (s.includes(n)) return true;
      return false;
    };
  } else if (t.regex !== undefined) {
    const re = new RegExp(t.regex, cs ? '' : 'i');
    base = (v) => v !== undefined && v !== null && re.test(String(v));
  } else if (t.present) {
    base = (v) => isPresent(v);
  } else if (t.missing) {
    base = (v) => !isPresent(v);
  } else if (t.within !== undefined) {
    const w = t.within;
    base = (v, now) => {
      const at = toTime(v);
      return at !== undefined && now - at <= w;
    };
    changeAt = (v, now) => {
      const at = toTime(v);
      return at !== undefined && at + w >= now ? at + w + 1 : undefined;
    };
  } else if (t.olderThan !== undefined) {
    const w = t.olderThan;
    base = (v, now) => {
      const at = toTime(v);
      return at !== undefined && now - at > w;
    };
    changeAt = (v, now) => {
      const at = toTime(v);
      return at !== undefined && at + w >= now ? at + w + 1 : undefined;
    };
  } else {
    const lo = t.between?.[0] ?? t.gte;
    const hi = t.between?.[1] ?? t.lte;
    const { gt, lt } = t;
    base = (v) => {
      const n = toNumber(v);
      if (n === undefined) return false;
      if (lo !== undefined && n < lo) return false;
      if (hi !== undefined && n > hi) return false;
      if (gt !== undefined && n <= gt) return false;
      if (lt !== undefined && n >= lt) return false;
      return true;
    };
  }
  const test: ValueTest = t.not ? (v, now) => !base(v, now) : base;
  return changeAt ? { test, changeAt } : { test };
}
