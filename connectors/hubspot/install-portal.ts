import type { ServiceContext } from '../../src/pipeline/context';
import type { TokenSet } from '../../src/store/installation-store';
import { installTenant } from '../shared/install-tenant';
import type { AppKind } from './rate-limits';
import { tenantOf } from './tenant';
import { CONTACT } from './to-lead';

export interface PortalInstall {
  portalId: number;
  appKind: AppKind;
  tokens: TokenSet;
  /** Other non-secret facts to keep (hub domain, time zone, scopes). */
  meta?: Record<string, string>;
}

/**
 * Saves a portal's installation (`hubspot:<portalId>`, the app kind that sets its rate budget),
 * creates the score properties and starts the first full sync of contacts (see `installTenant`).
 */
export function installPortal(ctx: ServiceContext, install: PortalInstall, setupTenant: (tenant: string) => Promise<void>): Promise<string> {
  return installTenant(ctx, {
    tenant: tenantOf(install.portalId),
    crm: 'hubspot',
    what: 'HubSpot portal',
    tokens: install.tokens,
    meta: { ...install.meta, portalId: String(install.portalId), appKind: install.appKind },
    setupTenant,
    setupWhat: 'score properties',
    objectTypes: [CONTACT],
  });
}
