import { CrmError } from '../../src/errors/crm-error';
import { SalesforceHttpError } from './salesforce-http-error';

/** Network failures a later try can get past (node-fetch and Node's own fetch). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Salesforce error codes a retry can get past although the status says otherwise. */
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT', 'TXN_SECURITY_METERING_ERROR']);

/**
 * Maps anything a Salesforce call threw to a CrmError, so that callers decide with `code` and
 * `retryable`: 5xx, 408, transient codes (UNABLE_TO_LOCK_ROW, …) and network failures are
 * retryable UNAVAILABLE; 401 is AUTH_EXPIRED (the client refreshes once before it gets here);
 * 403 REQUEST_LIMIT_EXCEEDED is BUDGET_EXHAUSTED; 404 NOT_FOUND; any other 4xx will never succeed
 * and carries Salesforce's errorCode and message. Messages never hold a token or a URL.
 */
export function toCrmError(err: unknown, tenant: string | undefined, what = 'Salesforce call'): CrmError {
  if (err instanceof CrmError) return err;
  const details = { crm: 'salesforce', ...(tenant ? { tenant } : {}) };
  if (err instanceof SalesforceHttpError) {
    const d = { ...details, status: err.status };
    const text = `${what} failed: ${describeHttp(err)}`;
    if (err.status === 401) return new CrmError(text, 'AUTH_EXPIRED', true, d, { cause: err });
    if (err.errorCode === 'REQUEST_LIMIT_EXCEEDED') return new CrmError(text, 'BUDGET_EXHAUSTED', true, d, { cause: err });
    if (err.status === 429) return new CrmError(text, 'RATE_LIMITED', true, d, { cause: err });
    if (err.status === 408 || err.status >= 500 || TRANSIENT_CODES.has(err.errorCode)) return new CrmError(text, 'UNAVAILABLE', true, d, { cause: err });
    if (err.status === 404) return new CrmError(text, 'NOT_FOUND', false, d, { cause: err });
    return new CrmError(text, 'INVALID_REQUEST', false, d, { cause: err });
  }
  if (isNetworkError(err)) return new CrmError(`${what} failed: network error (${networkCode(err)})`, 'UNAVAILABLE', true, details, { cause: err });
  const message = err instanceof Error || (err && typeof (err as Error).message === 'string') ? (err as Error).message : String(err);
  return new CrmError(`${what} failed: ${message}`, 'UNKNOWN', false, details, { cause: err });
}

/** `400 MALFORMED_QUERY: unexpected token: …`. */
export function describeHttp(err: SalesforceHttpError): string {
  return `Salesforce answered ${err.status} ${err.errorCode}: ${err.detail}${err.fields.length ? ` (fields ${err.fields.join(', ')})` : ''}`;
}

function networkCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  return String(e.code ?? e.cause?.code ?? e.name ?? 'unknown');
}

function isNetworkError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  // duck-typed: errors of Node's own fetch come from another realm under test runners
  const e = err as { code?: unknown; name?: unknown; message?: unknown; type?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.cause?.code === 'string' && NETWORK_CODES.has(e.cause.code)) return true;
  // node-fetch (jsforce's HTTP library): FetchError; AbortError when jsforce's timeout aborted the request
  if (e.name === 'FetchError' || e.name === 'AbortError') return true;
  // global fetch (token endpoint): TypeError('fetch failed'); AbortSignal.timeout aborts with TimeoutError
  return e.name === 'TimeoutError' || (e.name === 'TypeError' && e.message === 'fetch failed');
}
