import { z } from 'zod';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import type { TokenSet } from '../../src/store/installation-store';
import { salesforceMetrics } from './metrics';
import { httpErrorOf, type SalesforceHttpError } from './salesforce-http-error';
import { toId18 } from './tenant';
import { describeHttp, toCrmError } from './to-crm-error';

/** `api` to call the REST API, `refresh_token` (alias `offline_access`) to get a refresh token. */
export const SALESFORCE_SCOPES = ['api', 'refresh_token'] as const;

const TIMEOUT_MS = 15_000;

/** Where Salesforce sends the installing user back. Must match the connected app's callback URL exactly. */
export function redirectUri(env: Env): string {
  return `${env.PUBLIC_URL}/oauth/salesforce/callback`;
}

function loginBase(env: Env): string {
  return env.SALESFORCE_LOGIN_URL.replace(/\/+$/, '');
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new CrmError(`${name} is not set: the Salesforce connected app is not configured`, 'INVALID_REQUEST', false, { crm: 'salesforce' });
  return value;
}

/**
 * The install link: `${SALESFORCE_LOGIN_URL}/services/oauth2/authorize` (production, test.salesforce.com
 * for sandboxes, or a My Domain) with the web server flow, PKCE (S256) and a single-use `state`.
 */
export function authorizeUrl(env: Env, state: string, codeChallenge: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: requireSetting(env.SALESFORCE_CLIENT_ID, 'SALESFORCE_CLIENT_ID'),
    redirect_uri: redirectUri(env),
    scope: SALESFORCE_SCOPES.join(' '),
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${loginBase(env)}/services/oauth2/authorize?${params.toString()}`;
}

/**
 * Salesforce's token response. There is no `expires_in`: an access token lives as long as the
 * org's session timeout and is refreshed when Salesforce refuses it. `refresh_token` comes with the
 * code exchange, and with a refresh only when the org rotates refresh tokens.
 */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  /** The identity URL: `https://login.salesforce.com/id/<orgId>/<userId>`. */
  id: z.string().url(),
  issued_at: z.string().optional(),
  scope: z.string().optional(),
});

/** What the code exchange gives: tokens, where the org's API lives, and who installed it. */
export interface SalesforceGrant {
  tokens: TokenSet;
  instanceUrl: string;
  identityUrl: string;
  /** 18-character org id (from the identity URL). */
  orgId: string;
  /** 18-character id of the user the connector acts as. */
  userId: string;
  scope?: string;
}

