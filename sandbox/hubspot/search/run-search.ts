/**
 * Runs a CRM search over what the search index holds. Filters within a group are ANDed, groups are
 * ORed. A search sorted on the last-modified property walks the (last modified, id) index, narrowed
 * to the range its filters allow, so an incremental-sync query reads only the records in its window.
 */
import type { CrmRecord } from '../store/crm-record';
import type { PropertyDefinition } from '../store/default-properties';
import type { ObjectStore } from '../store/object-store';
import type { PropertyRegistry } from '../store/property-registry';

export type FilterOperator =
  | 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'BETWEEN' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'CONTAINS_TOKEN' | 'NOT_CONTAINS_TOKEN';

export interface SearchFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchPlan {
  filterGroups: { filters: SearchFilter[] }[];
  sort?: SearchSort;
  query?: string;
  limit: number;
  after: number;
}

export interface SearchOutcome {
  total: number;
  records: CrmRecord[];
}

type Predicate = (r: CrmRecord) => boolean;

export function runSearch(store: ObjectStore, registry: PropertyRegistry, plan: SearchPlan): SearchOutcome {
  store.flushPending();
  const info = store.info;
  const groups = plan.filterGroups.map((g) => g.filters.map((f) => compileFilter(f, registry, info.modifiedProperties, info.createdProperty)));
  const queryMatch = plan.query ? compileQuery(plan.query, info.queryProperties) : undefined;
  const matches: Predicate = (r) => (groups.length === 0 || groups.some((g) => g.every((p) => p(r)))) && (!queryMatch || queryMatch(r));

  const sortProp = plan.sort?.propertyName;
  const descending = plan.sort?.direction === 'DESCENDING';
  const byIndex = sortProp !== undefined && info.modifiedProperties.includes(sortProp);
  const end = plan.after + plan.limit;
  const page: CrmRecord[] = [];
  let total = 0;

  if (byIndex) {
    const [lo, hi] = timeRange(plan.filterGroups, info.modifiedProperties);
    for (const r of store.searchIndex.range(lo, hi, descending)) {
      if (!matches(r)) continue;
      if (total >= plan.after && total < end) page.push(r);
      total++;
    }
    return { total, records: page };
  }

  const all: CrmRecord[] = [];
  for (const r of store.searchIndex.all()) if (matches(r)) all.push(r);
  const compare = sortProp ? comparator(sortProp, registry.get(sortProp), descending, info.createdProperty) : (a: CrmRecord, b: CrmRecord) => a.idNum - b.idNum;
  all.sort(compare);
  return { total: all.length, records: all.slice(plan.after, end) };
}

/** The [from, to] last-modified window every filter group stays inside, or everything. */
function timeRange(groups: SearchPlan['filterGroups'], modified: readonly string[]): [number, number] {
  if (groups.length === 0) return [-Infinity, Infinity];
  let from = Infinity;
  let to = -Infinity;
  for (const g of groups) {
    let lo = -Infinity;
    let hi = Infinity;
    for (const f of g.filters) {
      if (!modified.includes(f.propertyName)) continue;
      const v = toTime(f.value);
      if (v === undefined && f.operator !== 'BETWEEN') continue;
      switch (f.operator) {
        case 'EQ': lo = Math.max(lo, v as number); hi = Math.min(hi, v as number); break;
        case 'GT': lo = Math.max(lo, Math.floor(v as number) + 1); break;
        case 'GTE': lo = Math.max(lo, v as number); break;
        case 'LT': hi = Math.min(hi, Math.ceil(v as number) - 1); break;
        case 'LTE': hi = Math.min(hi, v as number); break;
        case 'BETWEEN': {
          const a = toTime(f.value);
          const b = toTime(f.highValue);
          if (a !== undefined) lo = Math.max(lo, a);
          if (b !== undefined) hi = Math.min(hi, b);
          break;
        }
        default:
      }
    }
    from = Math.min(from, lo);
    to = Math.max(to, hi);
  }
  return [from, to];
}

