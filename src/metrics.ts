import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus registry, served at GET /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'lead_scorer_' });

export const metrics = {
  leadsScored: new Counter({ name: 'lead_scorer_leads_scored_total', help: 'Leads scored', labelNames: ['crm'], registers: [registry] }),
  scoreWrites: new Counter({
    name: 'lead_scorer_score_writes_total',
    help: 'Records whose score was written, skipped as unchanged, or failed',
    labelNames: ['crm', 'result'],
    registers: [registry],
  }),
  webhookEvents: new Counter({
    name: 'lead_scorer_webhook_events_total',
    help: 'Webhook events received, by what was done with them',
    labelNames: ['crm', 'result'],
    registers: [registry],
  }),
  crmRequests: new Counter({
    name: 'lead_scorer_crm_requests_total',
    help: 'Requests sent to a CRM, by kind and HTTP status',
    labelNames: ['crm', 'kind', 'status'],
    registers: [registry],
  }),
  tokenRefreshes: new Counter({
    name: 'lead_scorer_token_refreshes_total',
    help: 'OAuth token refreshes by CRM and outcome (ok, rotated, revoked, failed)',
    labelNames: ['crm', 'outcome'],
    registers: [registry],
  }),
  rateLimited: new Counter({ name: 'lead_scorer_crm_rate_limited_total', help: '429 answers from a CRM', labelNames: ['crm'], registers: [registry] }),
  scoreLatency: new Histogram({
    name: 'lead_scorer_change_to_write_seconds',
    help: 'From a change reported by webhook to the score written back',
    labelNames: ['crm'],
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
    registers: [registry],
  }),
  pending: new Gauge({ name: 'lead_scorer_pending_records', help: 'Records waiting to be scored', labelNames: ['tenant'], registers: [registry] }),
};
