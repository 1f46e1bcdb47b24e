import express, { type Request, type Response, type Router } from 'express';
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
      page(res, 503, 'Salesforce is not configured', 'Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app’s consumer key and secret) and restart the connector.');
      return;
    }
    try {
      const { state, challenge } = await createInstallState(ctx.redis, ctx.prefix);
      res.redirect(302, authorizeUrl(ctx.env, state, challenge));
    } catch (err) {
      log.error('could not start a Salesforce install', { error: err instanceof Error ? err.name : typeof err });
      page(res, 503, 'Cannot start the install now', 'The connector cannot reach its store. Try again in a minute.');
    }
  });

  router.get('/oauth/salesforce/callback', async (req: Request, res: Response) => {
    const q = req.query as Record<string, unknown>;
    let verifier: string | undefined; // consumed from Redis (GETDEL): it serves this one exchange only
    try {
      verifier = await consumeInstallState(ctx.redis, ctx.prefix, q.state);
    } catch {
      page(res, 503, 'Cannot finish the install now', 'The connector cannot reach its store. Start the install again in a minute.');
      return;
    }
    if (!verifier) {
      page(res, 400, 'This install link is not valid any more', 'It is missing its state, has expired (links last 10 minutes) or was already used. Start again at /install/salesforce.', '/install/salesforce');
      return;
    }
    if (typeof q.error === 'string') {
      page(res, 400, 'The install was cancelled', `Salesforce said: ${typeof q.error_description === 'string' ? q.error_description : q.error}. Start again at /install/salesforce.`, '/install/salesforce');
      return;
    }
    if (typeof q.code !== 'string' || q.code === '') {
      page(res, 400, 'Salesforce sent no authorization code', 'Start again at /install/salesforce.', '/install/salesforce');
      return;
    }
    let orgId: string;
    try {
      const grant = await exchangeCode(ctx.env, q.code, verifier);
      orgId = grant.orgId;
      await installOrg(ctx, grant, setupTenant);
    } catch (err) {
      // CrmError messages never hold a token; other errors are logged by their kind only
      const reason = err instanceof CrmError ? err.message : 'an unexpected error';
      log.error('Salesforce install failed', { reason, code: err instanceof CrmError ? err.code : err instanceof Error ? err.name : typeof err });
      page(res, 502, 'The install did not complete', `${reason}. Start again at /install/salesforce.`, '/install/salesforce');
      return;
    }
    page(
      res,
      200,
      `Installed in org ${orgId}`,
      'The lead score fields are in place on Leads and Contacts, readable and editable by the connector through the permission set “Lead Scoring Connector”, and the first full sync has started. Scores appear on records as they are scored.',
    );
  });

  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(res: Response, status: number, title: string, text: string, link?: string): void {
  const more = link ? `<p><a href="${escapeHtml(link)}">Install again</a></p>` : '';
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${more}</body></html>`,
    );
}