function compileFilter(f: SearchFilter, registry: PropertyRegistry, modified: readonly string[], created: string): Predicate {
  const def = registry.get(f.propertyName);
  const name = f.propertyName;
  const numeric = def?.type === 'number' || def?.type === 'datetime' || def?.type === 'date' || name === 'hs_object_id';
  const read = reader(name, def, modified, created);
  const asKey = (v: string | undefined): number | string | undefined => (v === undefined ? undefined : numeric ? toNumberFor(def, v) : v.toLowerCase());

  switch (f.operator) {
    case 'HAS_PROPERTY':
      return (r) => read(r) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (r) => read(r) === undefined;
    case 'EQ':
    case 'NEQ': {
      const want = asKey(f.value);
      const eq: Predicate = (r) => {
        const v = read(r);
        return v !== undefined && want !== undefined && v === want;
      };
      return f.operator === 'EQ' ? eq : (r) => !eq(r);
    }
    case 'IN':
    case 'NOT_IN': {
      const set = new Set((f.values ?? []).map((v) => asKey(v)));
      const isIn: Predicate = (r) => {
        const v = read(r);
        return v !== undefined && set.has(v);
      };
      return f.operator === 'IN' ? isIn : (r) => !isIn(r);
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const want = asKey(f.value);
      if (want === undefined) return () => false;
      const op = f.operator;
      return (r) => {
        const v = read(r);
        if (v === undefined || typeof v !== typeof want) return false;
        if (op === 'LT') return v < want;
        if (op === 'LTE') return v <= want;
        if (op === 'GT') return v > want;
        return v >= want;
      };
    }
    case 'BETWEEN': {
      const lo = asKey(f.value);
      const hi = asKey(f.highValue);
      if (lo === undefined || hi === undefined) return () => false;
      return (r) => {
        const v = read(r);
        return v !== undefined && typeof v === typeof lo && v >= lo && v <= hi;
      };
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const pattern = tokenPattern(f.value ?? '');
      const has: Predicate = (r) => {
        const raw = r.get(name);
        if (raw === undefined) return false;
        const lower = raw.toLowerCase();
        return pattern.test(lower) || tokens(lower).some((t) => pattern.test(t));
      };
      return f.operator === 'CONTAINS_TOKEN' ? has : (r) => !has(r);
    }
  }
}

/** Reads a property as a comparable value: a number for numeric types, lower-case text otherwise. */
function reader(name: string, def: PropertyDefinition | undefined, modified: readonly string[], created: string): (r: CrmRecord) => number | string | undefined {
  if (modified.includes(name)) return (r) => r.updatedAt;
  if (name === created) return (r) => r.createdAt;
  if (name === 'hs_object_id') return (r) => r.idNum;
  if (def?.type === 'number' || def?.type === 'datetime' || def?.type === 'date') {
    return (r) => {
      const raw = r.get(name);
      return raw === undefined ? undefined : toNumberFor(def, raw);
    };
  }
  return (r) => r.get(name)?.toLowerCase();
}

function toNumberFor(def: PropertyDefinition | undefined, v: string): number | undefined {
  if (def?.type === 'number') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return toTime(v);
}

function toTime(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function tokens(text: string): string[] {
  return text.split(/[\s@.,;:!?()\-_/]+/).filter(Boolean);
}

function tokenPattern(value: string): RegExp {
  const escaped = value.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function compileQuery(query: string, properties: readonly string[]): Predicate {
  const wanted = tokens(query.toLowerCase());
  return (r) => {
    const have: string[] = [];
    for (const p of properties) {
      const v = r.get(p);
      if (v) have.push(...tokens(v.toLowerCase()));
    }
    return wanted.every((w) => have.some((h) => h.startsWith(w)));
  };
}

function comparator(name: string, def: PropertyDefinition | undefined, descending: boolean, created: string): (a: CrmRecord, b: CrmRecord) => number {
  const read = reader(name, def, [], created);
  return (a, b) => {
    const va = read(a);
    const vb = read(b);
    if (va === undefined && vb === undefined) return a.idNum - b.idNum;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    let c = va < vb ? -1 : va > vb ? 1 : 0;
    if (descending) c = -c;
    return c !== 0 ? c : a.idNum - b.idNum;
  };
}
