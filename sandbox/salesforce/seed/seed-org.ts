/**
 * Reproducible, realistic org data: leads with firmographics, sources, statuses and owners that
 * hang together (some owned by queues or by an inactive user, as in real orgs), accounts and their
 * contacts, campaigns with members who responded or not, and tasks and events on leads and
 * contacts. Same seed, same data. All names and addresses are synthetic (`.example` domains).
 */
import { Prng, seedFrom } from '../../shared/prng';
import { CITIES, COUNTRIES, syntheticCompany, syntheticEmail, syntheticPerson, syntheticPhone } from '../../shared/synthetic-people';
import { INDUSTRIES, LEAD_SOURCES } from '../schema/standard-objects';
import { formatDate, toSecond } from '../schema/values';
import type { SalesforceOrg } from '../store/org';
import type { Row } from '../store/table';

const DAY = 86_400_000;

export interface SeedOptions {
  /** Generator seed; default derived from the org and the object. */
  seed?: number | string;
  /** The "now" generated dates lead up to; default the sandbox clock. Fix it for identical data. */
  now?: number;
  /** How far back CreatedDate goes, in days. Default 365. */
  historyDays?: number;
  /** Values set on every generated record, after generation (API names, e.g. `{ LeadSource: 'Web' }`). */
  fields?: Record<string, unknown>;
}

export interface SeedLeadsOptions extends SeedOptions {
  /**
   * Owner mix as shares: active users, the "Unassigned Leads" queue, the admin, inactive users.
   * Default `{ users: 0.6, queue: 0.25, admin: 0.1, inactive: 0.05 }`.
   */
  owners?: { users?: number; queue?: number; admin?: number; inactive?: number };
  /** Share of leads converted (with an Account and a Contact each). Default 0. */
  convertedShare?: number;
}

export interface SeedContactsOptions extends SeedOptions {
  /** Accounts to spread the contacts over; default the org's accounts, or new ones (one per 3 contacts) if it has none. */
  accountIds?: readonly string[];
}

export interface SeedCampaignMembersOptions extends SeedOptions {
  /** Campaigns to use; default the org's, or 6 new ones. */
  campaignIds?: readonly string[];
  /** Leads to add; default every live, unconverted lead. */
  leadIds?: readonly string[];
  /** Contacts to add; default every live contact. */
  contactIds?: readonly string[];
  /** Share of leads and contacts in at least one campaign. Default 0.5. */
  memberShare?: number;
  /** Most campaigns per person. Default 3. */
  maxPerRecord?: number;
  /** Share of memberships with a response. Default 0.4. */
  respondedShare?: number;
}

export interface SeedActivitiesOptions extends SeedOptions {
  /** Leads and contacts (WhoId) to log activity on; default every live lead and contact. */
  whoIds?: readonly string[];
  /** Share of them with activity. Default 0.4 (tasks), 0.15 (events). */
  share?: number;
  /** Most per record. Default 3 (tasks), 2 (events). */
  maxPerRecord?: number;
  /** Share of tasks completed. Default 0.7. */
  closedShare?: number;
}

const SALESFORCE_INDUSTRY: Readonly<Record<string, string>> = {
  'Computer Software': 'Technology',
  'Information Technology and Services': 'Technology',
  'Financial Services': 'Finance',
  'Hospital & Health Care': 'Healthcare',
  'Marketing and Advertising': 'Media',
  Retail: 'Retail',
  'Education Management': 'Education',
  'Logistics and Supply Chain': 'Transportation',
  Telecommunications: 'Telecommunications',
  Manufacturing: 'Manufacturing',
  Construction: 'Construction',
};

const EMPLOYEE_BUCKETS: readonly (readonly [[number, number], number])[] = [
  [[1, 10], 14], [[11, 50], 20], [[51, 200], 22], [[201, 1000], 20], [[1001, 5000], 14], [[5001, 50000], 10],
];

