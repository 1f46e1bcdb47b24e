/**
 * Injected failures: "the next N requests matching this answer with that". Matching is on the
 * route name (`POST /crm/v3/objects/contacts/batch/update`), on method and path, and on portal.
 */
import { FaultInjector as GenericFaultInjector, type BaseFailureRule } from '../shared/fault-injector';
import type { SandboxResponse } from '../shared/http-server';
import { hubspotError, invalidAuthentication, rateLimited } from './errors';

export interface FailureRule extends BaseFailureRule {
  portalId?: number;
}

/** The sandbox's fault injector: rules match on portalId; a rule without a body gets the CRM's usual one. */
export class FaultInjector extends GenericFaultInjector<FailureRule, number> {
  constructor() {
    super((rule) => rule.portalId, defaultFor);
  }
}

function defaultFor(status: number): SandboxResponse {
  if (status === 429) return rateLimited('TEN_SECONDLY_ROLLING', undefined, { 'X-HubSpot-RateLimit-Remaining': '0' });
  if (status === 401) return invalidAuthentication();
  if (status === 403) return hubspotError(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call.');
  if (status === 404) return hubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
  if (status >= 500) return hubspotError(status, 'INTERNAL_ERROR', status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'internal error');
  return hubspotError(status, 'VALIDATION_ERROR', 'injected failure');
}
