import { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import { childLogger } from '../../src/logging/logger';
import type { HubSpotClients } from './client';
import { HubSpotHttpError } from './hubspot-http-error';

const log = childLogger('hubspot');

const companySearch = z.object({
  results: z
    .array(
      z
        .object({
          id: z.union([z.string(), z.number().transform(String)]),
          properties: z.record(z.string(), z.unknown()).default({}),
        })
        .loose(),
    )
    .default([]),
});

/**
 * The owner of the company whose `domain` is the lead's email domain (or `www.` + it), the oldest
 * such company with an owner first; null when none has one. Uses the search budget. A portal that
 * did not grant `crm.objects.companies.read` (an optional scope) has no account matching: null.
 */
export async function findCompanyOwner(clients: HubSpotClients, tenant: string, domain: string, signal?: AbortSignal): Promise<string | null> {
  const d = domain.trim().toLowerCase();
  if (!d) return null;
  const request = {
    filterGroups: [d, `www.${d}`].map((value) => ({ filters: [{ propertyName: 'domain', operator: 'EQ', value }] })),
    properties: ['domain', 'hubspot_owner_id'],
    sorts: ['createdate'],
    limit: 20,
  };
  let raw: unknown;
  try {
    raw = await clients.call(tenant, 'search', (c) => c.crm.companies.searchApi.doSearch(request as Parameters<typeof c.crm.companies.searchApi.doSearch>[0]), signal);
  } catch (err) {
    const http = err instanceof CrmError && err.cause instanceof HubSpotHttpError ? err.cause : undefined;
    if (http?.status === 403) {
      log.info('no companies scope: account matching skipped', { tenant, category: http.body.category });
      return null;
    }
    throw err;
  }
  const parsed = companySearch.safeParse(raw);
  if (!parsed.success) throw new CrmError(`HubSpot's company search answer is not what its API documents: ${parsed.error.issues[0]?.message}`, 'UNKNOWN', false, { crm: 'hubspot', tenant });
  for (const company of parsed.data.results) {
    const owner = company.properties.hubspot_owner_id;
    if ((typeof owner === 'string' && owner.trim() !== '') || typeof owner === 'number') return String(owner).trim();
  }
  return null;
}
