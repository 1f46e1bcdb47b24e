import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { InstallationStore } from '../../src/store/installation-store';

/**
 * Runs a token operation (read or refresh). When the CRM refused the refresh token for good
 * (AUTH_REVOKED), the installation is marked `needs_reauth` with the reason (shown on the admin
 * page; its work stops until it is installed again) before the error is rethrown; any other failure
 * becomes a CrmError through `toCrmError`.
 */
export async function markRevokedOnRefusal<T>(
  opts: { installations: InstallationStore; tenant: string; crm: string; whoReinstalls: string; forget(): void; toCrmError(err: unknown, tenant: string, what: string): CrmError },
  op: () => Promise<T>,
): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof CrmError && err.code === 'AUTH_REVOKED') {
      childLogger(opts.crm).warn(`access revoked; ${opts.whoReinstalls} needs to install again`, { tenant: opts.tenant, reason: err.message });
      await opts.installations.setStatus(opts.tenant, 'needs_reauth', err.message);
      opts.forget();
      throw err;
    }
    throw opts.toCrmError(err, opts.tenant, 'the token refresh');
  }
}
