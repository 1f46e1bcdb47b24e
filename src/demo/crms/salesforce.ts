import { randomBytes } from 'node:crypto';
import { makeOrgId, startSalesforceSandbox, type ApiRecord, type SalesforceOrg, type SalesforceSandbox } from '../../../sandbox/salesforce';
import { SLA_SUBJECT } from './hubspot';
import type { DemoChange, DemoCrm, DemoCrmStartOptions, DemoLead, DemoOwners, DemoSlaTask } from './types';

const DAY = 86_400_000;
/** Contacts (with their Accounts) among the seeded records; the rest are Leads. */
const CONTACTS = 5;
const SENIOR_TITLE = /\b(vp|vice|director|head|chief|ceo|cto|cfo|founder|president|owner)\b/i;

/**
 * Salesforce in the demo: the local Salesforce sandbox (sandbox/salesforce, which the real
 * jsforce drives), one org with sample Leads and a few Contacts with Accounts, a connected app whose
 * credentials the connector gets, the real PKCE install, and an Outbound Message for the live change.
 */
export function salesforceDemo(): DemoCrm {
  let sb: SalesforceSandbox | undefined;
  let org: SalesforceOrg | undefined;
  let webhookUrl: string | undefined;
  const app = { clientId: 'demo-salesforce-client-id', clientSecret: randomBytes(18).toString('base64url') };

  const sandbox = () => {
    if (!sb || !org) throw new Error('the Salesforce sandbox is not started');
    return { sb, org };
  };

  return {
    crm: 'salesforce',
    label: 'Salesforce',
    records: 'leads',

    async start(options: DemoCrmStartOptions) {
      sb = await startSalesforceSandbox({ ...app, requestLogLimit: 50 });
      org = sb.createOrg(makeOrgId(1), { name: 'Demo Org', seed: options.seed });
      seedOrg(org, options);
      return {
        url: sb.url,
        env: {
          SALESFORCE_CLIENT_ID: app.clientId,
          SALESFORCE_CLIENT_SECRET: app.clientSecret,
          // authorize and token endpoints; API calls go to the instance_url of the token response (the sandbox too)
          SALESFORCE_LOGIN_URL: sb.url,
        },
      };
    },

    connectorStarted(publicUrl: string) {
      webhookUrl = `${publicUrl}/webhooks/salesforce`;
    },

    async install(publicUrl: string) {
      const { sb, org } = sandbox();
      const steps: string[] = [];
      const start = await fetch(`${publicUrl}/install/salesforce`, { redirect: 'manual' });
      const location = start.headers.get('location');
      if (start.status !== 302 || !location) throw new Error(`GET /install/salesforce answered ${start.status}, not a redirect to Salesforce`);
      const authorize = new URL(location);
      if (!authorize.searchParams.get('code_challenge') || !authorize.searchParams.get('state')) throw new Error('the install redirect has no PKCE code_challenge or state');
      steps.push(`GET /install/salesforce → 302 to Salesforce's authorize page (client_id ${authorize.searchParams.get('client_id')}, PKCE S256, scope ${authorize.searchParams.get('scope') ?? '(default)'})`);
      // what Salesforce does when the admin logs in and clicks "Allow"
      const back = sb.approveInstall(org.id, { authorizeUrl: location });
      const landing = new URL(back);
      if (!landing.searchParams.get('code')) throw new Error(`Salesforce refused the authorize request: ${landing.searchParams.get('error_description') ?? back}`);
      steps.push(`org ${org.id} admin allows access → Salesforce sends the browser back to ${landing.pathname}?code=…&state=…`);
      const done = await fetch(back);
      const page = await done.text();
      if (done.status !== 200) throw new Error(`the OAuth callback answered ${done.status}: ${textOf(page)}`);
      steps.push(`callback → 200 "${textOf(/<h1>(.*?)<\/h1>/s.exec(page)?.[1] ?? page)}": score fields and field access created, first full sync started`);
      return { tenant: `salesforce:${org.id}`, steps };
    },

    leads() {
      const { org } = sandbox();
      return [...org.records('Lead'), ...org.records('Contact')].map((r) => toDemoLead(r, org));
    },

    owners(): DemoOwners {
      const { org } = sandbox();
      return {
        owners: org.activeUsers.filter((u) => u.Id !== org.adminUserId).map((u) => ({ id: u.Id, name: u.Name })),
        // the queues own leads nobody works yet; the admin is the user the connector installs as (an integration user)
        placeholders: [...org.queues.map((q) => q.Id), org.adminUserId],
      };
    },

    slaTasks(): DemoSlaTask[] {
      const { org } = sandbox();
      const userName = new Map(org.users.map((u) => [u.Id, u.Name]));
      const tasks: DemoSlaTask[] = [];
      for (const t of org.records('Task')) {
        const subject = str(t.Subject) ?? '';
        if (!SLA_SUBJECT.test(subject)) continue;
        const owner = str(t.OwnerId) ?? '';
        const who = str(t.WhoId);
        const lead = who ? (org.get(who.startsWith('00Q') ? 'Lead' : 'Contact', who) as ApiRecord | undefined) : undefined;
        tasks.push({ lead: lead ? nameOf(lead) : (who ?? ''), owner: userName.get(owner) ?? owner, subject, due: str(t.ActivityDate) ?? '' });
      }
      return tasks;
    },

    async makeChanges(): Promise<DemoChange[]> {
      const { sb, org } = sandbox();
      if (!webhookUrl) throw new Error('the connector has not started');
      const changes: DemoChange[] = [];
      // a lead is promoted: the title changes to a decision maker's; a record-triggered Flow sends an Outbound Message
      const promoted = org
        .records('Lead')
        .find((r) => r.Lead_Score__c !== null && r.Lead_Score__c !== undefined && r.Lead_Score_Tier__c !== 'hot' && !SENIOR_TITLE.test(str(r.Title) ?? ''));
      if (promoted) {
        const id = String(promoted.Id);
        const before = toDemoLead(promoted, org);
        org.update('Lead', id, { Title: 'VP of Sales' });
        const sent = await sb.sendOutboundMessage(org.id, { objectType: 'Lead', ids: [id], url: webhookUrl, fields: ['Id', 'IsConverted', 'ConvertedContactId'] });
        if (!sent.ack) throw new Error(`the connector did not acknowledge the Outbound Message (HTTP ${sent.status})`);
        changes.push({ leadId: id, what: `changed job title: "${before.title ?? '(none)'}" → "VP of Sales" (sent as an Outbound Message, acknowledged)`, before });
      }
      return changes;
    },

    async close() {
      await sb?.close();
      sb = undefined;
      org = undefined;
    },
  };
}

