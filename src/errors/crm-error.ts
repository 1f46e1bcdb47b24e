/** What kind of failure a CRM call met; decides retry, wait or report. */
export type CrmErrorCode =
  | 'RATE_LIMITED'
  | 'AUTH_EXPIRED'
  | 'AUTH_REVOKED'
  | 'BUDGET_EXHAUSTED'
  | 'NOT_FOUND'
  | 'INVALID_REQUEST'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/**
 * An error from a CRM call, typed so that callers decide with `code` and `retryable`,
 * never by matching message text. `retryAfterMs` is set when the CRM said how long to wait.
 */
export class CrmError extends Error {
  override readonly name = 'CrmError';
  constructor(
    message: string,
    readonly code: CrmErrorCode,
    readonly retryable: boolean,
    readonly details: { status?: number; retryAfterMs?: number; crm?: string; tenant?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
