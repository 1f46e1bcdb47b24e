/**
 * The plumbing the CRM sandboxes share: a tiny path router and a loopback HTTP server that hands
 * each request, body fully read, to one async handler. No framework: the sandboxes answer tens of
 * thousands of requests in a benchmark, and node:http with a linear route table is fast enough and
 * keeps every header and status under our control.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxRequest {
  method: string;
  /** Path without query string, trailing slash removed (except for `/`). */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface SandboxResponse {
  status: number;
  /** Objects and arrays are sent as JSON; strings as they are; `undefined` sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Drop the connection without answering (simulates a network failure). */
  destroySocket?: boolean;
}

export interface RouteMatch<H> {
  handler: H;
  /** The route's stable name, e.g. `GET /crm/v3/objects/{objectType}/{id}`. */
  name: string;
  params: Record<string, string>;
}

interface RouteEntry<H> {
  method: string;
  segments: string[];
  name: string;
  handler: H;
}

/** Matches `METHOD /a/:param/b` patterns; the first match in registration order wins. */
export class Router<H> {
  private readonly routes: RouteEntry<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = splitPath(pattern);
    const name = `${method} /${segments.map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s)).join('/')}`;
    this.routes.push({ method, segments, name, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith(':')) params[seg.slice(1)] = safeDecode(part);
        else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) return { handler: route.handler, name: route.name, params };
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Called when the handler throws; the client gets a 500. */
  onError?: (error: unknown) => void;
}

/** Starts a loopback server; every request's body is read in full before `handle` runs. */
export async function startHttpServer(
  handle: (req: SandboxRequest) => Promise<SandboxResponse>,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      let path = url.pathname;
      if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
      const request: SandboxRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      };
      handle(request).then(
        (response) => send(res, response),
        (error: unknown) => {
          options.onError?.(error);
          send(res, { status: 500, body: { status: 'error', message: 'internal sandbox error' } });
        },
      );
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, response: SandboxResponse): void {
  if (response.destroySocket) {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string | undefined;
  if (typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json;charset=utf-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  else if (response.status !== 204 && response.status !== 304) headers['Content-Length'] = '0';
  res.writeHead(response.status, headers);
  res.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
