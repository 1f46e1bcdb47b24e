import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import type { TokenSet } from '../../src/store/installation-store';
import type { AppKind } from './rate-limits';
import { tenantOf } from './tenant';
import { CONTACT } from './to-lead';

const log = childLogger('hubspot');

export interface PortalInstall {
  portalId: number;
  appKind: AppKind;
  tokens: TokenSet;
  /** Other non-secret facts to keep (hub domain, time zone, scopes). */
  meta?: Record<string, string>;
}

/**
 * Saves an installation (tokens sealed by the InstallationStore, status active), creates the score
 * properties and starts the first full sync. A re-install keeps the first install time and
 * reactivates a portal marked `needs_reauth`. When the properties cannot be created, the portal is
 * kept but paused with the reason, and the error is rethrown for the caller to show.
 */
export async function installPortal(ctx: ServiceContext, install: PortalInstall, setupTenant: (tenant: string) => Promise<void>): Promise<string> {
  const tenant = tenantOf(install.portalId);
  const previous = await ctx.installations.get(tenant);
  await ctx.installations.save(
    {
      tenant,
      crm: 'hubspot',
      status: 'active',
      installedAt: previous?.installedAt ?? ctx.clock(),
      meta: { ...previous?.meta, ...install.meta, portalId: String(install.portalId), appKind: install.appKind },
    },
    install.tokens,
  );
  log.info('HubSpot portal installed', { tenant, appKind: install.appKind, reinstall: previous !== undefined });
  try {
    await setupTenant(tenant);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // a refused token already marked the installation needs_reauth; anything else pauses it until it is fixed
    if (!(err instanceof CrmError && err.code === 'AUTH_REVOKED')) await ctx.installations.setStatus(tenant, 'paused', `setting up the score properties failed: ${reason}`);
    log.error('could not set up the HubSpot score properties', { tenant, reason });
    throw err;
  }
  await ctx.ingest.startSync(tenant, [CONTACT]);
  return tenant;
}