const US_STATES = ['MA', 'TX', 'CO', 'IL', 'WA', 'CA', 'NY'] as const;
const BOUNCE_REASONS = ['550 5.1.1 User unknown', '550 5.7.1 Message rejected', '552 Mailbox full'] as const;

function rngFor(org: SalesforceOrg, what: string, opts: SeedOptions): Prng {
  if (opts.seed === undefined) return new Prng(seedFrom(`${what}:${org.id}:${org.table(what).size}`));
  return new Prng(typeof opts.seed === 'number' ? opts.seed : seedFrom(`${opts.seed}:${what}`));
}

function firmographics(rng: Prng) {
  const [min, max] = rng.weighted(EMPLOYEE_BUCKETS);
  const employees = rng.int(min, max);
  const revenue = Math.round((employees * rng.int(40, 320) * 1000) / 10_000) * 10_000;
  const country = rng.weighted(COUNTRIES);
  const city = rng.pick(CITIES[country] ?? ['Springfield']);
  return { employees, revenue, country, city, state: country === 'United States' ? rng.pick(US_STATES) : null };
}

function industry(rng: Prng): string {
  return rng.chance(0.8) ? (SALESFORCE_INDUSTRY[rng.pick(Object.keys(SALESFORCE_INDUSTRY))] as string) : rng.pick(INDUSTRIES);
}

function timeline(rng: Prng, now: number, historyDays: number) {
  const created = toSecond(now - 60_000 - rng.next() * historyDays * DAY);
  const modified = toSecond(created + rng.next() * (now - 60_000 - created));
  return { created, modified };
}

export function seedLeads(org: SalesforceOrg, count: number, opts: SeedLeadsOptions = {}): string[] {
  const rng = rngFor(org, 'Lead', opts);
  const now = opts.now ?? org.clock();
  const historyDays = opts.historyDays ?? 365;
  const users = org.users.filter((u) => u.IsActive && u.Id !== org.adminUserId).map((u) => u.Id);
  const inactive = org.users.filter((u) => !u.IsActive).map((u) => u.Id);
  const queue = org.queues[0]?.Id;
  const mix = { users: 0.6, queue: 0.25, admin: 0.1, inactive: 0.05, ...(opts.owners ?? {}) };
  const start = org.table('Lead').size;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + i + 1;
    const person = syntheticPerson(rng);
    const company = syntheticCompany(rng, n);
    const firm = firmographics(rng);
    const { created, modified } = timeline(rng, now, historyDays);
    const ownerKind = rng.weighted([['users', mix.users], ['queue', mix.queue], ['admin', mix.admin], ['inactive', mix.inactive]] as const);
    const ownerId =
      ownerKind === 'users' && users.length > 0 ? rng.pick(users)
        : ownerKind === 'queue' && queue ? queue
          : ownerKind === 'inactive' && inactive.length > 0 ? rng.pick(inactive)
            : org.adminUserId;
    const bounced = rng.chance(0.02);
    const status = rng.weighted([['Open - Not Contacted', 50], ['Working - Contacted', 35], ['Closed - Not Converted', 15]] as const);
    const activity = status !== 'Open - Not Contacted' && rng.chance(0.7) ? formatDate(created + rng.next() * (modified - created)) : null;
    rows.push({
      FirstName: person.firstName,
      LastName: person.lastName,
      Email: syntheticEmail(person, company.domain, n),
      Title: person.jobTitle,
      Company: company.name,
      Website: `https://www.${company.domain}`,
      Phone: rng.chance(0.6) ? syntheticPhone(rng) : null,
      Industry: rng.chance(0.85) ? industry(rng) : null,
      NumberOfEmployees: rng.chance(0.8) ? firm.employees : null,
      AnnualRevenue: rng.chance(0.6) ? firm.revenue : null,
      Country: firm.country,
      City: firm.city,
      State: firm.state,
      LeadSource: rng.weighted(LEAD_SOURCES.map((s, k) => [s, [40, 15, 15, 10, 20][k] ?? 1] as const)),
      Status: status,
      Rating: rng.chance(0.4) ? rng.weighted([['Hot', 1], ['Warm', 2], ['Cold', 3]] as const) : null,
      HasOptedOutOfEmail: rng.chance(0.03),
      DoNotCall: rng.chance(0.02),
      EmailBouncedReason: bounced ? rng.pick(BOUNCE_REASONS) : null,
      EmailBouncedDate: bounced ? toSecond(created + rng.next() * (modified - created)) : null,
      IsUnreadByOwner: rng.chance(0.2),
      OwnerId: ownerId,
      LastActivityDate: activity,
      CreatedDate: created,
      LastModifiedDate: modified,
      SystemModstamp: modified,
      ...(opts.fields ?? {}),
    });
  }
  const ids = org.createMany('Lead', rows);
  const converted = opts.convertedShare ?? 0;
  if (converted > 0) {
    for (const id of ids) {
      if (!rng.chance(converted)) continue;
      const lead = org.table('Lead').get(id) as Row;
      org.convertLead(id, { at: Math.max(lead.SystemModstamp as number, toSecond(now - rng.next() * 30 * DAY)) });
    }
  }
  return ids;
}

