import { randomBytes } from 'node:crypto';
import { startHubSpotSandbox, type HubSpotSandbox, type Portal } from '../../../sandbox/hubspot';
import type { CrmRecord } from '../../../sandbox/hubspot';
import type { DemoChange, DemoCrm, DemoCrmStartOptions, DemoLead, DemoOwners, DemoSlaTask } from './types';

/** The demo portal's id. */
export const DEMO_PORTAL_ID = 20_261_122;
const APP_ID = 424_242;
const DAY = 86_400_000;

/**
 * HubSpot in the demo: the local HubSpot sandbox (sandbox/hubspot, which the real
 * `@hubspot/api-client` drives), one portal with sample companies and contacts, a public app whose
 * credentials the connector gets, and signed webhooks for every change in the portal, the
 * connector's own score writes included (which it must ignore).
 */
export function hubspotDemo(): DemoCrm {
  let sb: HubSpotSandbox | undefined;
  let portal: Portal | undefined;
  const app = { clientId: 'demo-client-id', clientSecret: randomBytes(18).toString('base64url'), appId: APP_ID };

  const sandbox = () => {
    if (!sb || !portal) throw new Error('the HubSpot sandbox is not started');
    return { sb, portal };
  };

  return {
    crm: 'hubspot',
    label: 'HubSpot',
    records: 'contacts',

    async start(options: DemoCrmStartOptions) {
      sb = await startHubSpotSandbox({ ...app, emitWebhooks: { flushMs: 50 } });
      portal = sb.createPortal(DEMO_PORTAL_ID, { seed: options.seed });
      portal.seedCompanies(Math.max(5, Math.round(options.records / 8)), { seed: `${options.seed}:companies` });
      portal.seedContacts(withStrongLeads(options.records), { seed: `${options.seed}:contacts` });
      return {
        url: sb.url,
        env: {
          HUBSPOT_CLIENT_ID: app.clientId,
          HUBSPOT_CLIENT_SECRET: app.clientSecret,
          HUBSPOT_APP_ID: String(app.appId),
          HUBSPOT_API_BASE_URL: sb.url,
          // the sandbox has no authorize page: the demo reads the redirect and approves in the sandbox
          HUBSPOT_AUTHORIZE_URL: `${sb.url}/oauth/authorize`,
        },
      };
    },

    connectorStarted(publicUrl: string) {
      sandbox().sb.setWebhookTarget(`${publicUrl}/webhooks/hubspot`);
    },

    async install(publicUrl: string) {
      const { sb } = sandbox();
      const steps: string[] = [];
      const start = await fetch(`${publicUrl}/install/hubspot`, { redirect: 'manual' });
      const location = start.headers.get('location');
      if (start.status !== 302 || !location) throw new Error(`GET /install/hubspot answered ${start.status}, not a redirect to HubSpot`);
      const authorize = new URL(location);
      const redirectUri = authorize.searchParams.get('redirect_uri');
      const state = authorize.searchParams.get('state');
      if (!redirectUri || !state) throw new Error('the install redirect has no redirect_uri or state');
      steps.push(`GET /install/hubspot → 302 to HubSpot's authorize page (client_id ${authorize.searchParams.get('client_id')}, scopes ${authorize.searchParams.get('scope')})`);
      // what HubSpot does when the user picks the portal and clicks "Connect app"
      const back = sb.approveInstall(DEMO_PORTAL_ID, { redirectUri, state });
      steps.push(`portal ${DEMO_PORTAL_ID} approves → HubSpot sends the browser back to ${new URL(back).pathname}?code=…&state=…`);
      const done = await fetch(back);
      const page = await done.text();
      if (done.status !== 200) throw new Error(`the OAuth callback answered ${done.status}: ${textOf(page)}`);
      steps.push(`callback → 200 "${textOf(/<h1>(.*?)<\/h1>/s.exec(page)?.[1] ?? page)}": properties created, first full sync started`);
      return { tenant: `hubspot:${DEMO_PORTAL_ID}`, steps };
    },

    leads() {
      return [...sandbox().portal.contacts.values()].map(toDemoLead);
    },

    owners(): DemoOwners {
      const { portal } = sandbox();
      return {
        owners: portal.owners.filter((o) => !o.archived).map((o) => ({ id: o.id, name: `${o.firstName} ${o.lastName}`.trim() || o.email })),
        placeholders: [],
      };
    },

    slaTasks(): DemoSlaTask[] {
      const { portal } = sandbox();
      const ownerName = new Map(portal.owners.map((o) => [o.id, `${o.firstName} ${o.lastName}`.trim() || o.email]));
      const tasks: DemoSlaTask[] = [];
      for (const c of portal.contacts.values()) {
        for (const t of portal.tasksForContact(c.id)) {
          const subject = t.get('hs_task_subject') ?? '';
          if (!SLA_SUBJECT.test(subject)) continue;
          const owner = t.get('hubspot_owner_id') ?? '';
          tasks.push({ lead: toDemoLead(c).name, owner: ownerName.get(owner) ?? owner, subject, due: isoOf(t.get('hs_timestamp')) });
        }
      }
      return tasks;
    },

    async makeChanges(): Promise<DemoChange[]> {
      const { portal } = sandbox();
      const contacts = [...portal.contacts.values()];
      const now = Date.now();
      const changes: DemoChange[] = [];
      const taken = new Set<string>();
      const pick = (test: (c: CrmRecord) => boolean) => {
        const found = contacts.find((c) => !taken.has(c.id) && c.get('lead_score') !== undefined && test(c));
        if (found) taken.add(found.id);
        return found;
      };

      // 1. a lead who has not been on the website for a while reads the pricing page, several times
      const visitor = pick((c) => num(c.get('hs_analytics_num_page_views')) < 5 && dateOf(c.get('hs_analytics_last_visit_timestamp')) < now - 8 * DAY);
      if (visitor) {
        const before = toDemoLead(visitor);
        portal.updateContact(visitor.id, {
          hs_analytics_num_page_views: String(num(visitor.get('hs_analytics_num_page_views')) + 12),
          hs_analytics_num_visits: String(num(visitor.get('hs_analytics_num_visits')) + 3),
          hs_analytics_last_visit_timestamp: new Date(now).toISOString(),
        });
        changes.push({ leadId: visitor.id, what: 'visited the website 3 times, 12 page views (pricing, case studies, docs)', before });
      }

      // 2. a lead fills in the "Request a demo" form
      const requester = pick((c) => num(c.get('num_conversion_events')) === 0);
      if (requester) {
        const before = toDemoLead(requester);
        portal.updateContact(requester.id, {
          num_conversion_events: '1',
          recent_conversion_event_name: 'Demo request form',
          recent_conversion_date: new Date(now).toISOString(),
        });
        changes.push({ leadId: requester.id, what: 'requested a demo (filled in the "Demo request form")', before });
      }

      // 3. a lead is promoted: the title changes to a decision maker's
      const promoted = pick((c) => !/\b(vp|vice|director|head|chief|ceo|cto|cfo|founder|president|owner)\b/i.test(c.get('jobtitle') ?? '') && c.get('lead_score_tier') !== 'hot');
      if (promoted) {
        const before = toDemoLead(promoted);
        portal.updateContact(promoted.id, { jobtitle: 'VP of Sales', hs_seniority: 'vp' });
        changes.push({ leadId: promoted.id, what: `changed job title: "${before.title ?? '(none)'}" → "VP of Sales"`, before });
      }
      return changes;
    },

    async close() {
      await sb?.close();
      sb = undefined;
      portal = undefined;
    },
  };
}

