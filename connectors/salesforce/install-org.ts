import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { ServiceContext } from '../../src/pipeline/context';
import { OBJECT_TYPES } from './mapping';
import type { SalesforceGrant } from './oauth';
import { tenantOf } from './tenant';

const log = childLogger('salesforce');

/**
 * Saves an installation (tokens sealed by the InstallationStore, status active, instance URL,
 * user and identity URL in meta), creates the score fields with their field-level security, and
 * starts the first full sync of Leads and Contacts. A re-install keeps the first install time and
 * reactivates an org marked `needs_reauth`. When the fields cannot be set up, the org is kept but
 * paused with the reason, and the error is rethrown for the caller to show.
 */
export async function installOrg(ctx: ServiceContext, grant: SalesforceGrant, setupTenant: (tenant: string) => Promise<void>): Promise<string> {
  const tenant = tenantOf(grant.orgId);
  const previous = await ctx.installations.get(tenant);
  await ctx.installations.save(
    {
      tenant,
      crm: 'salesforce',
      status: 'active',
      installedAt: previous?.installedAt ?? ctx.clock(),
      meta: {
        ...previous?.meta,
        orgId: grant.orgId,
        userId: grant.userId,
        instanceUrl: grant.instanceUrl,
        identityUrl: grant.identityUrl,
        loginUrl: ctx.env.SALESFORCE_LOGIN_URL,
        ...(grant.scope ? { scope: grant.scope } : {}),
      },
    },
    grant.tokens,
  );
  log.info('Salesforce org installed', { tenant, userId: grant.userId, reinstall: previous !== undefined });
  try {
    await setupTenant(tenant);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // a refused token already marked the installation needs_reauth; anything else pauses it until it is fixed
    if (!(err instanceof CrmError && err.code === 'AUTH_REVOKED')) await ctx.installations.setStatus(tenant, 'paused', `setting up the score fields failed: ${reason}`);
    log.error('could not set up the Salesforce score fields', { tenant, reason });
    throw err;
  }
  await ctx.ingest.startSync(tenant, [...OBJECT_TYPES]);
  return tenant;
}