export function seedAccounts(org: SalesforceOrg, count: number, opts: SeedOptions = {}): string[] {
  const rng = rngFor(org, 'Account', opts);
  const now = opts.now ?? org.clock();
  const users = org.activeUsers.map((u) => u.Id);
  const start = org.table('Account').size;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const company = syntheticCompany(rng, 10_000 + start + i);
    const firm = firmographics(rng);
    const { created, modified } = timeline(rng, now, opts.historyDays ?? 730);
    rows.push({
      Name: company.name,
      Website: `https://www.${company.domain}`,
      Industry: industry(rng),
      NumberOfEmployees: firm.employees,
      AnnualRevenue: rng.chance(0.8) ? firm.revenue : null,
      BillingCountry: firm.country,
      BillingCity: firm.city,
      BillingState: firm.state,
      Type: rng.weighted([['Prospect', 6], ['Customer - Direct', 3], ['Other', 1]] as const),
      Rating: rng.chance(0.5) ? rng.weighted([['Hot', 1], ['Warm', 2], ['Cold', 2]] as const) : null,
      Phone: rng.chance(0.7) ? syntheticPhone(rng) : null,
      OwnerId: rng.pick(users),
      CreatedDate: created,
      LastModifiedDate: modified,
      SystemModstamp: modified,
      ...(opts.fields ?? {}),
    });
  }
  return org.createMany('Account', rows);
}

export function seedContacts(org: SalesforceOrg, count: number, opts: SeedContactsOptions = {}): string[] {
  const rng = rngFor(org, 'Contact', opts);
  const now = opts.now ?? org.clock();
  let accountIds = opts.accountIds ?? [...org.table('Account').values()].filter((r) => !r.IsDeleted).map((r) => r.Id as string);
  if (accountIds.length === 0) accountIds = seedAccounts(org, Math.max(1, Math.ceil(count / 3)), { seed: opts.seed, now, historyDays: opts.historyDays });
  const accounts = org.table('Account');
  const start = org.table('Contact').size;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + i + 1;
    const account = accounts.get(rng.pick(accountIds)) as Row;
    const domain = String(account.Website ?? 'https://www.company.example').replace(/^https?:\/\/(www\.)?/, '');
    const person = syntheticPerson(rng);
    const { created, modified } = timeline(rng, Math.max(now, account.CreatedDate as number), opts.historyDays ?? 365);
    const bounced = rng.chance(0.02);
    rows.push({
      AccountId: account.Id,
      FirstName: person.firstName,
      LastName: person.lastName,
      Email: syntheticEmail(person, domain, n),
      Title: person.jobTitle,
      Department: rng.pick(['Sales', 'Marketing', 'Engineering', 'Finance', 'Operations', 'IT']),
      Phone: rng.chance(0.6) ? syntheticPhone(rng) : null,
      MailingCountry: account.BillingCountry,
      MailingCity: account.BillingCity,
      MailingState: account.BillingState,
      LeadSource: rng.chance(0.7) ? rng.pick(LEAD_SOURCES) : null,
      HasOptedOutOfEmail: rng.chance(0.03),
      EmailBouncedReason: bounced ? rng.pick(BOUNCE_REASONS) : null,
      EmailBouncedDate: bounced ? modified : null,
      OwnerId: account.OwnerId,
      LastActivityDate: rng.chance(0.4) ? formatDate(created + rng.next() * (modified - created)) : null,
      CreatedDate: created,
      LastModifiedDate: modified,
      SystemModstamp: modified,
      ...(opts.fields ?? {}),
    });
  }
  return org.createMany('Contact', rows);
}

