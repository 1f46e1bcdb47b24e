import { Counter } from 'prom-client';
import { registry } from '../../src/metrics';

/**
 * HubSpot-only counters, in the service's registry (requests, 429s, token refreshes and webhook
 * events go to the shared `metrics` of src/metrics.ts with `crm="hubspot"`). No tenant label: thousands of portals
 * would explode the series count.
 */
export const hubspotMetrics = {
  rateLimitedByPolicy: new Counter({
    name: 'lead_scorer_hubspot_rate_limited_by_policy_total',
    help: 'HubSpot 429 answers by policy (TEN_SECONDLY_ROLLING, SECONDLY, DAILY, unknown)',
    labelNames: ['policy'] as const,
    registers: [registry],
  }),
};
