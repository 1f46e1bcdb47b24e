/**
 * HubSpot's error bodies, one builder per kind. Shapes follow the public docs' error-handling page
 * (`{status:"error", message, correlationId, category, errors?, context?}`) and bodies HubSpot has
 * been seen to send (quoted in public issue threads); see the sandbox README for which is which.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../shared/http-server';

export function correlationId(): string {
  return randomUUID();
}

export interface HubSpotErrorExtra {
  subCategory?: string;
  errors?: { message: string; in?: string; code?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
}

export function hubspotError(status: number, category: string, message: string, extra: HubSpotErrorExtra = {}): SandboxResponse {
  return { status, body: { status: 'error', message, correlationId: correlationId(), category, ...extra } };
}

export function validationError(message: string, extra: HubSpotErrorExtra = {}): SandboxResponse {
  return hubspotError(400, 'VALIDATION_ERROR', message, extra);
}

export function notFound(message = 'resource not found'): SandboxResponse {
  return hubspotError(404, 'OBJECT_NOT_FOUND', message);
}

/** 401 for a missing, unknown or revoked token (HubSpot does not tell these apart). */
export function invalidAuthentication(): SandboxResponse {
  return hubspotError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

/** 401 for an OAuth access token used after it expired. */
export function expiredAuthentication(expiredAt: number, now: number): SandboxResponse {
  return hubspotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago(now - expiredAt)} ago.`, {
    context: { 'expire time': [new Date(expiredAt).toISOString()] },
  });
}

function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} second(s)`;
  if (s < 3600) return `${Math.floor(s / 60)} minute(s)`;
  if (s < 86400) return `${Math.floor(s / 3600)} hour(s)`;
  return `${Math.floor(s / 86400)} day(s)`;
}

export function missingScopes(required: string[]): SandboxResponse {
  return hubspotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: required } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

/** One entry of the JSON list inside "Property values were not valid: [...]". */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

export function propertyValuesInvalid(errors: PropertyValueError[]): SandboxResponse {
  return validationError(`Property values were not valid: ${JSON.stringify(errors)}`);
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

/** The 429 body. `groupName` only where HubSpot sends one (the ten-secondly policy). */
export function rateLimited(policy: RateLimitPolicy, groupName: string | undefined, headers: Record<string, string> = {}): SandboxResponse {
  const message =
    policy === 'TEN_SECONDLY_ROLLING'
      ? 'You have reached your ten_secondly_rolling limit.'
      : policy === 'DAILY'
        ? 'You have reached your daily limit.'
        : 'You have reached your secondly limit.';
  const body: Record<string, unknown> = { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: correlationId(), policyName: policy };
  if (groupName) body.groupName = groupName;
  return { status: 429, body, headers };
}

/** The body of a 4xx from the OAuth token endpoints: RFC 6749 fields plus HubSpot's legacy pair. */
export function oauthError(
  status: number,
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope',
  hubspotStatus: string,
  description: string,
  withCorrelationId: boolean,
): SandboxResponse {
  const body: Record<string, unknown> = { error, error_description: description, status: hubspotStatus, message: description };
  if (withCorrelationId) body.correlationId = correlationId();
  return { status, body };
}
