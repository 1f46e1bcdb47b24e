/**
 * Runs a parsed query: picks where to start reading (an Id or lookup equality, the
 * (SystemModstamp, Id) index from a lower bound, or id order), filters, sorts, applies OFFSET and
 * LIMIT, and returns the matched rows with a renderer that builds the JSON records (relationship
 * objects, child subqueries as nested query results). The rows are kept as they were when the
 * query ran: a cursor pages through that snapshot.
 */
import { isNumberType, type FieldDef, type FieldValue } from '../schema/field';
import { renderField, recordUrl } from '../store/render';
import type { ObjectSchema } from '../store/object-schema';
import type { Row, Table } from '../store/table';
import { compareValues, compileCondition, equalityIds, lowerBound, type Predicate } from './filter';
import type { Condition, OrderItem, SelectItem, SoqlQuery } from './parser';
import { getter, objectSchema, parentOf, resolvePath, valueOn, type QueryEnv, type ResolvedPath } from './resolve';
import { soqlError } from './soql-error';

export interface QueryRun {
  /** The object queried (`Lead`, or `AggregateResult` for aggregate queries). */
  type: string;
  rows: Row[];
  totalSize: number;
  /** Renders one matched row as a JSON record. */
  render: (row: Row) => Record<string, unknown>;
  /** Aggregate queries have their single record ready. */
  aggregate?: Record<string, unknown>;
  countOnly: boolean;
  /** Long text area fields selected (two or more cap the batch size at 200). */
  longTextFields: number;
}

