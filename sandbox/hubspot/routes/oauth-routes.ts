/**
 * OAuth: the token endpoint in its three versions (`/oauth/2026-03/token` and `/oauth/v3/token`
 * take every parameter in the form body; the deprecated `/oauth/v1/token`, which the SDK still
 * calls, also reads the query string), token metadata, introspection and revocation.
 */
import { correlationId, oauthError } from '../errors';
import type { AccessToken, RefreshToken } from '../auth/token-registry';
import { json, type RouteContext, type RouteDef } from './context';

export function oauthRoutes(): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const version of ['2026-03', 'v3', 'v1']) {
    routes.push({ method: 'POST', pattern: `/oauth/${version}/token`, kind: 'oauth', handle: (ctx) => tokenEndpoint(ctx, version === 'v1') });
  }
  for (const version of ['2026-03', 'v3']) {
    routes.push({ method: 'POST', pattern: `/oauth/${version}/token/introspect`, kind: 'oauth', handle: introspect });
    routes.push({ method: 'POST', pattern: `/oauth/${version}/token/revoke`, kind: 'oauth', handle: revoke });
  }
  routes.push({ method: 'GET', pattern: '/oauth/v1/access-tokens/:token', kind: 'oauth', handle: accessTokenInfo });
  routes.push({ method: 'GET', pattern: '/oauth/v1/refresh-tokens/:token', kind: 'oauth', handle: refreshTokenInfo });
  routes.push({ method: 'DELETE', pattern: '/oauth/v1/refresh-tokens/:token', kind: 'oauth', handle: deleteRefreshToken });
  return routes;
}

function param(ctx: RouteContext, name: string, legacy: boolean): string | undefined {
  const v = ctx.form?.get(name) ?? (legacy ? ctx.req.query.get(name) : null);
  return v === null || v === '' ? undefined : v;
}

function checkClient(ctx: RouteContext, legacy: boolean) {
  const clientId = param(ctx, 'client_id', legacy);
  const clientSecret = param(ctx, 'client_secret', legacy);
  if (!clientId) return oauthError(400, 'invalid_request', 'BAD_CLIENT_ID', 'missing client_id', legacy);
  if (clientId !== ctx.core.app.clientId) return oauthError(400, 'invalid_client', 'BAD_CLIENT_ID', 'missing or invalid client_id', legacy);
  if (clientSecret !== ctx.core.app.clientSecret) return oauthError(400, 'invalid_client', 'BAD_CLIENT_SECRET', 'missing or invalid client_secret', legacy);
  return undefined;
}

function tokenEndpoint(ctx: RouteContext, legacy: boolean) {
  const type = (ctx.req.headers['content-type'] ?? '').toLowerCase();
  if (!legacy && !type.startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'BAD_REQUEST', 'the token endpoint takes an application/x-www-form-urlencoded body', false);
  }
  const grantType = param(ctx, 'grant_type', legacy);
  if (!grantType) return oauthError(400, 'invalid_request', 'BAD_GRANT_TYPE', 'missing grant_type', legacy);
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return oauthError(400, 'unsupported_grant_type', 'BAD_GRANT_TYPE', `unsupported grant_type: ${grantType}`, legacy);
  }
  const clientProblem = checkClient(ctx, legacy);
  if (clientProblem) return clientProblem;
  const tokens = ctx.core.tokens;

  if (grantType === 'authorization_code') {
    const code = param(ctx, 'code', legacy);
    const redirectUri = param(ctx, 'redirect_uri', legacy);
    if (!code) return oauthError(400, 'invalid_request', 'BAD_AUTH_CODE', 'missing code', legacy);
    if (!redirectUri) return oauthError(400, 'invalid_request', 'BAD_REDIRECT_URI', 'missing redirect_uri', legacy);
    const result = tokens.redeemCode(code, redirectUri);
    if (!result.ok) {
      if (result.reason === 'expired') return oauthError(400, 'invalid_grant', 'EXPIRED_AUTH_CODE', 'auth code is expired', legacy);
      if (result.reason === 'redirect_mismatch') return oauthError(400, 'invalid_grant', 'BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for', legacy);
      return oauthError(400, 'invalid_grant', 'BAD_AUTH_CODE', 'missing or unknown auth code', legacy);
    }
    return json(200, result.tokens);
  }

  const refreshToken = param(ctx, 'refresh_token', legacy);
  if (!refreshToken) return oauthError(400, 'invalid_request', 'BAD_REFRESH_TOKEN', 'missing refresh_token', legacy);
  const refresh = tokens.lookupRefresh(refreshToken);
  if (!refresh || refresh.revoked || refresh.clientId !== ctx.core.app.clientId) {
    return oauthError(400, 'invalid_grant', 'BAD_REFRESH_TOKEN', 'refresh token is invalid, expired or revoked', legacy);
  }
  return json(200, tokens.issueFromRefresh(refresh));
}

