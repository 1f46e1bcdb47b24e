import express, { type Request, type Response, type Router } from 'express';
import { CrmError } from '../../src/errors/crm-error';
import { installPage, readOAuthCallback } from '../../src/http/install-page';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import { consumeInstallState, createInstallState, type KeptState } from './oauth-state';

/** What one CRM's OAuth install needs: its settings check, where to send the admin, and how to finish. */
export interface OAuthInstall {
  crm: string;
  /** `HubSpot`, `Salesforce`. */
  label: string;
  /** Whether the authorize step carries a PKCE challenge (the verifier is kept with the state). */
  pkce: boolean;
  /** Null when the app is configured; otherwise what to set (`Set HUBSPOT_CLIENT_ID and …`). */
  missingSettings(): string | null;
  /**
   * What to keep with the state from the install link's query (a Salesforce org's login host), or
   * a problem with it to show the admin (400). Absent: nothing to keep.
   */
  begin?(query: Record<string, unknown>): { keep: KeptState } | { problem: string };
  /** The CRM's authorize URL for this state (and PKCE challenge), with what `begin` kept. */
  authorizeUrl(state: string, challenge: string | undefined, kept: KeptState): string;
  /** Exchanges the code (with the PKCE `verifier` and whatever else was kept with the state) and installs; returns the page to show. */
  complete(code: string, kept: KeptState): Promise<{ title: string; text: string }>;
}

/**
 * `GET /install/<crm>` → 302 to the CRM's authorize page with a fresh single-use `state` (and a PKCE
 * S256 challenge whose verifier stays in Redis under the state). `GET /oauth/<crm>/callback` →
 * consumes `state` (400 when missing, unknown, expired or reused), exchanges the code, installs,
 * and answers a short HTML page. The CRM's refusals → 502 with the reason; no token ever reaches the
 * page or the logs.
 */
export function oauthInstallRouter(ctx: ServiceContext, install: OAuthInstall): Router {
  const router = express.Router();
  const log = childLogger(install.crm);
  const installPath = `/install/${install.crm}`;

  router.get(installPath, async (req: Request, res: Response) => {
    const missing = install.missingSettings();
    if (missing) {
      installPage(res, 503, `${install.label} is not configured`, missing);
      return;
    }
    const begun = install.begin?.(req.query as Record<string, unknown>) ?? { keep: {} };
    if ('problem' in begun) {
      installPage(res, 400, 'This install link is not valid', begun.problem);
      return;
    }
    const keep = begun.keep;
    try {
      const { state, challenge } = await createInstallState(ctx.redis, ctx.prefix, install.crm, { pkce: install.pkce, data: keep });
      res.redirect(302, install.authorizeUrl(state, challenge, keep));
    } catch (err) {
      log.error(`could not start a ${install.label} install`, { error: err instanceof Error ? err.name : typeof err });
      installPage(res, 503, 'Cannot start the install now', 'The connector cannot reach its store. Try again in a minute.');
    }
  });

  router.get(`/oauth/${install.crm}/callback`, async (req: Request, res: Response) => {
    const callback = await readOAuthCallback(req, res, {
      crmLabel: install.label,
      installPath,
      consumeState: (state) => consumeInstallState(ctx.redis, ctx.prefix, install.crm, state),
    });
    if (!callback) return;
    let page: { title: string; text: string };
    try {
      page = await install.complete(callback.code, callback.state);
    } catch (err) {
      // CrmError messages never hold a token; other errors are logged by their kind only
      const reason = err instanceof CrmError ? err.message : 'an unexpected error';
      log.error(`${install.label} install failed`, { reason, code: err instanceof CrmError ? err.code : err instanceof Error ? err.name : typeof err });
      installPage(res, 502, 'The install did not complete', `${reason}. Start again at ${installPath}.`, installPath);
      return;
    }
    installPage(res, 200, page.title, page.text);
  });

  return router;
}
