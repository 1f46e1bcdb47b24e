import { CrmError, type CrmErrorCode } from '../../src/errors/crm-error';
import type { CrmHttpError } from './http-error';
import { isNetworkError, messageOf, networkCode } from './network-error';

/** How one CRM's failures are read. */
export interface CrmErrorReading<H extends CrmHttpError> {
  crm: string;
  /** The HTTP failure inside an error thrown by the SDK or by our own fetches, if it is one. */
  httpOf(err: unknown): H | undefined;
  /** `HubSpot answered 400 VALIDATION_ERROR: …`, contact data masked. */
  describe(http: H): string;
  /** What the CRM's own error code says before the status decides (Salesforce: REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW). */
  byErrorCode?(http: H): { code: CrmErrorCode; retryable: boolean } | undefined;
}

/**
 * Maps anything a CRM call threw to a CrmError, so that callers decide with `code` and
 * `retryable`, never by matching text: 401 AUTH_EXPIRED (the client refreshes once before it gets
 * here), 429 RATE_LIMITED, 408, 5xx and network failures retryable UNAVAILABLE, 404 NOT_FOUND,
 * any other 4xx INVALID_REQUEST (it will never succeed) with the CRM's own words. Messages never
 * hold a token or a URL, and contact data the CRM quoted is masked.
 */
export function toCrmErrorWith<H extends CrmHttpError>(reading: CrmErrorReading<H>, err: unknown, tenant: string | undefined, what: string): CrmError {
  if (err instanceof CrmError) return err;
  const details = { crm: reading.crm, ...(tenant ? { tenant } : {}) };
  const http = reading.httpOf(err);
  if (http) {
    const { status } = http;
    const d = { ...details, status };
    const text = `${what} failed: ${reading.describe(http)}`;
    const special = reading.byErrorCode?.(http);
    if (special) return new CrmError(text, special.code, special.retryable, d, { cause: http });
    if (status === 401) return new CrmError(text, 'AUTH_EXPIRED', true, d, { cause: http });
    if (status === 429) return new CrmError(text, 'RATE_LIMITED', true, d, { cause: http });
    if (status === 408 || status >= 500) return new CrmError(text, 'UNAVAILABLE', true, d, { cause: http });
    if (status === 404) return new CrmError(text, 'NOT_FOUND', false, d, { cause: http });
    return new CrmError(text, 'INVALID_REQUEST', false, d, { cause: http });
  }
  if (isNetworkError(err)) return new CrmError(`${what} failed: network error (${networkCode(err)})`, 'UNAVAILABLE', true, details, { cause: err });
  return new CrmError(`${what} failed: ${messageOf(err)}`, 'UNKNOWN', false, details, { cause: err });
}