function liveAccess(ctx: RouteContext, token: string): AccessToken | undefined {
  const a = ctx.core.tokens.lookupAccess(token);
  return a && !a.revoked && a.expiresAt > ctx.core.clock() ? a : undefined;
}

function hubDomain(ctx: RouteContext, portalId: number): string {
  return ctx.core.portal(portalId)?.hubDomain ?? `portal-${portalId}.sandbox.example`;
}

function notFound(what: string) {
  return json(404, { status: 'error', message: `${what} not found`, correlationId: correlationId() });
}

function accessTokenInfo(ctx: RouteContext) {
  const a = liveAccess(ctx, ctx.params.token ?? '');
  if (!a || a.kind !== 'oauth') return notFound('access token');
  return json(200, {
    token: a.token,
    user: a.user,
    hub_domain: hubDomain(ctx, a.portalId),
    scopes: a.scopes,
    hub_id: a.portalId,
    app_id: a.appId,
    expires_in: Math.max(0, Math.floor((a.expiresAt - ctx.core.clock()) / 1000)),
    user_id: a.userId,
    token_type: 'access',
    is_private_distribution: false,
  });
}

function refreshInfo(ctx: RouteContext, r: RefreshToken) {
  return {
    token: r.token,
    user: r.user,
    hub_domain: hubDomain(ctx, r.portalId),
    scopes: r.scopes,
    hub_id: r.portalId,
    client_id: r.clientId,
    user_id: r.userId,
    token_type: 'refresh',
  };
}

function refreshTokenInfo(ctx: RouteContext) {
  const r = ctx.core.tokens.lookupRefresh(ctx.params.token ?? '');
  if (!r || r.revoked) return notFound('refresh token');
  return json(200, refreshInfo(ctx, r));
}

function deleteRefreshToken(ctx: RouteContext) {
  const r = ctx.core.tokens.lookupRefresh(ctx.params.token ?? '');
  if (!r || r.revoked) return notFound('refresh token');
  ctx.core.tokens.revoke(r.token);
  return { status: 204 };
}

function introspect(ctx: RouteContext) {
  const clientProblem = checkClient(ctx, false);
  if (clientProblem) return clientProblem;
  const token = param(ctx, 'token', false) ?? '';
  const a = liveAccess(ctx, token);
  if (a) {
    return json(200, {
      token_use: 'access_token',
      active: true,
      token: a.token,
      hub_id: a.portalId,
      user_id: a.userId,
      client_id: ctx.core.app.clientId,
      app_id: a.appId,
      scopes: a.scopes,
      signed_access_token: {
        appId: a.appId,
        expiresAt: a.expiresAt,
        hubId: a.portalId,
        hublet: 'na1',
        installingUserId: a.userId,
        isPrivateDistribution: false,
        isServiceAccount: false,
        isUserLevel: false,
        scopes: a.scopes.join(' '),
        userId: a.userId,
      },
      expires_in: Math.max(0, Math.floor((a.expiresAt - ctx.core.clock()) / 1000)),
      is_private_distribution: false,
      token_type: 'bearer',
      user: a.user,
      hub_domain: hubDomain(ctx, a.portalId),
    });
  }
  const r = ctx.core.tokens.lookupRefresh(token);
  if (r && !r.revoked) {
    return json(200, { token_use: 'refresh_token', active: true, ...refreshInfo(ctx, r), app_id: r.appId, is_private_distribution: false });
  }
  return json(200, { active: false });
}

function revoke(ctx: RouteContext) {
  const clientProblem = checkClient(ctx, false);
  if (clientProblem) return clientProblem;
  const token = param(ctx, 'token', false);
  if (!token) return oauthError(400, 'invalid_request', 'BAD_REQUEST', 'missing token', false);
  ctx.core.tokens.revoke(token);
  return { status: 200 };
}