/**
 * Leads and a few Contacts with Accounts, `options.records` in all; one in 25 (at least 3) of the
 * Leads a strong lead: a CEO of a 2,000-person US technology company, sitting in the "Unassigned
 * Leads" queue, who met sales twice this week and responded to three campaigns: hot leads that
 * routing gives an owner and an SLA task. Some campaign responses and meetings on the others.
 */
function seedOrg(org: SalesforceOrg, options: DemoCrmStartOptions): void {
  const now = Date.now();
  const contacts = options.records > CONTACTS * 4 ? CONTACTS : 0;
  const leads = options.records - contacts;
  const strong = Math.min(leads, Math.max(3, Math.round(leads / 25)));
  const queue = org.queues.find((q) => q.Name === 'Unassigned Leads') ?? org.queues[0];
  const reps = org.activeUsers.filter((u) => u.Id !== org.adminUserId);

  const regular = leads - strong > 0 ? org.seedLeads(leads - strong, { seed: `${options.seed}:leads` }) : [];
  const contactIds = contacts > 0 ? org.seedContacts(contacts, { seed: `${options.seed}:contacts` }) : [];
  const campaigns = org.seedCampaigns(4, { seed: `${options.seed}:campaigns` });
  org.seedCampaignMembers({ seed: `${options.seed}:members`, campaignIds: campaigns, leadIds: regular, contactIds, memberShare: 0.4, respondedShare: 0.4 });
  org.seedEvents({ seed: `${options.seed}:events`, whoIds: [...regular, ...contactIds], share: 0.1 });

  const hot = org.seedLeads(strong, {
    seed: `${options.seed}:strong`,
    fields: { Title: 'CEO', Industry: 'Technology', NumberOfEmployees: 2000, Country: 'United States', ...(queue ? { OwnerId: queue.Id } : {}) },
  });
  hot.forEach((id, i) => {
    const lead = org.get('Lead', id) as ApiRecord;
    const domain = `${String(lead.Company ?? 'acme').toLowerCase().replace(/[^a-z0-9]+/g, '') || 'acme'}.example`;
    org.update('Lead', id, { Email: `${String(lead.LastName ?? 'ceo').toLowerCase().replace(/[^a-z]+/g, '') || 'ceo'}@${domain}` });
    const rep = reps[i % Math.max(1, reps.length)]?.Id ?? org.adminUserId;
    for (const daysAgo of [1, 3]) {
      const at = Math.floor((now - daysAgo * DAY) / 1000) * 1000;
      org.create('Event', { WhoId: id, Subject: 'Product demo', Type: 'Meeting', StartDateTime: at, DurationInMinutes: 45, OwnerId: rep });
    }
    for (const [k, campaign] of campaigns.slice(0, 3).entries()) {
      org.create('CampaignMember', { CampaignId: campaign, LeadId: id, Status: 'Responded', FirstRespondedDate: new Date(now - (k + 1) * DAY).toISOString().slice(0, 10) });
    }
  });
}

function toDemoLead(r: ApiRecord, org: SalesforceOrg): DemoLead {
  const score = r.Lead_Score__c;
  const account = r.AccountId ? (org.get('Account', String(r.AccountId)) as ApiRecord | undefined) : undefined;
  const company = str(r.Company) ?? (account ? str(account.Name) : undefined);
  const title = str(r.Title);
  const tier = str(r.Lead_Score_Tier__c);
  return {
    id: String(r.Id),
    name: nameOf(r),
    ...(company ? { company } : {}),
    ...(title ? { title } : {}),
    ...(typeof score === 'number' ? { score } : {}),
    ...(tier ? { tier } : {}),
    reasons: (str(r.Lead_Score_Reasons__c) ?? '').split('\n').filter(Boolean),
  };
}

function nameOf(r: ApiRecord): string {
  return [str(r.FirstName), str(r.LastName)].filter(Boolean).join(' ') || str(r.Email) || `record ${String(r.Id)}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
