import { Counter, Histogram } from 'prom-client';
import { registry } from '../metrics';

/**
 * Owner routing and SLA metrics, in the service's registry (GET /metrics). Labelled by CRM only:
 * a tenant or owner label would multiply the series by every portal and rep.
 */
export const routingMetrics = {
  assignments: new Counter({
    name: 'lead_scorer_routing_assignments_total',
    help: 'Leads given an owner, by how the owner was chosen (account, pool, fallback, keep) and why it happened (eligible, recycle)',
    labelNames: ['crm', 'how', 'trigger'] as const,
    registers: [registry],
  }),
  fallbacks: new Counter({
    name: 'lead_scorer_routing_fallbacks_total',
    help: 'Leads that went to the fallback (or stayed unassigned: target="none") because no pool could take them',
    labelNames: ['crm', 'target'] as const,
    registers: [registry],
  }),
  recycles: new Counter({ name: 'lead_scorer_routing_recycles_total', help: 'Leads taken back after going untouched for recycle.after', labelNames: ['crm'] as const, registers: [registry] }),
  flagged: new Counter({
    name: 'lead_scorer_routing_flagged_total',
    help: 'Leads sent to the fallback after recycle.maxTimes reassignments',
    labelNames: ['crm'] as const,
    registers: [registry],
  }),
  slaMet: new Counter({ name: 'lead_scorer_sla_met_total', help: 'SLAs met: the lead was worked before its task fell due', labelNames: ['crm'] as const, registers: [registry] }),
  slaBreached: new Counter({ name: 'lead_scorer_sla_breached_total', help: 'SLAs breached: nobody worked the lead before its task fell due', labelNames: ['crm'] as const, registers: [registry] }),
  firstTouch: new Histogram({
    name: 'lead_scorer_sla_time_to_first_touch_seconds',
    help: 'From assignment to the first sales activity or the SLA task completed',
    labelNames: ['crm'] as const,
    buckets: [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800],
    registers: [registry],
  }),
};
