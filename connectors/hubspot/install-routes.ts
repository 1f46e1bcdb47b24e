import type { Router } from 'express';
import type { ServiceContext } from '../../src/pipeline/context';
import { oauthInstallRouter } from '../shared/oauth-install-router';
import { installPortal } from './install-portal';
import { authorizeUrl, exchangeCode, fetchAccessTokenInfo } from './oauth';

/**
 * `GET /install/hubspot` and `GET /oauth/hubspot/callback` (see `oauthInstallRouter`): the code is
 * exchanged on the 2026-03 token endpoint, and the portal id, hub domain and scopes granted are read
 * from the 2026-03 introspection endpoint.
 */
export function installRouter(ctx: ServiceContext, setupTenant: (tenant: string) => Promise<void>): Router {
  return oauthInstallRouter(ctx, {
    crm: 'hubspot',
    label: 'HubSpot',
    pkce: false,
    missingSettings: () =>
      ctx.env.HUBSPOT_CLIENT_ID && ctx.env.HUBSPOT_CLIENT_SECRET ? null : 'Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (the public app’s credentials) and restart the connector.',
    authorizeUrl: (state) => authorizeUrl(ctx.env, state),
    async complete(code) {
      const tokens = await exchangeCode(ctx.env, code, ctx.clock);
      const info = await fetchAccessTokenInfo(ctx.env, tokens.accessToken);
      const portalId = info.hub_id;
      const meta = { ...(info.hub_domain ? { hubDomain: info.hub_domain } : {}), ...(info.scopes ? { scopes: info.scopes.join(' ') } : {}) };
      await installPortal(ctx, { portalId, appKind: 'oauth', tokens, meta }, setupTenant);
      return {
        title: `Installed in portal ${portalId}`,
        text: 'The lead score properties are in place (group “Lead scoring” on contacts) and the first full sync has started. Scores appear on contacts as they are scored.',
      };
    },
  });
}
