import type { CrmError } from '../../src/errors/crm-error';
import { redactContactData } from '../shared/redact';
import { toCrmErrorWith, type CrmErrorReading } from '../shared/to-crm-error';
import { SalesforceHttpError } from './salesforce-http-error';

/** Salesforce error codes a retry can get past although the status says otherwise. */
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT', 'TXN_SECURITY_METERING_ERROR']);

const reading: CrmErrorReading<SalesforceHttpError> = {
  crm: 'salesforce',
  httpOf: (err) => (err instanceof SalesforceHttpError ? err : undefined),
  describe: describeHttp,
  byErrorCode(http) {
    if (http.status === 401) return undefined;
    if (http.errorCode === 'REQUEST_LIMIT_EXCEEDED') return { code: 'BUDGET_EXHAUSTED', retryable: true };
    if (TRANSIENT_CODES.has(http.errorCode)) return { code: 'UNAVAILABLE', retryable: true };
    return undefined;
  },
};

/**
 * Maps anything a Salesforce call threw to a CrmError (see `toCrmErrorWith`): besides the status,
 * 403 REQUEST_LIMIT_EXCEEDED is BUDGET_EXHAUSTED and transient codes (UNABLE_TO_LOCK_ROW, …) are
 * retryable UNAVAILABLE; any other 4xx carries Salesforce's errorCode and message, contact data masked.
 */
export function toCrmError(err: unknown, tenant: string | undefined, what = 'Salesforce call'): CrmError {
  return toCrmErrorWith(reading, err, tenant, what);
}

/** `Salesforce answered 400 MALFORMED_QUERY: unexpected token: … (fields …)`, contact data masked. */
export function describeHttp(err: SalesforceHttpError): string {
  return redactContactData(`Salesforce answered ${err.status} ${err.errorCode}: ${err.detail}${err.fields.length ? ` (fields ${err.fields.join(', ')})` : ''}`);
}
