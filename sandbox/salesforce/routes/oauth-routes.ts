/**
 * OAuth 2.0 web server flow with PKCE: the authorize page (with an "Allow" button per org, for the
 * demo; tests use `sb.approveInstall`), the token endpoint (authorization_code, refresh_token with
 * rotation), revoke, and the identity URL and userinfo that jsforce and connectors read. Token
 * endpoint errors are `{error, error_description}` with status 400, as Salesforce sends them.
 */
import { callbackUrl, checkAuthorizeRequest } from '../auth/authorize';
import { oauthError } from '../errors';
import { formatDateTime } from '../schema/values';
import type { SalesforceOrg } from '../store/org';
import type { Row } from '../store/table';
import { header, json, type RouteContext, type RouteDef } from './context';

export function oauthRoutes(): RouteDef[] {
  return [
    { method: 'GET', pattern: '/services/oauth2/authorize', kind: 'oauth', handle: authorizePage },
    { method: 'POST', pattern: '/_sandbox/oauth2/approve', kind: 'oauth', handle: approve },
    { method: 'POST', pattern: '/services/oauth2/token', kind: 'oauth', handle: token },
    { method: 'POST', pattern: '/services/oauth2/revoke', kind: 'oauth', handle: revoke },
    { method: 'GET', pattern: '/services/oauth2/revoke', kind: 'oauth', handle: revoke },
    { method: 'GET', pattern: '/services/oauth2/userinfo', kind: 'identity', handle: userinfo },
    { method: 'GET', pattern: '/id/:orgId/:userId', kind: 'identity', handle: identity },
  ];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string) {
  return { status, body: `<!DOCTYPE html><html><head><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`, headers: { 'Content-Type': 'text/html;charset=UTF-8' } };
}

function authorizePage(ctx: RouteContext) {
  const check = checkAuthorizeRequest(ctx.core.app, ctx.req.query);
  if (!check.ok && check.kind === 'page') {
    return page(400, 'OAuth Error', `<h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p>error=${escapeHtml(check.error)}&amp;error_description=${escapeHtml(check.description)}</p>`);
  }
  if (!check.ok) return { status: 302, headers: { Location: check.location } };
  const hidden = [...ctx.req.query.entries()].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const orgs = ctx.core.orgs();
  const rows = orgs
    .map((org) => `<li><form method="post" action="/_sandbox/oauth2/approve">${hidden}<input type="hidden" name="org_id" value="${org.id}"><button type="submit">Allow</button> ${escapeHtml(org.name)} (${org.id}) as ${escapeHtml(adminName(org))}</form></li>`)
    .join('');
  return page(200, 'Allow Access?', `<h1>Allow Access?</h1><p>The app wants to access your Salesforce data (${escapeHtml(check.scope)}). Pick the org to connect (local sandbox):</p><ul>${rows || '<li>No org yet: create one with sb.createOrg(...)</li>'}</ul>`);
}

function adminName(org: SalesforceOrg): string {
  return org.users.find((u) => u.Id === org.adminUserId)?.Username ?? 'admin';
}

function approve(ctx: RouteContext) {
  const params = ctx.form ?? new URLSearchParams();
  const check = checkAuthorizeRequest(ctx.core.app, params);
  if (!check.ok) return check.kind === 'redirect' ? { status: 302, headers: { Location: check.location } } : page(400, 'OAuth Error', `error=${escapeHtml(check.error)}`);
  const org = ctx.core.org(params.get('org_id') ?? '');
  if (!org) return page(400, 'OAuth Error', 'unknown org');
  const code = ctx.core.tokens.authorizeCode({ orgId: org.id, userId: org.adminUserId, redirectUri: check.redirectUri, codeChallenge: check.codeChallenge, scope: check.scope });
  return { status: 302, headers: { Location: callbackUrl(check.redirectUri, { code, state: check.state }) } };
}

/** Client credentials from the form body or HTTP Basic. */
function clientCredentials(ctx: RouteContext): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(header(ctx, 'authorization') ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':', 2);
    return { id: id ? decodeURIComponent(id) : undefined, secret: secret !== undefined ? decodeURIComponent(secret) : undefined };
  }
  return { id: ctx.form?.get('client_id') ?? undefined, secret: ctx.form?.get('client_secret') ?? undefined };
}

