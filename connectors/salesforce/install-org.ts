import type { ServiceContext } from '../../src/pipeline/context';
import { installTenant } from '../shared/install-tenant';
import { OBJECT_TYPES } from './mapping';
import type { SalesforceGrant } from './oauth';
import { tenantOf } from './tenant';

/**
 * Saves an org's installation (`salesforce:<18-character org id>`; instance URL, user, identity
 * URL and the login host its tokens refresh at in meta), creates the score fields with their
 * field-level security, and starts the first full sync of Leads and Contacts (see `installTenant`).
 */
export function installOrg(ctx: ServiceContext, grant: SalesforceGrant, setupTenant: (tenant: string) => Promise<void>): Promise<string> {
  return installTenant(ctx, {
    tenant: tenantOf(grant.orgId),
    crm: 'salesforce',
    what: 'Salesforce org',
    tokens: grant.tokens,
    meta: {
      orgId: grant.orgId,
      userId: grant.userId,
      instanceUrl: grant.instanceUrl,
      identityUrl: grant.identityUrl,
      loginUrl: grant.loginUrl,
      ...(grant.scope ? { scope: grant.scope } : {}),
    },
    setupTenant,
    setupWhat: 'score fields',
    objectTypes: OBJECT_TYPES,
  });
}
