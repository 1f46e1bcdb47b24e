import { CrmError } from '../errors/crm-error';
import type { Installation, InstallationStore } from './installation-store';

/**
 * The installation of a tenant, if it may be called: not installed or needing a new install →
 * AUTH_REVOKED; paused → INVALID_REQUEST with the reason. Neither is retryable.
 */
export async function requireActiveInstallation(store: InstallationStore, tenant: string, crm: string): Promise<Installation> {
  const inst = await store.get(tenant);
  if (!inst) throw new CrmError(`${tenant} is not installed`, 'AUTH_REVOKED', false, { crm, tenant });
  const why = inst.reason ? ` (${inst.reason})` : '';
  if (inst.status === 'needs_reauth') throw new CrmError(`${tenant} needs to be installed again${why}`, 'AUTH_REVOKED', false, { crm, tenant });
  if (inst.status !== 'active') throw new CrmError(`${tenant} is ${inst.status}${why}`, 'INVALID_REQUEST', false, { crm, tenant });
  return inst;
}
