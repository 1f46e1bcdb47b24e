/** Socket and DNS failures a later try can get past (node-fetch, Node's own fetch and undici). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * True when a request failed without an HTTP answer in a way a later try can get past: a socket
 * error, a timeout, a refused or reset connection. Duck-typed, since the errors of Node's own fetch
 * come from another realm under test runners.
 */
export function isNetworkError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.cause?.code === 'string' && NETWORK_CODES.has(e.cause.code)) return true;
  // node-fetch (the SDKs' HTTP library): FetchError of type 'system', 'request-timeout' or 'body-timeout';
  // AbortError when the SDK's own timeout aborted the request
  if (e.name === 'FetchError' || e.name === 'AbortError') return true;
  // global fetch: TypeError('fetch failed') with the socket error as cause; AbortSignal.timeout aborts with TimeoutError
  return e.name === 'TimeoutError' || (e.name === 'TypeError' && e.message === 'fetch failed');
}

/** The code that names a network failure in a message: `ECONNRESET`, `TimeoutError`, … */
export function networkCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  return String(e.code ?? e.cause?.code ?? e.name ?? 'unknown');
}

/** The message of anything thrown, for an error report. */
export function messageOf(err: unknown): string {
  return err instanceof Error || (err && typeof (err as Error).message === 'string') ? (err as Error).message : String(err);
}
