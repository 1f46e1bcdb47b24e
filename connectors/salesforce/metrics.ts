import { Counter } from 'prom-client';
import { registry } from '../../src/metrics';

/**
 * Salesforce-only counters, in the service's registry (requests, token refreshes and webhook events
 * go to the shared `metrics` of src/metrics.ts with `crm="salesforce"`). No tenant label: thousands of orgs would
 * explode the series count; logs carry the tenant.
 */
export const salesforceMetrics = {
  budgetPauses: new Counter({
    name: 'lead_scorer_salesforce_budget_pauses_total',
    help: 'Times an org was paused to save its daily API allocation, by reason (share, org_ceiling, limit_exceeded, concurrent_limit)',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
};
