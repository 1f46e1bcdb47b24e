import type { Router } from 'express';
import type { ServiceContext } from '../../src/pipeline/context';
import { oauthInstallRouter } from '../shared/oauth-install-router';
import { installOrg } from './install-org';
import { authorizeUrl, chooseLoginUrl, exchangeCode } from './oauth';

/**
 * `GET /install/salesforce[?login=production|sandbox|https://<name>.my.salesforce.com]` and
 * `GET /oauth/salesforce/callback` (see `oauthInstallRouter`): the web server flow with PKCE S256
 * at the org's login host (default `SALESFORCE_LOGIN_URL`), kept with the state so that the code
 * exchange and every later refresh go to the host that issued the tokens; the org comes from the
 * identity URL.
 */
export function installRouter(ctx: ServiceContext, setupTenant: (tenant: string) => Promise<void>): Router {
  return oauthInstallRouter(ctx, {
    crm: 'salesforce',
    label: 'Salesforce',
    pkce: true,
    missingSettings: () =>
      ctx.env.SALESFORCE_CLIENT_ID && ctx.env.SALESFORCE_CLIENT_SECRET
        ? null
        : 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app’s consumer key and secret) and restart the connector.',
    begin(query) {
      const login = chooseLoginUrl(ctx.env, query.login);
      return 'problem' in login ? login : { keep: { loginUrl: login.url } };
    },
    authorizeUrl: (state, challenge, kept) => authorizeUrl(ctx.env, state, challenge!, kept.loginUrl),
    async complete(code, kept) {
      const grant = await exchangeCode(ctx.env, code, kept.verifier ?? '', kept.loginUrl);
      await installOrg(ctx, grant, setupTenant);
      return {
        title: `Installed in org ${grant.orgId}`,
        text: 'The lead score fields are in place on Leads and Contacts, readable and editable by the connector through the permission set “Lead Scoring Connector”, and the first full sync has started. Scores appear on records as they are scored.',
      };
    },
  });
}
