/**
 * SOQL over REST: `GET /query?q=`, `/queryAll?q=` (deleted rows too), and the cursor pages at
 * `/query/<locator>-<offset>` that `nextRecordsUrl` points to (jsforce's queryMore and autoFetch
 * follow them). Batches are 2,000 records unless `Sforce-Query-Options: batchSize=N` asks for
 * 200 to 2,000; a query selecting two or more long text areas gets 200 at most. The Tooling API
 * has the same routes under `/tooling`.
 */
import { sfError } from '../errors';
import type { SandboxResponse } from '../../shared/http-server';
import { KEY_PREFIXES } from '../ids';
import type { Cursor } from '../soql/cursors';
import { runQuery, type QueryRun } from '../soql/execute';
import { parseSoql } from '../soql/parser';
import { header, json, rest, type RestContext, type RouteContext, type RouteDef } from './context';

export function queryRoutes(): RouteDef[] {
  const v = '/services/data/:version';
  return [
    { method: 'GET', pattern: `${v}/query`, kind: 'rest', handle: (ctx) => query(ctx, false, false) },
    { method: 'GET', pattern: `${v}/queryAll`, kind: 'rest', handle: (ctx) => query(ctx, true, false) },
    { method: 'GET', pattern: `${v}/query/:locator`, kind: 'rest', handle: (ctx) => more(ctx, false) },
    { method: 'GET', pattern: `${v}/queryAll/:locator`, kind: 'rest', handle: (ctx) => more(ctx, false) },
    { method: 'GET', pattern: `${v}/tooling/query`, kind: 'rest', handle: (ctx) => query(ctx, false, true) },
    { method: 'GET', pattern: `${v}/tooling/query/:locator`, kind: 'rest', handle: (ctx) => more(ctx, true) },
  ];
}

const DEFAULT_BATCH = 2000;

function batchSize(ctx: RouteContext, run: QueryRun): number {
  const options = header(ctx, 'sforce-query-options') ?? '';
  const m = /batchSize\s*=\s*(\d+)/i.exec(options);
  let size = m ? Math.min(2000, Math.max(200, Number(m[1]))) : DEFAULT_BATCH;
  if (run.longTextFields >= 2) size = Math.min(size, 200);
  return size;
}

function query(ctx: RouteContext, all: boolean, tooling: boolean): SandboxResponse {
  const r = rest(ctx);
  if (ctx.req.query.has('explain')) return sfError(400, 'MALFORMED_QUERY', 'explain is not supported by this sandbox');
  const soql = ctx.req.query.get('q');
  if (!soql) return sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const parsed = parseSoql(soql);
  const run = runQuery({ org: r.org, access: r.access, version: ctx.version, tooling, soql, now: r.org.clock() }, parsed, all);
  if (run.countOnly) return json(200, { totalSize: run.totalSize, done: true, records: [] });
  if (run.aggregate) return json(200, { totalSize: 1, done: true, records: [run.aggregate] });
  const size = batchSize(ctx, run);
  if (run.rows.length <= size) return json(200, { totalSize: run.totalSize, done: true, records: run.rows.map(run.render) });
  const cursor: Cursor = { locator: ctx.core.ids.next(KEY_PREFIXES.QueryLocator as string), orgId: r.org.id, userId: r.auth.userId, run, tooling, lastUsed: ctx.core.clock() };
  ctx.core.cursors.open(cursor);
  return page(r, cursor, 0, size);
}

function page(r: RestContext, cursor: Cursor, offset: number, size: number): SandboxResponse {
  const { run } = cursor;
  const end = Math.min(run.rows.length, offset + size);
  const records = run.rows.slice(offset, end).map(run.render);
  if (end >= run.rows.length) {
    r.core.cursors.close(cursor.locator);
    return json(200, { totalSize: run.totalSize, done: true, records });
  }
  const next = `/services/data/v${r.version}/${cursor.tooling ? 'tooling/' : ''}query/${cursor.locator}-${end}`;
  return json(200, { totalSize: run.totalSize, done: false, nextRecordsUrl: next, records });
}

function more(ctx: RouteContext, tooling: boolean): SandboxResponse {
  const r = rest(ctx);
  const m = /^(01g[A-Za-z0-9]{12,15})-(\d+)$/.exec(ctx.params.locator ?? '');
  const cursor = m ? ctx.core.cursors.get(m[1] as string, r.org.id) : undefined;
  if (!m || !cursor || cursor.tooling !== tooling) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return page(r, cursor, Number(m[2]), batchSize(ctx, cursor.run));
}
