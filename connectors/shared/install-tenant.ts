import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import type { TokenSet } from '../../src/store/installation-store';

/** One installation to save: what the CRM's install flow learnt about the tenant. */
export interface TenantInstall {
  tenant: string;
  crm: string;
  /** `HubSpot portal`, `Salesforce org`: for logs. */
  what: string;
  tokens: TokenSet;
  /** Non-secret facts to keep (portal id, instance URL, user id, scopes); merged over what a previous install kept. */
  meta: Record<string, string>;
  /** Creates what the connector writes to (properties, fields, permissions). */
  setupTenant(tenant: string): Promise<void>;
  /** `score properties`, `score fields`: for the reason of a paused installation. */
  setupWhat: string;
  /** The object types whose first full sync starts. */
  objectTypes: readonly string[];
}

/**
 * Saves an installation (tokens sealed by the InstallationStore, status active), creates what the
 * connector writes to, and starts the first full sync. A re-install keeps the first install time
 * and reactivates an installation marked `needs_reauth`. When the set-up fails, the installation is
 * kept but paused with the reason (a refused token has already marked it `needs_reauth`), and the
 * error is rethrown for the caller to show.
 */
export async function installTenant(ctx: ServiceContext, install: TenantInstall): Promise<string> {
  const log = childLogger(install.crm);
  const { tenant } = install;
  const previous = await ctx.installations.get(tenant);
  await ctx.installations.save(
    { tenant, crm: install.crm, status: 'active', installedAt: previous?.installedAt ?? ctx.clock(), meta: { ...previous?.meta, ...install.meta } },
    install.tokens,
  );
  log.info(`${install.what} installed`, { tenant, reinstall: previous !== undefined });
  try {
    await install.setupTenant(tenant);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (!(err instanceof CrmError && err.code === 'AUTH_REVOKED')) await ctx.installations.setStatus(tenant, 'paused', `setting up the ${install.setupWhat} failed: ${reason}`);
    log.error(`could not set up the ${install.setupWhat}`, { tenant, reason });
    throw err;
  }
  await ctx.ingest.startSync(tenant, [...install.objectTypes]);
  return tenant;
}