const CAMPAIGNS: readonly (readonly [string, string])[] = [
  ['Webinar: Scoring 101', 'Webinar'],
  ['Ebook: The Pipeline Playbook', 'Email'],
  ['Demo Request', 'Other'],
  ['Trade Show: SaaS Summit', 'Trade Show'],
  ['Monthly Newsletter', 'Email'],
  ['Pricing Page Form', 'Advertisement'],
  ['Partner Referral Program', 'Referral Program'],
  ['Free Trial Signup', 'Other'],
];

export function seedCampaigns(org: SalesforceOrg, count: number, opts: SeedOptions = {}): string[] {
  const rng = rngFor(org, 'Campaign', opts);
  const now = opts.now ?? org.clock();
  const start = org.table('Campaign').size;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const [name, type] = CAMPAIGNS[(start + i) % CAMPAIGNS.length] as readonly [string, string];
    const round = Math.floor((start + i) / CAMPAIGNS.length);
    const { created } = timeline(rng, now, opts.historyDays ?? 365);
    rows.push({ Name: round > 0 ? `${name} (${round + 1})` : name, Type: type, Status: rng.pick(['In Progress', 'Completed', 'Planned']), IsActive: true, StartDate: formatDate(created), OwnerId: org.adminUserId, CreatedDate: created, LastModifiedDate: created, SystemModstamp: created, ...(opts.fields ?? {}) });
  }
  return org.createMany('Campaign', rows);
}

function liveIds(org: SalesforceOrg, type: string, filter: (r: Row) => boolean = () => true): string[] {
  return [...org.table(type).values()].filter((r) => !r.IsDeleted && filter(r)).map((r) => r.Id as string);
}

export function seedCampaignMembers(org: SalesforceOrg, opts: SeedCampaignMembersOptions = {}): string[] {
  const rng = rngFor(org, 'CampaignMember', opts);
  const now = opts.now ?? org.clock();
  let campaigns = opts.campaignIds ?? liveIds(org, 'Campaign');
  if (campaigns.length === 0) campaigns = seedCampaigns(org, 6, { seed: opts.seed, now });
  const people: [string, 'LeadId' | 'ContactId'][] = [
    ...(opts.leadIds ?? liveIds(org, 'Lead', (r) => r.IsConverted !== true)).map((id) => [id, 'LeadId'] as [string, 'LeadId']),
    ...(opts.contactIds ?? liveIds(org, 'Contact')).map((id) => [id, 'ContactId'] as [string, 'ContactId']),
  ];
  const rows: Record<string, unknown>[] = [];
  for (const [id, key] of people) {
    if (!rng.chance(opts.memberShare ?? 0.5)) continue;
    const person = org.table(key === 'LeadId' ? 'Lead' : 'Contact').get(id) as Row;
    const n = rng.int(1, Math.min(opts.maxPerRecord ?? 3, campaigns.length));
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(rng.pick(campaigns));
    for (const campaignId of chosen) {
      const created = toSecond((person.CreatedDate as number) + rng.next() * Math.max(0, now - 60_000 - (person.CreatedDate as number)));
      const responded = rng.chance(opts.respondedShare ?? 0.4);
      rows.push({ CampaignId: campaignId, [key]: id, Status: responded ? 'Responded' : 'Sent', FirstRespondedDate: responded ? formatDate(created + rng.next() * Math.max(0, now - created) * 0.2) : null, CreatedDate: created, LastModifiedDate: created, SystemModstamp: created, ...(opts.fields ?? {}) });
    }
  }
  return org.createMany('CampaignMember', rows);
}

