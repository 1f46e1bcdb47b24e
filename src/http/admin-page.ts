import type { AdminStatus } from './admin-status';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The admin page: a plain HTML rendering of the admin status. */
export function renderAdminPage(status: AdminStatus): string {
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Lead scorer</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}th{background:#f5f5f5}</style></head><body>
<h1>Lead scorer</h1>
<h2>Installations</h2><table><tr><th>Tenant</th><th>CRM</th><th>Status</th><th>Reason</th><th>Installed</th></tr>${rows(status.installations.map((i) => [i.tenant, i.crm, i.status, i.reason ?? '', i.installedAt]))}</table>
<h2>Queues</h2><table><tr><th>Queue</th><th>Waiting</th><th>Active</th><th>Delayed</th><th>Failed</th></tr>${rows(Object.entries(status.queues).map(([q, c]) => [q, String(c.waiting ?? 0), String(c.active ?? 0), String(c.delayed ?? 0), String(c.failed ?? 0)]))}</table>
<h2>Records waiting to be scored</h2><table><tr><th>Tenant</th><th>Object</th><th>Waiting</th></tr>${rows(status.pending.map((p) => [p.tenant, p.objectType, String(p.waiting)]))}</table>
<h2>Score distribution</h2><table><tr><th>Tenant</th><th>Object</th><th>Scored</th><th>Hot</th><th>Warm</th><th>Cold</th><th>0–9 … 90–100</th></tr>${rows(status.scores.map((s) => [s.tenant, s.objectType, String(s.count), String(s.hot), String(s.warm), String(s.cold), s.histogram.join(' · ')]))}</table>
<h2>SLA status</h2><table><tr><th>Tenant</th><th>Open SLAs</th><th>Breached, awaiting recycle</th></tr>${rows(status.sla.map((s) => [s.tenant, String(s.open), String(s.breached)]))}</table>
<table><tr><th>CRM</th><th>SLAs met</th><th>SLAs breached</th></tr>${rows(status.slaTotals.map((t) => [t.crm, String(t.met), String(t.breached)]))}</table>
</body></html>`;
}
