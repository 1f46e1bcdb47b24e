import express, { type Request, type Response, type Router } from 'express';
import { installPage, readOAuthCallback } from '../../src/http/install-page';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import { installOrg } from './install-org';
import { authorizeUrl, exchangeCode } from './oauth';
import { consumeInstallState, createInstallState } from './oauth-state';

const log = childLogger('salesforce');

/**
 * `GET /install/salesforce` → 302 to `${SALESFORCE_LOGIN_URL}/services/oauth2/authorize` with a fresh
 * single-use `state` and a PKCE S256 challenge (the verifier stays in Redis under the state).
 * `GET /oauth/salesforce/callback` → consumes `state` with its verifier (400 when missing, unknown,
 * expired or reused), exchanges the code with the verifier, reads the org from the identity URL,
 * saves the installation, creates the score fields and their field-level security, starts the first
 * full sync, and answers a short HTML page. Salesforce's refusals → 502 with the reason; no token
 * ever reaches the page or the logs.
 */
export function installRouter(ctx: ServiceContext, setupTenant: (tenant: string) => Promise<void>): Router {
  const router = express.Router();

  router.get('/install/salesforce', async (_req: Request, res: Response) => {
    if (!ctx.env.SALESFORCE_CLIENT_ID || !ctx.env.SALESFORCE_CLIENT_SECRET) {
      installPage(res, 503, 'Salesforce is not configured', 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app’s consumer key and secret) and restart the connector.');
      return;
    }
    try {
      const { state, challenge } = await createInstallState(ctx.redis, ctx.prefix);
      res.redirect(302, authorizeUrl(ctx.env, state, challenge));
    } catch (err) {
      log.error('could not start a Salesforce install', { error: err instanceof Error ? err.name : typeof err });
      installPage(res, 503, 'Cannot start the install now', 'The connector cannot reach its store. Try again in a minute.');
    }
  });

  router.get('/oauth/salesforce/callback', async (req: Request, res: Response) => {
    // the PKCE verifier, consumed from Redis (GETDEL): it serves this one exchange only
    const callback = await readOAuthCallback(req, res, {
      crmLabel: 'Salesforce',
      installPath: '/install/salesforce',
      consumeState: (state) => consumeInstallState(ctx.redis, ctx.prefix, state),
    });
    if (!callback) return;
    let orgId: string;
    try {
      const grant = await exchangeCode(ctx.env, callback.code, callback.state);
      orgId = grant.orgId;
      await installOrg(ctx, grant, setupTenant);
    } catch (err) {
      // CrmError messages never hold a token; other errors are logged by their kind only
      const reason = err instanceof CrmError ? err.message : 'an unexpected error';
      log.error('Salesforce install failed', { reason, code: err instanceof CrmError ? err.code : err instanceof Error ? err.name : typeof err });
      installPage(res, 502, 'The install did not complete', `${reason}. Start again at /install/salesforce.`, '/install/salesforce');
      return;
    }
    installPage(
      res,
      200,
      `Installed in org ${orgId}`,
      'The lead score fields are in place on Leads and Contacts, readable and editable by the connector through the permission set “Lead Scoring Connector”, and the first full sync has started. Scores appear on records as they are scored.',
    );
  });

  return router;
}


