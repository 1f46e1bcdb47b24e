/**
 * Injected failures: "the next N requests matching this answer with that". Matching is on the
 * route name (`PATCH /services/data/vXX.X/composite/sobjects`), on method and path, and on org.
 * Without a body, the answer is Salesforce's usual body for the status.
 */
import { FaultInjector as GenericFaultInjector, type BaseFailureRule } from '../shared/fault-injector';
import type { SandboxResponse } from '../shared/http-server';
import { notFound, requestLimitExceeded, sessionInvalid, sfError } from './errors';

export interface FailureRule extends BaseFailureRule {
  orgId?: string;
}

/** The sandbox's fault injector: rules match on orgId; a rule without a body gets the CRM's usual one. */
export class FaultInjector extends GenericFaultInjector<FailureRule, string> {
  constructor() {
    super((rule) => rule.orgId, defaultFor);
  }
}

function defaultFor(status: number): SandboxResponse {
  if (status === 401) return sessionInvalid();
  if (status === 403) return requestLimitExceeded();
  if (status === 404) return notFound();
  if (status === 503) return sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.');
  if (status >= 500) return sfError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)');
  return sfError(status, 'INJECTED_FAILURE', 'injected failure');
}
