import type { CrmError } from '../../src/errors/crm-error';
import { redactContactData } from '../shared/redact';
import { toCrmErrorWith, type CrmErrorReading } from '../shared/to-crm-error';
import { httpFailureOf, type HubSpotHttpError } from './hubspot-http-error';

const reading: CrmErrorReading<HubSpotHttpError> = { crm: 'hubspot', httpOf: httpFailureOf, describe: describeHttp };

/**
 * Maps anything a HubSpot call threw to a CrmError (see `toCrmErrorWith`): 5xx, 408 and network
 * failures are retryable UNAVAILABLE; 400/403/404/409 never succeed on a retry and carry HubSpot's
 * message and category, contact data masked.
 */
export function toCrmError(err: unknown, tenant: string | undefined, what = 'HubSpot call'): CrmError {
  return toCrmErrorWith(reading, err, tenant, what);
}

/** `HubSpot answered 400 VALIDATION_ERROR: Property values were not valid … (correlation id …)`, contact data masked. */
export function describeHttp(http: HubSpotHttpError): string {
  const b = http.body;
  const message = b.message ?? b.error_description ?? b.error ?? 'no message';
  const category = b.category ?? b.error;
  const id = b.correlationId ? ` (correlation id ${b.correlationId})` : '';
  return redactContactData(`HubSpot answered ${http.status}${category && category !== message ? ` ${category}` : ''}: ${message}${id}`);
}
