import { z } from 'zod';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import type { TokenSet } from '../../src/store/installation-store';
import { httpErrorOf, type HubSpotHttpError } from './hubspot-http-error';
import { hubspotMetrics } from './metrics';
import { describeHttp, toCrmError } from './to-crm-error';

/** The scopes the app asks for; every one is needed to read and score contacts and write the score back. */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.owners.read',
] as const;

/** Scopes the portal may refuse without failing the install (company firmographics). */
export const HUBSPOT_OPTIONAL_SCOPES = ['crm.objects.companies.read'] as const;

/** The token endpoint of HubSpot's 2026-03 OAuth API: every parameter in the form body, RFC 6749 errors. */
export const TOKEN_PATH = '/oauth/2026-03/token';

const TIMEOUT_MS = 15_000;

/** Where HubSpot sends the installing user back. Must match the app's redirect URL exactly. */
export function redirectUri(env: Env): string {
  return `${env.PUBLIC_URL}/oauth/hubspot/callback`;
}

/** The install link: HubSpot's authorize page with client_id, redirect_uri, scopes and `state`. */
export function authorizeUrl(env: Env, state: string): string {
  const clientId = requireSetting(env.HUBSPOT_CLIENT_ID, 'HUBSPOT_CLIENT_ID');
  // Scopes are space-separated; encodeURIComponent writes the spaces as %20, as HubSpot's own examples do.
  const params: [string, string][] = [
    ['client_id', clientId],
    ['redirect_uri', redirectUri(env)],
    ['scope', HUBSPOT_SCOPES.join(' ')],
    ['optional_scope', HUBSPOT_OPTIONAL_SCOPES.join(' ')],
    ['state', state],
  ];
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${env.HUBSPOT_AUTHORIZE_URL}${env.HUBSPOT_AUTHORIZE_URL.includes('?') ? '&' : '?'}${query}`;
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new CrmError(`${name} is not set: the HubSpot app is not configured`, 'INVALID_REQUEST', false, { crm: 'hubspot' });
  return value;
}

/**
 * The token response. The 2026-03 endpoint answers in RFC 6749 form (`access_token`, `refresh_token`,
 * `expires_in`, `token_type`); camelCase names (seen in some of HubSpot's reference pages) are read too.
 */
const tokenResponse = z.preprocess(
  (v) => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    return { access_token: o.access_token ?? o.accessToken, refresh_token: o.refresh_token ?? o.refreshToken, expires_in: o.expires_in ?? o.expiresIn };
  },
  z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1),
    expires_in: z.coerce.number().int().positive(),
  }),
);

/** Exchanges the authorization code of the callback for tokens. */
export async function exchangeCode(env: Env, code: string, clock: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(
    env,
    {
      grant_type: 'authorization_code',
      client_id: requireSetting(env.HUBSPOT_CLIENT_ID, 'HUBSPOT_CLIENT_ID'),
      client_secret: requireSetting(env.HUBSPOT_CLIENT_SECRET, 'HUBSPOT_CLIENT_SECRET'),
      redirect_uri: redirectUri(env),
      code,
    },
    'the authorization code exchange',
    undefined,
    clock,
  );
}

/**
 * Refreshes an access token (the TokenManager's RefreshFn). A refresh token HubSpot refuses
 * (`invalid_grant`: the app was uninstalled or the token revoked) throws CrmError AUTH_REVOKED.
 */
export async function refreshTokens(env: Env, tokens: TokenSet, tenant?: string, clock: () => number = Date.now): Promise<TokenSet> {
  if (!tokens.refreshToken) throw new CrmError(`no refresh token for ${tenant ?? 'this installation'}`, 'AUTH_REVOKED', false, { crm: 'hubspot', tenant });
  try {
    const fresh = await tokenRequest(
      env,
      {
        grant_type: 'refresh_token',
        client_id: requireSetting(env.HUBSPOT_CLIENT_ID, 'HUBSPOT_CLIENT_ID'),
        client_secret: requireSetting(env.HUBSPOT_CLIENT_SECRET, 'HUBSPOT_CLIENT_SECRET'),
        redirect_uri: redirectUri(env),
        refresh_token: tokens.refreshToken,
      },
      'the token refresh',
      tenant,
      clock,
    );
    hubspotMetrics.tokenRefreshes.inc({ outcome: 'ok' });
    return fresh;
  } catch (err) {
    hubspotMetrics.tokenRefreshes.inc({ outcome: err instanceof CrmError && err.code === 'AUTH_REVOKED' ? 'revoked' : 'failed' });
    throw err;
  }
}

async function tokenRequest(env: Env, form: Record<string, string>, what: string, tenant: string | undefined, clock: () => number): Promise<TokenSet> {
  let res: Response;
  try {
    res = await fetch(`${env.HUBSPOT_API_BASE_URL}${TOKEN_PATH}`, {
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
    throw new CrmError(`${what}: HubSpot's token response is not what the 2026-03 API documents (${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  }
  return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, expiresAt: clock() + parsed.data.expires_in * 1000 };
}

/** RFC 6749 errors: `invalid_grant` on a refresh means the portal took its consent back. */
function tokenError(http: HubSpotHttpError, what: string, tenant: string | undefined, isRefresh: boolean): CrmError {
  const details = { crm: 'hubspot', tenant, status: http.status };
  const code = http.body.error;
  if (code === 'invalid_grant') {
    return isRefresh
      ? new CrmError(`${what} was refused (invalid_grant: ${http.body.error_description ?? 'refresh token invalid, expired or revoked'}); the portal must install the app again`, 'AUTH_REVOKED', false, details, { cause: http })
      : new CrmError(`${what} was refused (invalid_grant: ${http.body.error_description ?? 'the code is invalid or expired'}); start the install again`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new CrmError(`${what} was refused (${code}): check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  if (http.status >= 400 && http.status < 500 && http.status !== 408 && http.status !== 429) {
    return new CrmError(`${what} failed: ${describeHttp(http)}`, 'INVALID_REQUEST', false, details, { cause: http });
  }
  return toCrmError(http, tenant, what);
}

/** What HubSpot says about an access token: which portal installed the app, with which scopes. */
const accessTokenInfo = z.object({
  hub_id: z.number().int().positive(),
  hub_domain: z.string().optional(),
  app_id: z.number().optional(),
  scopes: z.array(z.string()).optional(),
});
export type AccessTokenInfo = z.infer<typeof accessTokenInfo>;

/** Reads the portal id of an OAuth access token (`GET /oauth/v1/access-tokens/{token}` → `hub_id`). */
export async function fetchAccessTokenInfo(env: Env, accessToken: string): Promise<AccessTokenInfo> {
  const what = 'reading the portal of the new token';
  let res: Response;
  try {
    res = await fetch(`${env.HUBSPOT_API_BASE_URL}/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw toCrmError(err, undefined, what);
  }
  if (!res.ok) throw toCrmError(await httpErrorOf(res), undefined, what);
  const parsed = accessTokenInfo.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new CrmError(`${what}: the answer has no hub_id`, 'UNKNOWN', false, { crm: 'hubspot' });
  return parsed.data;
}
