/**
 * WHERE clauses compiled to predicates over rows. Literals are checked against the field's type the
 * way SOQL checks them (a quoted date-time is an error, not a string), string comparisons ignore
 * case, `!=` and `NOT IN` match nulls, date functions (TODAY, LAST_N_DAYS:n, …) are UTC day ranges.
 */
import { to18 } from '../ids';
import { isTextType, type FieldDef, type FieldValue } from '../schema/field';
import { parseDateTime, toSecond } from '../schema/values';
import type { Row } from '../store/table';
import type { Comparison, Condition, Literal } from './parser';
import { getter, resolvePath, type QueryEnv, type ResolvedPath } from './resolve';
import { soqlError } from './soql-error';
import type { ObjectSchema } from '../store/object-schema';

export type Predicate = (row: Row) => boolean;

/** Runs a semi-join subquery and returns the values it selects. */
export type SemiJoinRunner = (cond: Extract<Condition, { kind: 'semijoin' }>) => Set<string>;

const TYPE_WORD: Partial<Record<FieldDef['type'], string>> = {
  boolean: 'boolean',
  int: 'integer',
  double: 'double',
  currency: 'double',
  percent: 'double',
  date: 'date',
  datetime: 'dateTime',
};

/** A literal read for a field: a comparable value, or a [start, end) range for date functions. */
type Operand = { kind: 'value'; value: FieldValue } | { kind: 'range'; start: number | string; end: number | string };

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function dayRange(env: QueryEnv, name: string, n = 0): [number, number] {
  const today = startOfDay(env.now);
  const d = new Date(today);
  const monthStart = (offset: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const yearStart = (offset: number) => Date.UTC(d.getUTCFullYear() + offset, 0, 1);
  const weekStart = today - d.getUTCDay() * DAY;
  switch (name) {
    case 'TODAY': return [today, today + DAY];
    case 'YESTERDAY': return [today - DAY, today];
    case 'TOMORROW': return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS': return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS': return [today + DAY, today + (n + 1) * DAY];
    case 'N_DAYS_AGO': return [today - n * DAY, today - (n - 1) * DAY];
    case 'LAST_90_DAYS': return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS': return [today + DAY, today + 91 * DAY];
    case 'THIS_WEEK': return [weekStart, weekStart + 7 * DAY];
    case 'LAST_WEEK': return [weekStart - 7 * DAY, weekStart];
    case 'NEXT_WEEK': return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'LAST_N_WEEKS': return [weekStart - n * 7 * DAY, weekStart];
    case 'NEXT_N_WEEKS': return [weekStart + 7 * DAY, weekStart + (n + 1) * 7 * DAY];
    case 'THIS_MONTH': return [monthStart(0), monthStart(1)];
    case 'LAST_MONTH': return [monthStart(-1), monthStart(0)];
    case 'NEXT_MONTH': return [monthStart(1), monthStart(2)];
    case 'LAST_N_MONTHS': return [monthStart(-n), monthStart(0)];
    case 'NEXT_N_MONTHS': return [monthStart(1), monthStart(n + 1)];
    case 'N_MONTHS_AGO': return [monthStart(-n), monthStart(-n + 1)];
    case 'THIS_YEAR': return [yearStart(0), yearStart(1)];
    case 'LAST_YEAR': return [yearStart(-1), yearStart(0)];
    case 'NEXT_YEAR': return [yearStart(1), yearStart(2)];
    case 'LAST_N_YEARS': return [yearStart(-n), yearStart(0)];
    case 'NEXT_N_YEARS': return [yearStart(1), yearStart(n + 1)];
    default: return [today, today + DAY];
  }
}

/** Checks a literal against a field's type and reads it. */
export function operand(env: QueryEnv, field: FieldDef, lit: Literal): Operand {
  const wrongType = (quoted: boolean) =>
    soqlError(
      'INVALID_FIELD',
      env.soql,
      lit.pos,
      quoted
        ? `value of filter criterion for field '${field.name}' must be of type ${TYPE_WORD[field.type] ?? 'string'} and should not be enclosed in quotes`
        : `value of filter criterion for field '${field.name}' must be of type ${TYPE_WORD[field.type] ?? 'string'} and should be enclosed in quotes`,
    );
  if (lit.kind === 'null') return { kind: 'value', value: null };
  switch (field.type) {
    case 'id':
    case 'reference': {
      if (lit.kind !== 'string') throw wrongType(false);
      const id = to18(lit.value);
      if (!id) {
        if (field.type === 'id') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', env.soql, lit.pos, `invalid ID field: ${lit.value}`);
        return { kind: 'value', value: lit.value };
      }
      return { kind: 'value', value: id };
    }
    case 'boolean':
      if (lit.kind !== 'boolean') throw wrongType(lit.kind === 'string');
      return { kind: 'value', value: lit.value };
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      if (lit.kind !== 'number') throw wrongType(lit.kind === 'string');
      return { kind: 'value', value: lit.value };
    case 'date':
      if (lit.kind === 'date') return { kind: 'value', value: lit.value };
      if (lit.kind === 'dateFn') {
        const [s, e] = dayRange(env, lit.name, lit.n);
        return { kind: 'range', start: new Date(s).toISOString().slice(0, 10), end: new Date(e).toISOString().slice(0, 10) };
      }
      throw wrongType(lit.kind === 'string');
    case 'datetime':
      if (lit.kind === 'datetime') {
        const ms = parseDateTime(lit.text);
        if (ms === undefined) throw soqlError('MALFORMED_QUERY', env.soql, lit.pos, `line 1:${lit.pos} no viable alternative at character ' '`);
        return { kind: 'value', value: toSecond(ms) };
      }
      if (lit.kind === 'dateFn') {
        const [s, e] = dayRange(env, lit.name, lit.n);
        return { kind: 'range', start: s, end: e };
      }
      throw wrongType(lit.kind === 'string');
    default:
      if (lit.kind !== 'string') {
        if (lit.kind === 'number' || lit.kind === 'boolean' || lit.kind === 'date' || lit.kind === 'datetime') throw wrongType(false);
        throw wrongType(false);
      }
      return { kind: 'value', value: lit.value };
  }
}

function caseInsensitive(field: FieldDef): boolean {
  return isTextType(field.type);
}

/** Orders two non-null values of a field's type. */
export function compareValues(field: FieldDef, a: FieldValue, b: FieldValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = caseInsensitive(field) ? String(a).toLowerCase() : String(a);
  const y = caseInsensitive(field) ? String(b).toLowerCase() : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function cmpPredicate(get: (r: Row) => FieldValue, field: FieldDef, op: Comparison, rhs: Operand): Predicate {
  if (rhs.kind === 'range') {
    const { start, end } = rhs;
    const inRange = (v: FieldValue) => v !== null && (v as number | string) >= start && (v as number | string) < end;
    switch (op) {
      case '=': return (r) => inRange(get(r));
      case '!=': return (r) => !inRange(get(r));
      case '<': return (r) => { const v = get(r); return v !== null && (v as number | string) < start; };
      case '<=': return (r) => { const v = get(r); return v !== null && (v as number | string) < end; };
      case '>': return (r) => { const v = get(r); return v !== null && (v as number | string) >= end; };
      case '>=': return (r) => { const v = get(r); return v !== null && (v as number | string) >= start; };
    }
  }
  const value = rhs.value;
  if (value === null) {
    if (op === '=') return (r) => get(r) === null;
    if (op === '!=') return (r) => get(r) !== null;
    return () => false;
  }
  const norm = caseInsensitive(field) && typeof value === 'string' ? value.toLowerCase() : value;
  const read = caseInsensitive(field) ? (r: Row) => { const v = get(r); return typeof v === 'string' ? v.toLowerCase() : v; } : get;
  switch (op) {
    case '=': return (r) => read(r) === norm;
    case '!=': return (r) => read(r) !== norm;
    case '<': return (r) => { const v = read(r); return v !== null && v < norm; };
    case '<=': return (r) => { const v = read(r); return v !== null && v <= norm; };
    case '>': return (r) => { const v = read(r); return v !== null && v > norm; };
    case '>=': return (r) => { const v = read(r); return v !== null && v >= norm; };
  }
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[i + 1] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function checkFilterable(env: QueryEnv, resolved: ResolvedPath, pos: number): void {
  if (!resolved.field.filterable) throw soqlError('INVALID_FIELD', env.soql, pos, `field '${resolved.field.name}' can not be filtered in a query call`);
}

export function compileCondition(env: QueryEnv, schema: ObjectSchema, cond: Condition, alias: string | undefined, semiJoin: SemiJoinRunner): Predicate {
  switch (cond.kind) {
    case 'and': {
      const parts = cond.items.map((c) => compileCondition(env, schema, c, alias, semiJoin));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = cond.items.map((c) => compileCondition(env, schema, c, alias, semiJoin));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(env, schema, cond.item, alias, semiJoin);
      return (r) => !inner(r);
    }
    case 'cmp': {
      const resolved = resolvePath(env, schema, cond.path, cond.pathPos, alias);
      checkFilterable(env, resolved, cond.pathPos);
      if ((cond.op !== '=' && cond.op !== '!=') && (resolved.field.type === 'boolean' || resolved.field.type === 'multipicklist')) {
        throw soqlError('INVALID_QUERY_FILTER_OPERATOR', env.soql, cond.pathPos, `invalid operator on ${resolved.field.type === 'boolean' ? 'boolean' : 'multipicklist'} field: ${resolved.field.name}`);
      }
      return cmpPredicate(getter(env, resolved), resolved.field, cond.op, operand(env, resolved.field, cond.value));
    }
    case 'in': {
      const resolved = resolvePath(env, schema, cond.path, cond.pathPos, alias);
      checkFilterable(env, resolved, cond.pathPos);
      const get = getter(env, resolved);
      const ci = caseInsensitive(resolved.field);
      const values = new Set<FieldValue>();
      let ranges: { start: number | string; end: number | string }[] = [];
      for (const lit of cond.values) {
        const o = operand(env, resolved.field, lit);
        if (o.kind === 'range') ranges.push(o);
        else values.add(ci && typeof o.value === 'string' ? o.value.toLowerCase() : o.value);
      }
      ranges = ranges.slice();
      const member = (r: Row) => {
        const v = get(r);
        const key = ci && typeof v === 'string' ? v.toLowerCase() : v;
        return values.has(key) || (v !== null && ranges.some((x) => (v as number | string) >= x.start && (v as number | string) < x.end));
      };
      return cond.negated ? (r) => !member(r) : member;
    }
    case 'semijoin': {
      const resolved = resolvePath(env, schema, cond.path, cond.pathPos, alias);
      if (resolved.field.type !== 'id' && resolved.field.type !== 'reference') {
        throw soqlError('MALFORMED_QUERY', env.soql, cond.pathPos, 'Semi join sub-selects are only allowed on Id and reference fields');
      }
      const ids = semiJoin(cond);
      const get = getter(env, resolved);
      const member = (r: Row) => {
        const v = get(r);
        return typeof v === 'string' && ids.has(v);
      };
      return cond.negated ? (r) => !member(r) : member;
    }
    case 'like': {
      const resolved = resolvePath(env, schema, cond.path, cond.pathPos, alias);
      checkFilterable(env, resolved, cond.pathPos);
      if (!isTextType(resolved.field.type) || cond.pattern.kind !== 'string') {
        throw soqlError('INVALID_FIELD', env.soql, cond.pathPos, `invalid operator on field ${resolved.field.name}: LIKE can only be used on string fields`);
      }
      const re = likeRegex(cond.pattern.like);
      const get = getter(env, resolved);
      const match = (r: Row) => {
        const v = get(r);
        return typeof v === 'string' && re.test(v);
      };
      return cond.negated ? (r) => !match(r) : match;
    }
    case 'includes': {
      const resolved = resolvePath(env, schema, cond.path, cond.pathPos, alias);
      if (resolved.field.type !== 'multipicklist') {
        throw soqlError('INVALID_QUERY_FILTER_OPERATOR', env.soql, cond.pathPos, `includes or excludes operator only valid on multipicklist field`);
      }
      const get = getter(env, resolved);
      const wanted = cond.values.map((l) => (l.kind === 'string' ? l.value.split(';').map((s) => s.toLowerCase()) : []));
      const has = (r: Row) => {
        const v = get(r);
        if (typeof v !== 'string') return false;
        const set = new Set(v.split(';').map((s) => s.toLowerCase()));
        return wanted.some((w) => w.every((x) => set.has(x)));
      };
      return cond.negated ? (r) => !has(r) : has;
    }
  }
}

/**
 * The lowest value a row can have in `fieldName` and still match (for walking an index from there):
 * `F > x` and `F >= x` and `F = x` bound it; AND takes the highest bound of its parts, OR the lowest,
 * and needs every part bounded.
 */
export function lowerBound(env: QueryEnv, schema: ObjectSchema, cond: Condition | undefined, fieldName: string): number | string | undefined {
  if (!cond) return undefined;
  switch (cond.kind) {
    case 'cmp': {
      if (cond.path.toLowerCase() !== fieldName.toLowerCase() || !['>', '>=', '='].includes(cond.op)) return undefined;
      const field = schema.field(fieldName);
      if (!field) return undefined;
      try {
        const o = operand(env, field, cond.value);
        if (o.kind === 'range') return o.start;
        return o.value === null || typeof o.value === 'boolean' ? undefined : o.value;
      } catch {
        return undefined;
      }
    }
    case 'and': {
      let best: number | string | undefined;
      for (const item of cond.items) {
        const b = lowerBound(env, schema, item, fieldName);
        if (b !== undefined && (best === undefined || b > best)) best = b;
      }
      return best;
    }
    case 'or': {
      let worst: number | string | undefined;
      for (const item of cond.items) {
        const b = lowerBound(env, schema, item, fieldName);
        if (b === undefined) return undefined;
        if (worst === undefined || b < worst) worst = b;
      }
      return worst;
    }
    default:
      return undefined;
  }
}

/** Ids a condition restricts a lookup or Id field to (`F = 'x'`, `F IN (…)` at the top level of an AND). */
export function equalityIds(env: QueryEnv, schema: ObjectSchema, cond: Condition | undefined): { field: string; ids: string[] } | undefined {
  if (!cond) return undefined;
  const items = cond.kind === 'and' ? cond.items : [cond];
  let best: { field: string; ids: string[] } | undefined;
  for (const item of items) {
    if ((item.kind !== 'cmp' || item.op !== '=') && (item.kind !== 'in' || item.negated)) continue;
    if (item.path.includes('.')) continue;
    const field = schema.field(item.path);
    if (!field || (field.type !== 'id' && field.type !== 'reference')) continue;
    const lits = item.kind === 'cmp' ? [item.value] : item.values;
    const ids: string[] = [];
    for (const lit of lits) {
      if (lit.kind !== 'string') return undefined;
      const id = to18(lit.value);
      if (id) ids.push(id);
    }
    const candidate = { field: field.name, ids };
    if (!best || field.type === 'id' || candidate.ids.length < best.ids.length) best = candidate;
    if (field.type === 'id') break;
  }
  return best;
}

