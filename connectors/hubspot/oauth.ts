import { z } from 'zod';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import type { TokenSet } from '../../src/store/installation-store';
import { requestToken, type TokenEndpoint } from '../shared/token-request';
import { httpErrorOf, type HubSpotHttpError } from './hubspot-http-error';
import { metrics } from '../../src/metrics';
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
 * `expires_in`, `token_type`); camelCase names (seen in some of
 * HubSpot's reference pages) are read too.
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

function endpoint(env: Env, path: string): TokenEndpoint<HubSpotHttpError> {
  return {
    crm: 'hubspot',
    label: 'HubSpot',
    url: `${env.HUBSPOT_API_BASE_URL}${path}`,
    httpErrorOf,
    oauthError: (http) => ({ code: http.body.error, description: http.body.error_description }),
    describe: describeHttp,
    toCrmError,
    clientSettings: 'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET',
    reinstall: 'the portal must install the app again',
    documented: 'what the 2026-03 API documents',
  };
}

function client(env: Env): { client_id: string; client_secret: string } {
  return { client_id: requireSetting(env.HUBSPOT_CLIENT_ID, 'HUBSPOT_CLIENT_ID'), client_secret: requireSetting(env.HUBSPOT_CLIENT_SECRET, 'HUBSPOT_CLIENT_SECRET') };
}

async function tokenRequest(env: Env, form: Record<string, string>, what: string, tenant: string | undefined, clock: () => number): Promise<TokenSet> {
  const body = await requestToken(endpoint(env, TOKEN_PATH), form, tokenResponse, what, tenant);
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: clock() + body.expires_in * 1000 };
}

/** Exchanges the authorization code of the callback for tokens. */
export async function exchangeCode(env: Env, code: string, clock: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(env, { grant_type: 'authorization_code', ...client(env), redirect_uri: redirectUri(env), code }, 'the authorization code exchange', undefined, clock);
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
      { grant_type: 'refresh_token', ...client(env), redirect_uri: redirectUri(env), refresh_token: tokens.refreshToken },
      'the token refresh',
      tenant,
      clock,
    );
    metrics.tokenRefreshes.inc({ crm: 'hubspot', outcome: 'ok' });
    return fresh;
  } catch (err) {
    metrics.tokenRefreshes.inc({ crm: 'hubspot', outcome: err instanceof CrmError && err.code === 'AUTH_REVOKED' ? 'revoked' : 'failed' });
    throw err;
  }
}

/** The introspection endpoint of the 2026-03 OAuth API (RFC 7662): validity and metadata of a token. */
export const INTROSPECT_PATH = '/oauth/2026-03/token/introspect';

/** What HubSpot says about an access token: whether it is active, which portal installed the app, with which scopes. */
const introspection = z.union([
  z.object({
    active: z.literal(true),
    hub_id: z.coerce.number().int().positive(),
    hub_domain: z.string().optional(),
    app_id: z.number().optional(),
    scopes: z.array(z.string()).optional(),
    token_use: z.string().optional(),
  }),
  z.object({ active: z.literal(false) }),
]);
export type AccessTokenInfo = { hub_id: number; hub_domain?: string; app_id?: number; scopes?: string[] };

/**
 * Reads the portal id and scopes of an OAuth access token through the 2026-03 introspection
 * endpoint (`POST /oauth/2026-03/token/introspect`, client credentials and the token in the form
 * body: the token never appears in a URL). The v1 metadata route (`GET /oauth/v1/access-tokens/{token}`)
 * goes away with the v1 OAuth API.
 */
export async function fetchAccessTokenInfo(env: Env, accessToken: string): Promise<AccessTokenInfo> {
  const what = 'reading the portal of the new token';
  const info = await requestToken(endpoint(env, INTROSPECT_PATH), { ...client(env), token: accessToken, token_type_hint: 'access_token' }, introspection, what, undefined);
  if (!info.active) throw new CrmError(`${what}: HubSpot says the token it has just issued is not active; start the install again`, 'INVALID_REQUEST', false, { crm: 'hubspot' });
  const { active: _active, token_use: _use, ...rest } = info;
  return rest;
}
