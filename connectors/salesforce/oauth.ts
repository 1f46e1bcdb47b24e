import { z } from 'zod';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import type { TokenSet } from '../../src/store/installation-store';
import { requestToken, type TokenEndpoint } from '../shared/token-request';
import { metrics } from '../../src/metrics';
import { httpErrorOf, type SalesforceHttpError } from './salesforce-http-error';
import { toId18 } from './tenant';
import { describeHttp, toCrmError } from './to-crm-error';

/** `api` to call the REST API, `refresh_token` (alias `offline_access`) to get a refresh token. */
export const SALESFORCE_SCOPES = ['api', 'refresh_token'] as const;

/** Where Salesforce sends the installing user back. Must match the connected app's callback URL exactly. */
export function redirectUri(env: Env): string {
  return `${env.PUBLIC_URL}/oauth/salesforce/callback`;
}

/** A login URL without its trailing slashes. */
function loginBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Salesforce's login hosts: production, sandboxes, and the orgs' My Domains. */
const SALESFORCE_LOGIN_HOST = /^(login|test)\.salesforce\.com$|^[a-z0-9-]+(\.(sandbox|develop|scratch|demo|trailblaze))?\.my\.salesforce\.com$/i;

/**
 * The login URL an install link asks for (`?login=sandbox`, `?login=production`, or a My Domain
 * like `?login=https://acme.my.salesforce.com`), so that production and sandbox orgs can install
 * the same deployment. Only Salesforce's own login hosts (and `SALESFORCE_LOGIN_URL`) are accepted:
 * the client secret is sent to this host. Without `login`: `SALESFORCE_LOGIN_URL`.
 */
export function chooseLoginUrl(env: Env, login: unknown): { url: string } | { problem: string } {
  if (login === undefined || login === '') return { url: loginBase(env.SALESFORCE_LOGIN_URL) };
  if (login === 'production') return { url: 'https://login.salesforce.com' };
  if (login === 'sandbox') return { url: 'https://test.salesforce.com' };
  const refuse = { problem: 'login must be "production", "sandbox" or the https address of your My Domain (https://<name>.my.salesforce.com)' };
  if (typeof login !== 'string') return refuse;
  let u: URL;
  try {
    u = new URL(login);
  } catch {
    return refuse;
  }
  const configured = new URL(env.SALESFORCE_LOGIN_URL);
  const ok = (u.protocol === 'https:' && SALESFORCE_LOGIN_HOST.test(u.hostname)) || u.origin === configured.origin;
  return ok && (u.pathname === '/' || u.pathname === '') ? { url: u.origin } : refuse;
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new CrmError(`${name} is not set: the Salesforce connected app is not configured`, 'INVALID_REQUEST', false, { crm: 'salesforce' });
  return value;
}

/**
 * The install link: `${SALESFORCE_LOGIN_URL}/services/oauth2/authorize` (production, test.salesforce.com
 * for sandboxes, or a My Domain) with the web server flow, PKCE (S256) and a single-use `state`.
 */
export function authorizeUrl(env: Env, state: string, codeChallenge: string, loginUrl: string = env.SALESFORCE_LOGIN_URL): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: requireSetting(env.SALESFORCE_CLIENT_ID, 'SALESFORCE_CLIENT_ID'),
    redirect_uri: redirectUri(env),
    scope: SALESFORCE_SCOPES.join(' '),
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${loginBase(loginUrl)}/services/oauth2/authorize?${params.toString()}`;
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
  /** The login host that issued the tokens: refreshes go there. */
  loginUrl: string;
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
export async function exchangeCode(env: Env, code: string, codeVerifier: string, loginUrl: string = env.SALESFORCE_LOGIN_URL): Promise<SalesforceGrant> {
  const body = await tokenRequest(
    loginUrl,
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
    loginUrl: loginBase(loginUrl),
    ...(body.scope ? { scope: body.scope } : {}),
  };
}

/**
 * Refreshes an access token. When the org rotates refresh tokens the answer carries a new one, and
 * the old one must never be used again (reusing it revokes the whole family): the caller (the
 * TokenManager) persists the returned set before anyone uses it. A refusal for good
 * (`invalid_grant`: revoked, expired, or the user lost access) throws CrmError AUTH_REVOKED.
 * The refresh goes to the login host that issued the tokens (`loginUrl`: the org's own, kept at
 * install), not to `SALESFORCE_LOGIN_URL`, so production and sandbox orgs share a deployment.
 */
export async function refreshTokens(env: Env, tokens: TokenSet, tenant?: string, loginUrl: string = env.SALESFORCE_LOGIN_URL): Promise<{ tokens: TokenSet; instanceUrl: string; rotated: boolean }> {
  if (!tokens.refreshToken) throw new CrmError(`no refresh token for ${tenant ?? 'this installation'}`, 'AUTH_REVOKED', false, { crm: 'salesforce', tenant });
  try {
    const body = await tokenRequest(
      loginUrl,
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
    metrics.tokenRefreshes.inc({ crm: 'salesforce', outcome: rotated ? 'rotated' : 'ok' });
    return {
      tokens: { accessToken: body.access_token, refreshToken: body.refresh_token ?? tokens.refreshToken },
      instanceUrl: body.instance_url.replace(/\/+$/, ''),
      rotated,
    };
  } catch (err) {
    metrics.tokenRefreshes.inc({ crm: 'salesforce', outcome: err instanceof CrmError && err.code === 'AUTH_REVOKED' ? 'revoked' : 'failed' });
    throw err;
  }
}

function tokenRequest(loginUrl: string, form: Record<string, string>, what: string, tenant: string | undefined): Promise<z.infer<typeof tokenResponse>> {
  return requestToken(endpoint(loginUrl), form, tokenResponse, what, tenant);
}

function endpoint(loginUrl: string): TokenEndpoint<SalesforceHttpError> {
  return {
    crm: 'salesforce',
    label: 'Salesforce',
    url: `${loginBase(loginUrl)}/services/oauth2/token`,
    httpErrorOf,
    oauthError: (http) => ({ code: http.errorCode, description: http.detail }),
    describe: describeHttp,
    toCrmError,
    clientSettings: 'SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET',
    reinstall: 'the org must install the connector again',
    documented: 'what the OAuth 2.0 web server flow documents',
  };
}