/** The subject routing gives SLA tasks: `Hot lead (score 82): call within 2h`. */
export const SLA_SUBJECT = /^\w+ lead \(score \d+\): call within /;

/**
 * What to seed: generated contacts, one in 25 (at least 3) of them a strong lead: a CEO of a large US
 * company who filled in the "Request a demo" form two days ago and read the website: hot leads that
 * routing gives an owner and an SLA task.
 */
function withStrongLeads(count: number): Record<string, string>[] {
  const now = Date.now();
  const every = Math.max(1, Math.floor(count / Math.max(3, Math.round(count / 25))));
  return Array.from({ length: count }, (_, i): Record<string, string> =>
    i % every === 0
      ? {
          jobtitle: 'CEO',
          hs_seniority: 'executive',
          numemployees: '1000+',
          country: 'United States',
          num_conversion_events: '2',
          recent_conversion_event_name: 'Request a demo',
          recent_conversion_date: new Date(now - 2 * DAY).toISOString(),
          hs_analytics_num_page_views: '24',
          hs_analytics_num_visits: '6',
          hs_analytics_last_visit_timestamp: new Date(now - DAY).toISOString(),
          lastmodifieddate: new Date(now - DAY).toISOString(),
        }
      : {},
  );
}

function isoOf(v: string | undefined): string {
  const t = dateOf(v);
  return t ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '';
}

function toDemoLead(c: CrmRecord): DemoLead {
  const score = c.get('lead_score');
  const name = [c.get('firstname'), c.get('lastname')].filter(Boolean).join(' ') || c.get('email') || `contact ${c.id}`;
  const company = c.get('company');
  const title = c.get('jobtitle');
  const tier = c.get('lead_score_tier');
  return {
    id: c.id,
    name,
    ...(company ? { company } : {}),
    ...(title ? { title } : {}),
    ...(score !== undefined ? { score: Number(score) } : {}),
    ...(tier ? { tier } : {}),
    reasons: (c.get('lead_score_reasons') ?? '').split('\n').filter(Boolean),
  };
}

function num(v: string | undefined): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

function dateOf(v: string | undefined): number {
  if (!v) return 0;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(t) ? t : 0;
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