/** Org and user ids of an identity URL (`…/id/<orgId>/<userId>`), in their 18-character form. */
export function parseIdentityUrl(url: string): { orgId: string; userId: string } {
  const m = /\/id\/([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)\/([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)\/?$/.exec(new URL(url).pathname);
  if (!m?.[1] || !m[2]) throw new CrmError('the token response names no org: its identity URL is not …/id/<orgId>/<userId>', 'UNKNOWN', false, { crm: 'salesforce' });
  return { orgId: toId18(m[1]), userId: toId18(m[2]) };
}

/**
 * Exchanges the authorization code of the callback, with the PKCE verifier kept for its `state`.
 * Done here with fetch rather than jsforce's OAuth2: once jsforce's OAuth2 has a verifier it sends it
 * with every later token call (refreshes too).
 */
export async function exchangeCode(env: Env, code: string, codeVerifier: string): Promise<SalesforceGrant> {
  const body = await tokenRequest(
    env,
    {
      grant_type: 'authorization_code',
      code,
      client_id: requireSetting(env.SALESFORCE_CLIENT_ID, 'SALESFORCE_CLIENT_ID'),
      client_secret: requireSetting(env.SALESFORCE_CLIENT_SECRET, 'SALESFORCE_CLIENT_SECRET'),
      redirect_uri: redirectUri(env),
      code_verifier: codeVerifier,
    },
    'the authorization code exchange',
    undefined,
  );
  if (!body.refresh_token) {
    throw new CrmError('Salesforce gave no refresh token: add the "refresh_token, offline_access" scope to the connected app and install again', 'INVALID_REQUEST', false, { crm: 'salesforce' });
  }
  const { orgId, userId } = parseIdentityUrl(body.id);
  return {
    tokens: { accessToken: body.access_token, refreshToken: body.refresh_token },
    instanceUrl: body.instance_url.replace(/\/+$/, ''),
    identityUrl: body.id,
    orgId,
    userId,
    ...(body.scope ? { scope: body.scope } : {}),
  };
}

/**
 * Refreshes an access token. When the org rotates refresh tokens the answer carries a new one, and
 * the old one must never be used again (reusing it revokes the whole family): the caller (the
 * TokenManager) persists the returned set before anyone uses it. A refusal for good
 * (`invalid_grant`: revoked, expired, or the user lost access) throws CrmError AUTH_REVOKED.
 */
export async function refreshTokens(env: Env, tokens: TokenSet, tenant?: string): Promise<{ tokens: TokenSet; instanceUrl: string; rotated: boolean }> {
  if (!tokens.refreshToken) throw new CrmError(`no refresh token for ${tenant ?? 'this installation'}`, 'AUTH_REVOKED', false, { crm: 'salesforce', tenant });
  try {
    const body = await tokenRequest(
      env,
      {
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: requireSetting(env.SALESFORCE_CLIENT_ID, 'SALESFORCE_CLIENT_ID'),
        client_secret: requireSetting(env.SALESFORCE_CLIENT_SECRET, 'SALESFORCE_CLIENT_SECRET'),
      },
      'the token refresh',
      tenant,
    );
    const rotated = body.refresh_token !== undefined && body.refresh_token !== tokens.refreshToken;
    salesforceMetrics.tokenRefreshes.inc({ outcome: rotated ? 'rotated' : 'ok' });
    return {
      tokens: { accessToken: body.access_token, refreshToken: body.refresh_token ?? tokens.refreshToken },
      instanceUrl: body.instance_url.replace(/\/+$/, ''),
      rotated,
    };
  } catch (err) {
    salesforceMetrics.tokenRefreshes.inc({ outcome: err instanceof CrmError && err.code === 'AUTH_REVOKED' ? 'revoked' : 'failed' });
    throw err;
  }
}

async function tokenRequest(env: Env, form: Record<string, string>, what: string, tenant: string | undefined): Promise<z.infer<typeof tokenResponse>> {
  let res: Response;
  try {
    res = await fetch(`${loginBase(env)}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw toCrmError(err, tenant, what);
  }
  if (!res.ok) throw tokenError(await httpErrorOf(res), what, tenant, form.grant_type === 'refresh_token');
  const parsed = tokenResponse.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) {
    throw new CrmError(`${what}: Salesforce's token response lacks ${parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ')}`, 'UNKNOWN', false, { crm: 'salesforce', tenant });
  }
  return parsed.data;
}

/** OAuth errors: `invalid_grant` on a refresh means the org took its consent back (or the token family was revoked). */
function tokenError(http: SalesforceHttpError, what: string, tenant: string | undefined, isRefresh: boolean): CrmError {
  const details = { crm: 'salesforce', tenant, status: http.status };
  if (http.errorCode === 'invalid_grant') {
    return isRefresh
      ? new CrmError(`${what} was refused (invalid_grant: ${http.detail}); the org must install the connector again`, 'AUTH_REVOKED', false, details, { cause: http })
      : new CrmError(`${what} was refused (invalid_grant: ${http.detail}); start the install again`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (http.errorCode === 'invalid_client' || http.errorCode === 'invalid_client_id' || http.errorCode === 'unauthorized_client') {
    return new CrmError(`${what} was refused (${http.errorCode}: ${http.detail}): check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (http.status >= 400 && http.status < 500 && http.status !== 408 && http.status !== 429) {
    return new CrmError(`${what} failed: ${describeHttp(http)}`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  return toCrmError(http, tenant, what);
}