function token(ctx: RouteContext) {
  const type = (header(ctx, 'content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') || !ctx.form) return oauthError('invalid_request', 'must use application/x-www-form-urlencoded');
  const grantType = ctx.form.get('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return oauthError('unsupported_grant_type', 'grant type not supported');
  const client = clientCredentials(ctx);
  if (!client.id || client.id !== ctx.core.app.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
  if (client.secret !== ctx.core.app.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
  if (grantType === 'authorization_code') {
    const code = ctx.form.get('code');
    if (!code) return oauthError('invalid_grant', 'invalid authorization code');
    const outcome = ctx.core.tokens.redeemCode(code, ctx.form.get('redirect_uri') ?? undefined, ctx.form.get('code_verifier') ?? undefined);
    if (!outcome.ok) return oauthError(outcome.error, outcome.description);
    return json(200, outcome.response);
  }
  const refreshToken = ctx.form.get('refresh_token');
  if (!refreshToken) return oauthError('invalid_grant', 'expired access/refresh token');
  const outcome = ctx.core.tokens.refreshGrant(refreshToken);
  if (!outcome.ok) return oauthError('invalid_grant', 'expired access/refresh token');
  return json(200, outcome.response);
}

function revoke(ctx: RouteContext) {
  const t = ctx.form?.get('token') ?? ctx.req.query.get('token');
  if (!t || !ctx.core.tokens.revoke(t)) {
    return { status: 400, body: 'error=unsupported_token_type&error_description=this+token+type+is+not+supported', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
  }
  return { status: 200 };
}

/** The access token of an identity request: bearer header, or `oauth_token` in the query. */
function identityToken(ctx: RouteContext) {
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header(ctx, 'authorization') ?? '');
  const raw = m?.[1]?.trim() ?? ctx.req.query.get('oauth_token') ?? undefined;
  return raw ? ctx.core.tokens.authenticate(raw) : undefined;
}

const badToken = () => ({ status: 403, body: 'Bad_OAuth_Token', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });

function identity(ctx: RouteContext) {
  const auth = identityToken(ctx);
  if (!auth) return badToken();
  const org = ctx.core.org(ctx.params.orgId ?? '');
  if (!org || org.id !== auth.orgId) return { status: 403, body: 'Bad_Id', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } };
  const user = org.table('User').get(ctx.params.userId ?? '');
  if (!user) return { status: 404, body: 'Bad_Id', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } };
  return json(200, identityBody(ctx, org, user));
}

function identityBody(ctx: RouteContext, org: SalesforceOrg, user: Row) {
  const base = ctx.core.url;
  const id = `${base}/id/${org.id}/${user.Id as string}`;
  return {
    id,
    asserted_user: true,
    user_id: user.Id,
    organization_id: org.id,
    username: user.Username,
    nick_name: String(user.Alias ?? ''),
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey ?? 'America/Los_Angeles',
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${org.id15}`,
      metadata: `${base}/services/Soap/m/{version}/${org.id15}`,
      partner: `${base}/services/Soap/u/{version}/${org.id15}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      recent: `${base}/services/data/v{version}/recent/`,
      tooling_soap: `${base}/services/Soap/T/{version}/${org.id15}`,
      tooling_rest: `${base}/services/data/v{version}/tooling/`,
      profile: `${base}/${user.Id as string}`,
      feeds: `${base}/services/data/v{version}/chatter/feeds`,
      groups: `${base}/services/data/v{version}/chatter/groups`,
      users: `${base}/services/data/v{version}/chatter/users`,
      feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
      feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
      custom_domain: base,
    },
    active: user.IsActive === true,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey ?? 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: formatDateTime(user.LastModifiedDate as number),
    is_app_installed: true,
  };
}

function userinfo(ctx: RouteContext) {
  const auth = identityToken(ctx);
  if (!auth) return badToken();
  const org = ctx.core.org(auth.orgId);
  const user = org?.table('User').get(auth.userId);
  if (!org || !user) return badToken();
  const body = identityBody(ctx, org, user);
  return json(200, {
    sub: body.id,
    user_id: body.user_id,
    organization_id: body.organization_id,
    preferred_username: body.username,
    nickname: body.nick_name,
    name: body.display_name,
    email: body.email,
    email_verified: true,
    given_name: body.first_name,
    family_name: body.last_name,
    zoneinfo: body.timezone,
    photos: body.photos,
    profile: body.urls.profile,
    picture: body.photos.picture,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    urls: body.urls,
    active: body.active,
    user_type: body.user_type,
    language: body.language,
    locale: body.locale,
    utcOffset: body.utcOffset,
    updated_at: body.last_modified_date,
    is_app_installed: true,
  });
}
