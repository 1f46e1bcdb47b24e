import type { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { CrmHttpError } from './http-error';

const TIMEOUT_MS = 15_000;

/** How one CRM's token endpoint is called and its answers read. */
export interface TokenEndpoint<H extends CrmHttpError> {
  crm: string;
  /** `HubSpot`, `Salesforce`: for messages. */
  label: string;
  /** The token endpoint's URL. */
  url: string;
  /** Reads an answer that is not ok into the CRM's HTTP error. */
  httpErrorOf(res: Response): Promise<H>;
  /** The RFC 6749 `error` code and its description in such an answer. */
  oauthError(http: H): { code?: string; description?: string };
  /** `HubSpot answered 400 BAD_REQUEST: …`. */
  describe(http: H): string;
  /** Maps anything else (network failures, 5xx, 429) to a CrmError. */
  toCrmError(err: unknown, tenant: string | undefined, what: string): CrmError;
  /** The settings to check when the CRM refuses the client: `HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET`. */
  clientSettings: string;
  /** What to do when a refresh token is refused: `the portal must install the app again`. */
  reinstall: string;
  /** What the successful answer must hold: `what the 2026-03 API documents`. */
  documented: string;
}

/**
 * One request to an OAuth token endpoint: a form POST (every parameter in the body, as RFC 6749
 * says), a 15 s timeout, the answer checked against `schema`. Refusals become CrmErrors that say
 * what to do: `invalid_grant` on a refresh is AUTH_REVOKED (the tenant must install again), on a
 * code exchange INVALID_REQUEST (start the install again); a refused client names the settings to
 * check; other 4xx never succeed on a retry; 5xx, 429 and network failures are retryable.
 */
export async function requestToken<T, H extends CrmHttpError>(
  endpoint: TokenEndpoint<H>,
  form: Record<string, string>,
  schema: z.ZodType<T>,
  what: string,
  tenant: string | undefined,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw endpoint.toCrmError(err, tenant, what);
  }
  if (!res.ok) throw tokenError(endpoint, await endpoint.httpErrorOf(res), what, tenant, form.grant_type === 'refresh_token');
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
    throw new CrmError(`${what}: ${endpoint.label}'s token response is not ${endpoint.documented} (${fields})`, 'UNKNOWN', false, { crm: endpoint.crm, tenant });
  }
  return parsed.data;
}

function tokenError<H extends CrmHttpError>(endpoint: TokenEndpoint<H>, http: H, what: string, tenant: string | undefined, isRefresh: boolean): CrmError {
  const details = { crm: endpoint.crm, tenant, status: http.status };
  const { code, description } = endpoint.oauthError(http);
  if (code === 'invalid_grant') {
    return isRefresh
      ? new CrmError(`${what} was refused (invalid_grant: ${description ?? 'refresh token invalid, expired or revoked'}); ${endpoint.reinstall}`, 'AUTH_REVOKED', false, details, { cause: http })
      : new CrmError(`${what} was refused (invalid_grant: ${description ?? 'the code is invalid or expired'}); start the install again`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (code === 'invalid_client' || code === 'invalid_client_id' || code === 'unauthorized_client') {
    return new CrmError(`${what} was refused (${code}${description ? `: ${description}` : ''}): check ${endpoint.clientSettings}`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (http.status >= 400 && http.status < 500 && http.status !== 408 && http.status !== 429) {
    return new CrmError(`${what} failed: ${endpoint.describe(http)}`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  return endpoint.toCrmError(http, tenant, what);
}