export function runQuery(env: QueryEnv, query: SoqlQuery, allRows: boolean): QueryRun {
  const schema = objectSchema(env, query.from);
  if (!schema || !schema.def.queryable) {
    throw soqlError(
      'INVALID_TYPE',
      env.soql,
      query.fromPos,
      `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const table = env.tooling ? env.org.toolingTable(schema.name) : env.org.table(schema.name);
  const includeDeleted = allRows || query.allRows;
  const match = buildFilter(env, schema, query.where, query.alias, includeDeleted);
  const order = buildOrder(env, schema, query.orderBy, query.alias);

  // Aggregates: one AggregateResult record (or just the count).
  const aggregates = query.select.filter((s): s is Extract<SelectItem, { kind: 'aggregate' }> => s.kind === 'aggregate');
  if (aggregates.length > 0) {
    const rows = [...source(env, schema, table, query, undefined).rows].filter(match);
    if (query.countOnly) {
      const n = Math.max(0, Math.min(rows.length - (query.offset ?? 0), query.limit ?? Infinity));
      return { type: schema.name, rows: [], totalSize: n, render: () => ({}), countOnly: true, longTextFields: 0 };
    }
    return { type: 'AggregateResult', rows: [], totalSize: 1, render: () => ({}), aggregate: aggregateRecord(env, schema, query, aggregates, rows), countOnly: false, longTextFields: 0 };
  }

  const projector = buildProjection(env, schema, query);
  const limit = query.limit ?? Infinity;
  const offset = query.offset ?? 0;
  const plan = source(env, schema, table, query, order);
  let rows: Row[] = [];
  if (plan.ordered) {
    for (const row of plan.rows) {
      if (!match(row)) continue;
      rows.push(row);
      if (rows.length >= offset + limit) break;
    }
  } else {
    for (const row of plan.rows) if (match(row)) rows.push(row);
    if (order) rows.sort(order.compare);
  }
  rows = rows.slice(offset, offset + limit);
  checkMetadataRows(env, schema, query, rows.length);
  return { type: schema.name, rows, totalSize: rows.length, render: projector.render, countOnly: false, longTextFields: projector.longTextFields };
}

function buildFilter(env: QueryEnv, schema: ObjectSchema, where: Condition | undefined, alias: string | undefined, includeDeleted: boolean): Predicate {
  const cond = where ? compileCondition(env, schema, where, alias, (semi) => semiJoinIds(env, semi.query)) : undefined;
  if (includeDeleted) return cond ?? (() => true);
  return cond ? (r) => r.IsDeleted !== true && cond(r) : (r) => r.IsDeleted !== true;
}

function semiJoinIds(env: QueryEnv, query: SoqlQuery): Set<string> {
  if (query.select.length !== 1 || query.select[0]?.kind !== 'field') {
    throw soqlError('MALFORMED_QUERY', env.soql, query.fromPos, 'Semi join sub-selects can only have one field in the select list');
  }
  const schema = objectSchema(env, query.from);
  if (!schema) throw soqlError('INVALID_TYPE', env.soql, query.fromPos, `sObject type '${query.from}' is not supported.`);
  const item = query.select[0];
  const resolved = resolvePath(env, schema, item.path, item.pos, query.alias);
  if (resolved.field.type !== 'id' && resolved.field.type !== 'reference') {
    throw soqlError('MALFORMED_QUERY', env.soql, item.pos, 'Semi join sub-selects can only select Id or reference fields');
  }
  const run = runQuery(env, { ...query, select: [item] }, false);
  const get = getter(env, resolved);
  const out = new Set<string>();
  for (const row of run.rows) {
    const v = get(row);
    if (typeof v === 'string') out.add(v);
  }
  return out;
}

interface Order {
  compare: (a: Row, b: Row) => number;
  items: { canonical: string; descending: boolean }[];
}

function buildOrder(env: QueryEnv, schema: ObjectSchema, items: OrderItem[], alias: string | undefined): Order | undefined {
  if (items.length === 0) return undefined;
  const parts = items.map((item) => {
    const resolved = resolvePath(env, schema, item.path, item.pos, alias);
    if (!resolved.field.sortable) throw soqlError('INVALID_FIELD', env.soql, item.pos, `field '${resolved.field.name}' can not be sorted in a query call`);
    return { get: getter(env, resolved), field: resolved.field, item, canonical: resolved.canonical };
  });
  return {
    items: parts.map((p) => ({ canonical: p.canonical, descending: p.item.descending })),
    compare: (a, b) => {
      for (const p of parts) {
        const x = p.get(a);
        const y = p.get(b);
        if (x === y) continue;
        if (x === null) return p.item.nullsLast ? 1 : -1;
        if (y === null) return p.item.nullsLast ? -1 : 1;
        const c = compareValues(p.field, x, y);
        if (c !== 0) return p.item.descending ? -c : c;
      }
      return 0;
    },
  };
}

/** Where to read rows from, and whether they already come in the query's order. */
function source(env: QueryEnv, schema: ObjectSchema, table: Table, query: SoqlQuery, order: Order | undefined): { rows: Iterable<Row>; ordered: boolean } {
  const items = order?.items ?? [];
  const is = (i: number, name: string) => items[i]?.canonical === name && items[i]?.descending === false;
  const eq = equalityIds(env, schema, query.where);
  if (eq) {
    const ids = new Set<string>();
    if (eq.field === 'Id') for (const id of eq.ids) ids.add(id);
    else for (const value of eq.ids) for (const id of table.idsWhere(eq.field, value)) ids.add(id);
    const rows = [...ids].sort().map((id) => table.get(id)).filter((r): r is Row => r !== undefined);
    return { rows, ordered: items.length === 0 || (items.length === 1 && is(0, 'Id')) };
  }
  if (!env.tooling && schema.field('SystemModstamp') && (items.length === 0 || is(0, 'SystemModstamp'))) {
    const bound = lowerBound(env, schema, query.where, 'SystemModstamp');
    const byStamp = items.length > 0 && (items.length === 1 || (items.length === 2 && is(1, 'Id')));
    if (bound !== undefined || byStamp) return { rows: table.fromStamp(typeof bound === 'number' ? bound : -Infinity), ordered: byStamp || items.length === 0 };
  }
  if (items.length === 0 || (items.length === 1 && is(0, 'Id'))) {
    const bound = lowerBound(env, schema, query.where, 'Id');
    return { rows: table.fromId(typeof bound === 'string' ? bound : undefined, false), ordered: true };
  }
  return { rows: table.values(), ordered: false };
}

interface Projection {
  render: (row: Row) => Record<string, unknown>;
  longTextFields: number;
}

function buildProjection(env: QueryEnv, schema: ObjectSchema, query: SoqlQuery): Projection {
  const writers: ((row: Row, out: Record<string, unknown>, parents: ParentCache) => void)[] = [];
  const seen = new Set<string>();
  let longText = 0;
  const metadataFields = new Set<string>();
  for (const item of query.select) {
    if (item.kind === 'field') {
      const resolved = resolvePath(env, schema, item.path, item.pos, query.alias);
      const key = resolved.canonical.toLowerCase();
      if (seen.has(key)) throw soqlError('MALFORMED_QUERY', env.soql, item.pos, `duplicate field selected: ${resolved.canonical}`);
      seen.add(key);
      if (resolved.field.type === 'textarea' && resolved.field.length > 255) longText++;
      if (env.tooling && (resolved.field.name === 'FullName' || resolved.field.name === 'Metadata')) metadataFields.add(resolved.field.name);
      writers.push(fieldWriter(env, resolved));
    } else if (item.kind === 'subquery') {
      writers.push(childWriter(env, schema, item));
    }
  }
  const type = schema.name;
  return {
    longTextFields: longText,
    render: (row) => {
      const out: Record<string, unknown> = { attributes: { type, url: recordUrl(env.version, type, row.Id as string, env.tooling) } };
      const parents: ParentCache = new Map();
      for (const w of writers) w(row, out, parents);
      return out;
    },
  };
}

/** Relationship objects already built for one record, by path (`Account.`, `Owner.`). */
type ParentCache = Map<string, { obj: Record<string, unknown>; parent: { type: string; row: Row } } | null>;

/** Writes one selected path into the record, creating the relationship objects on the way. */
function fieldWriter(env: QueryEnv, resolved: ResolvedPath) {
  const { steps, field } = resolved;
  if (steps.length === 0) return (row: Row, out: Record<string, unknown>) => void (out[field.name] = renderField(field, row[field.name]));
  return (row: Row, out: Record<string, unknown>, parents: ParentCache) => {
    let target = out;
    let current: { type: string; row: Row } = { type: '', row };
    let path = '';
    for (const step of steps) {
      path += `${step.relationship}.`;
      let cached = parents.get(path);
      if (cached === undefined) {
        const parent = parentOf(env, step, current.row);
        cached = parent
          ? { obj: { attributes: { type: step.polymorphic ? 'Name' : parent.type, url: recordUrl(env.version, parent.type, parent.row.Id as string) } }, parent }
          : null;
        parents.set(path, cached);
        target[step.relationship] = cached ? cached.obj : null;
      }
      if (!cached) return;
      target = cached.obj;
      current = cached.parent;
    }
    target[field.name] = renderField(field, valueOn(steps[steps.length - 1], current, field));
  };
}

/** A child relationship subquery, e.g. `(SELECT Subject FROM Tasks WHERE IsClosed = true)`. */
function childWriter(env: QueryEnv, schema: ObjectSchema, item: Extract<SelectItem, { kind: 'subquery' }>) {
  const rel = schema.child(item.query.from);
  if (!rel) {
    throw soqlError(
      'INVALID_TYPE',
      env.soql,
      item.query.fromPos,
      `Didn't understand relationship '${item.query.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const childSchema = objectSchema(env, rel.childSObject);
  if (!childSchema) throw soqlError('INVALID_TYPE', env.soql, item.query.fromPos, `sObject type '${rel.childSObject}' is not supported.`);
  const childQuery: SoqlQuery = { ...item.query, from: rel.childSObject };
  const match = buildFilter(env, childSchema, childQuery.where, childQuery.alias, childQuery.allRows);
  const order = buildOrder(env, childSchema, childQuery.orderBy, childQuery.alias);
  const projector = buildProjection(env, childSchema, childQuery);
  const table = env.org.table(rel.childSObject);
  const relationshipName = rel.relationshipName;
  return (row: Row, out: Record<string, unknown>) => {
    const rows = [...table.idsWhere(rel.field, row.Id as string)]
      .sort()
      .map((id) => table.get(id) as Row)
      .filter(match);
    if (order) rows.sort(order.compare);
    const picked = rows.slice(childQuery.offset ?? 0, (childQuery.offset ?? 0) + (childQuery.limit ?? Infinity));
    out[relationshipName] = picked.length === 0 ? null : { totalSize: picked.length, done: true, records: picked.map(projector.render) };
  };
}

function aggregateRecord(env: QueryEnv, schema: ObjectSchema, query: SoqlQuery, items: Extract<SelectItem, { kind: 'aggregate' }>[], rows: Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
  let expr = 0;
  for (const item of items) {
    const key = item.alias ?? `expr${expr++}`;
    if (item.path === undefined) {
      out[key] = rows.length;
      continue;
    }
    const resolved = resolvePath(env, schema, item.path, item.pos, query.alias);
    const get = getter(env, resolved);
    const values = rows.map(get).filter((v): v is Exclude<FieldValue, null> => v !== null);
    const field: FieldDef = resolved.field;
    switch (item.fn) {
      case 'COUNT':
        out[key] = values.length;
        break;
      case 'COUNT_DISTINCT':
        out[key] = new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
        break;
      case 'MIN':
      case 'MAX': {
        if (values.length === 0) {
          out[key] = null;
          break;
        }
        const sorted = values.slice().sort((a, b) => compareValues(field, a, b));
        out[key] = renderField(field, (item.fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1]) as FieldValue);
        break;
      }
      case 'SUM':
      case 'AVG': {
        if (!isNumberType(field.type)) throw soqlError('MALFORMED_QUERY', env.soql, item.pos, `Invalid field ${field.name} for ${item.fn}`);
        const sum = (values as number[]).reduce((a, b) => a + b, 0);
        out[key] = values.length === 0 ? null : item.fn === 'SUM' ? sum : sum / values.length;
        break;
      }
    }
  }
  return out;
}

/** Tooling API: `FullName` and `Metadata` may only be queried for at most one row. */
function checkMetadataRows(env: QueryEnv, schema: ObjectSchema, query: SoqlQuery, count: number): void {
  if (!env.tooling || schema.name !== 'CustomField' || count <= 1) return;
  const selected = query.select.some((s) => s.kind === 'field' && ['fullname', 'metadata'].includes(s.path.toLowerCase()));
  if (selected) {
    throw soqlError(
      'MALFORMED_QUERY',
      env.soql,
      undefined,
      `When retrieving results with Metadata or FullName fields, the query qualificatio ns must specify no more than one row for retrieval. Result size: ${count}`,
    );
  }
}
