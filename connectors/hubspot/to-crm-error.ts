import { CrmError } from '../../src/errors/crm-error';
import { httpFailureOf, type HubSpotHttpError } from './hubspot-http-error';

/** Network failures that a later try can get past. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Maps anything a HubSpot call threw to a CrmError, so that callers decide with `code` and
 * `retryable`: 5xx, 408 and network failures are retryable UNAVAILABLE; 400/403/404/409 never
 * succeed on a retry and carry HubSpot's message and category for the report. The message never
 * holds a token (HubSpot's error messages do not echo them, and we never put a URL in).
 */
export function toCrmError(err: unknown, tenant: string | undefined, what = 'HubSpot call'): CrmError {
  if (err instanceof CrmError) return err;
  const details = { crm: 'hubspot', ...(tenant ? { tenant } : {}) };
  const http = httpFailureOf(err);
  if (http) return fromHttp(http, details, what);
  if (isNetworkError(err)) {
    return new CrmError(`${what} failed: network error (${networkCode(err)})`, 'UNAVAILABLE', true, details, { cause: err });
  }
  const message = err instanceof Error || (err && typeof (err as Error).message === 'string') ? (err as Error).message : String(err);
  return new CrmError(`${what} failed: ${message}`, 'UNKNOWN', false, details, { cause: err });
}

function fromHttp(http: HubSpotHttpError, details: { crm: string; tenant?: string }, what: string): CrmError {
  const { status } = http;
  const text = `${what} failed: ${describeHttp(http)}`;
  const d = { ...details, status };
  if (status === 404) return new CrmError(text, 'NOT_FOUND', false, d, { cause: http });
  if (status === 401) return new CrmError(text, 'AUTH_EXPIRED', true, d, { cause: http });
  if (status === 429) return new CrmError(text, 'RATE_LIMITED', true, d, { cause: http });
  if (status === 408 || status >= 500) return new CrmError(text, 'UNAVAILABLE', true, d, { cause: http });
  return new CrmError(text, 'INVALID_REQUEST', false, d, { cause: http });
}

/** `400 VALIDATION_ERROR: Property values were not valid … (correlation id …)`. */
export function describeHttp(http: HubSpotHttpError): string {
  const b = http.body;
  const message = b.message ?? b.error_description ?? b.error ?? 'no message';
  const category = b.category ?? b.error;
  const id = b.correlationId ? ` (correlation id ${b.correlationId})` : '';
  return `HubSpot answered ${http.status}${category && category !== message ? ` ${category}` : ''}: ${message}${id}`;
}

function networkCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  return String(e.code ?? e.cause?.code ?? e.name ?? 'unknown');
}

function isNetworkError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  // duck-typed: errors of Node's own fetch come from another realm under test runners
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.cause?.code === 'string' && NETWORK_CODES.has(e.cause.code)) return true;
  // node-fetch (the SDK's HTTP library): FetchError of type 'system', 'request-timeout' or 'body-timeout'
  if (e.name === 'FetchError') return true;
  // global fetch: TypeError('fetch failed') with the socket error as cause; AbortSignal.timeout aborts with TimeoutError
  return e.name === 'TimeoutError' || (e.name === 'TypeError' && e.message === 'fetch failed');
}
