import type { CrmConnector, CrmOwner } from '../../connectors/types';

/** How long a tenant's owner list is reused before it is read again (5 minutes). */
export const OWNER_LIST_TTL_MS = 5 * 60_000;

/**
 * The owners of each tenant, read through the connector and kept for `ttlMs` in this process:
 * routing needs them for every lead, and they change rarely (a rep joins, leaves, is deactivated).
 * Concurrent reads of one tenant share one request.
 */
export class OwnerDirectory {
  private readonly cache = new Map<string, { at: number; owners: Promise<Map<string, CrmOwner>> }>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = OWNER_LIST_TTL_MS,
  ) {}

  /** The tenant's owners by id, and by each of their aliases. */
  async get(tenant: string, connector: CrmConnector, signal?: AbortSignal): Promise<Map<string, CrmOwner>> {
    const now = this.clock();
    const hit = this.cache.get(tenant);
    if (hit && now - hit.at < this.ttlMs) return hit.owners;
    const owners = connector.listOwners(tenant, signal).then((list) => {
      const byId = new Map<string, CrmOwner>();
      for (const o of list) for (const alias of o.aliases ?? []) byId.set(alias, o);
      for (const o of list) byId.set(o.id, o);
      return byId;
    });
    this.cache.set(tenant, { at: now, owners });
    owners.catch(() => {
      if (this.cache.get(tenant)?.owners === owners) this.cache.delete(tenant);
    });
    return owners;
  }

  /** Forgets a tenant's owners (read them again next time). */
  invalidate(tenant: string): void {
    this.cache.delete(tenant);
  }
}