const TASK_KINDS: readonly (readonly [string, string, number])[] = [
  ['Call', 'Call', 35],
  ['Email: Follow up', 'Email', 35],
  ['Send Quote', 'Task', 10],
  ['Email: Intro', 'Email', 15],
  ['Other', 'Task', 5],
];

function activityOwner(org: SalesforceOrg, person: Row): string {
  const owner = person.OwnerId;
  const user = typeof owner === 'string' ? org.table('User').get(owner) : undefined;
  return user && user.IsActive === true ? (user.Id as string) : org.adminUserId;
}

export function seedTasks(org: SalesforceOrg, opts: SeedActivitiesOptions = {}): string[] {
  const rng = rngFor(org, 'Task', opts);
  const now = opts.now ?? org.clock();
  const whoIds = opts.whoIds ?? [...liveIds(org, 'Lead', (r) => r.IsConverted !== true), ...liveIds(org, 'Contact')];
  const rows: Record<string, unknown>[] = [];
  for (const whoId of whoIds) {
    if (!rng.chance(opts.share ?? 0.4)) continue;
    const person = org.findRow(whoId)?.row;
    if (!person) continue;
    const n = rng.int(1, opts.maxPerRecord ?? 3);
    for (let i = 0; i < n; i++) {
      const [subject, subtype] = rng.weighted(TASK_KINDS.map(([s, t, w]) => [[s, t], w] as const));
      const created = toSecond((person.CreatedDate as number) + rng.next() * Math.max(0, now - 60_000 - (person.CreatedDate as number)));
      const closed = rng.chance(opts.closedShare ?? 0.7);
      rows.push({ WhoId: whoId, Subject: subject, TaskSubtype: subtype, Type: subtype === 'Call' ? 'Call' : subtype === 'Email' ? 'Email' : 'Other', Status: closed ? 'Completed' : rng.pick(['Not Started', 'In Progress']), Priority: rng.weighted([['Normal', 8], ['High', 1], ['Low', 1]] as const), ActivityDate: formatDate(created + (closed ? 0 : rng.int(1, 14) * DAY)), OwnerId: activityOwner(org, person), CreatedDate: created, LastModifiedDate: created, SystemModstamp: created, ...(opts.fields ?? {}) });
    }
  }
  return org.createMany('Task', rows);
}

export function seedEvents(org: SalesforceOrg, opts: SeedActivitiesOptions = {}): string[] {
  const rng = rngFor(org, 'Event', opts);
  const now = opts.now ?? org.clock();
  const whoIds = opts.whoIds ?? [...liveIds(org, 'Lead', (r) => r.IsConverted !== true), ...liveIds(org, 'Contact')];
  const rows: Record<string, unknown>[] = [];
  for (const whoId of whoIds) {
    if (!rng.chance(opts.share ?? 0.15)) continue;
    const person = org.findRow(whoId)?.row;
    if (!person) continue;
    const n = rng.int(1, opts.maxPerRecord ?? 2);
    for (let i = 0; i < n; i++) {
      const created = toSecond((person.CreatedDate as number) + rng.next() * Math.max(0, now - 60_000 - (person.CreatedDate as number)));
      const startAt = toSecond(created + rng.int(1, 10) * DAY - (created % 3_600_000));
      rows.push({ WhoId: whoId, Subject: rng.pick(['Discovery call', 'Product demo', 'Meeting', 'Pricing review']), Type: 'Meeting', StartDateTime: startAt, DurationInMinutes: rng.pick([30, 45, 60]), OwnerId: activityOwner(org, person), CreatedDate: created, LastModifiedDate: created, SystemModstamp: created, ...(opts.fields ?? {}) });
    }
  }
  return org.createMany('Event', rows);
}
