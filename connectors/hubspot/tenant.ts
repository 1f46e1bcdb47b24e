/** The tenant id of a HubSpot portal: `hubspot:<portalId>`. */
export function tenantOf(portalId: number | string): string {
  return `hubspot:${portalId}`;
}

/** The portal id of a HubSpot tenant; throws for a tenant of another CRM. */
export function portalIdOf(tenant: string): string {
  const m = /^hubspot:(\d+)$/.exec(tenant);
  if (!m?.[1]) throw new Error(`"${tenant}" is not a HubSpot tenant (hubspot:<portalId>)`);
  return m[1];
}
