import express, { type Request, type Response, type Router } from 'express';
import { installPage, readOAuthCallback } from '../../src/http/install-page';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import { installPortal } from './install-portal';
import { authorizeUrl, exchangeCode, fetchAccessTokenInfo } from './oauth';
import { consumeOAuthState, createOAuthState } from './oauth-state';

const log = childLogger('hubspot');

/**
 * `GET /install/hubspot` → 302 to HubSpot's authorize page with a fresh single-use `state`.
 * `GET /oauth/hubspot/callback` → checks and consumes `state` (400 when missing, unknown, expired or
 * reused), exchanges the code, reads the portal id, saves the installation, creates the score
 * properties and starts the first full sync; answers a short HTML page. HubSpot's refusals → 502
 * with the reason; no token ever reaches the page or the logs.
 */
export function installRouter(ctx: ServiceContext, setupTenant: (tenant: string) => Promise<void>): Router {
  const router = express.Router();

  router.get('/install/hubspot', async (_req: Request, res: Response) => {
    if (!ctx.env.HUBSPOT_CLIENT_ID || !ctx.env.HUBSPOT_CLIENT_SECRET) {
      installPage(res, 503, 'HubSpot is not configured', 'Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (the public app’s credentials) and restart the connector.');
      return;
    }
    try {
      const state = await createOAuthState(ctx.redis, ctx.prefix);
      res.redirect(302, authorizeUrl(ctx.env, state));
    } catch (err) {
      log.error('could not start a HubSpot install', { error: err instanceof Error ? err.name : typeof err });
      installPage(res, 503, 'Cannot start the install now', 'The connector cannot reach its store. Try again in a minute.');
    }
  });

  router.get('/oauth/hubspot/callback', async (req: Request, res: Response) => {
    const callback = await readOAuthCallback(req, res, {
      crmLabel: 'HubSpot',
      installPath: '/install/hubspot',
      consumeState: (state) => consumeOAuthState(ctx.redis, ctx.prefix, state),
    });
    if (!callback) return;
    let portalId: number;
    try {
      const tokens = await exchangeCode(ctx.env, callback.code, ctx.clock);
      const info = await fetchAccessTokenInfo(ctx.env, tokens.accessToken);
      portalId = info.hub_id;
      await installPortal(
        ctx,
        { portalId, appKind: 'oauth', tokens, meta: { ...(info.hub_domain ? { hubDomain: info.hub_domain } : {}), ...(info.scopes ? { scopes: info.scopes.join(' ') } : {}) } },
        setupTenant,
      );
    } catch (err) {
      // CrmError messages never hold a token; other errors are logged by their kind only
      const reason = err instanceof CrmError ? err.message : 'an unexpected error';
      log.error('HubSpot install failed', { reason, code: err instanceof CrmError ? err.code : err instanceof Error ? err.name : typeof err });
      installPage(res, 502, 'The install did not complete', `${reason}. Start again at /install/hubspot.`, '/install/hubspot');
      return;
    }
    installPage(res, 200, `Installed in portal ${portalId}`, `The lead score properties are in place (group “Lead scoring” on contacts) and the first full sync has started. Scores appear on contacts as they are scored.`);
  });

  return router;
}


